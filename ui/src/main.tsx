import { QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";

// The base styles first: each feature's own CSS, imported by its components, builds on them.
import "./theme.css";
import "./styles.css";
import { App } from "./app/App";
import { loadPrefs } from "./lib/prefs";
import { createQueryClient } from "./lib/queryClient";
import { markStartup } from "./lib/startupTrace";

markStartup("script_start");

// Read beside the session status the first screen asks for, not after it.
void loadPrefs();

const root = document.getElementById("root");
if (root) {
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={createQueryClient()}>
        <App />
      </QueryClientProvider>
    </StrictMode>,
  );
}
