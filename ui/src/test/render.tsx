import { QueryClientProvider } from "@tanstack/react-query";
import { render } from "@testing-library/react";

import { App } from "../app/App";
import { createQueryClient } from "../lib/queryClient";

export function renderApp() {
  return render(
    <QueryClientProvider client={createQueryClient()}>
      <App />
    </QueryClientProvider>,
  );
}
