import { QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";

// The base styles first: each feature's own CSS, imported by its components, builds on them.
import "./theme.css";
import "./styles.css";
import { App } from "./app/App";
import { firstScreenReady } from "./app/firstScreen";
import { createQueryClient } from "./lib/queryClient";
import { markStartup } from "./lib/startupTrace";

markStartup("script_start");

const root = document.getElementById("root");
const client = createQueryClient();
// The first render waits (briefly) for the first screen's data, so that it has its rows.
void firstScreenReady(client).then(() => {
  if (!root) return;
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={client}>
        <App />
      </QueryClientProvider>
    </StrictMode>,
  );
});
