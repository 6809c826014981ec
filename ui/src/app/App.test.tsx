import { QueryClientProvider } from "@tanstack/react-query";
import { mockIPC } from "@tauri-apps/api/mocks";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import type { ListRecordingsRequest, SignedInUser } from "../bindings";
import { createQueryClient } from "../lib/queryClient";
import { details, summary } from "../test/fixtures";
import { App } from "./App";

const TOTAL = 120;
const all = Array.from({ length: TOTAL }, (_, i) => summary(i + 1));

/** A backend double over Tauri's IPC mock: the same commands and shapes as the Rust side. */
function backend(opts: { signedIn?: boolean; failList?: boolean } = {}) {
  let user: SignedInUser | null = opts.signedIn ? { displayName: "Demo agent", provider: "demo" } : null;
  const calls: string[] = [];
  mockIPC((cmd, args) => {
    calls.push(cmd);
    switch (cmd) {
      case "session_status":
        return { user };
      case "open_demo_workspace":
        user = { displayName: "Demo agent", provider: "demo" };
        return user;
      case "sign_out":
        user = null;
        return null;
      case "list_recordings": {
        if (opts.failList) throw { code: "storage", message: "The local library could not be read or written." };
        const { page = 1, limit = 50 } = (args as { request: ListRecordingsRequest }).request;
        const p = page ?? 1;
        const l = limit ?? 50;
        return { items: all.slice((p - 1) * l, p * l), total: TOTAL, page: p, limit: l };
      }
      case "get_recording": {
        const found = all.find((r) => r.id === (args as { id: string }).id);
        if (!found) throw { code: "not_found", message: "That recording could not be found." };
        return details(found);
      }
      case "report_first_paint":
        return null;
      default:
        throw new Error(`unexpected command ${cmd}`);
    }
  });
  return calls;
}

function renderApp() {
  return render(
    <QueryClientProvider client={createQueryClient()}>
      <App />
    </QueryClientProvider>,
  );
}

describe("App", () => {
  it("offers the demo workspace when nobody is signed in, and opens its library", async () => {
    backend();
    renderApp();
    await userEvent.click(await screen.findByTestId("open-demo"));
    const rows = await screen.findAllByTestId("recording-row");
    expect(rows, "a page holds at most 50 recordings").toHaveLength(50);
    expect(screen.getByTestId("library-total")).toHaveTextContent("1–50 of 120 recordings");
  });

  it("pages through the library", async () => {
    backend({ signedIn: true });
    renderApp();
    await screen.findAllByTestId("recording-row");
    await userEvent.click(screen.getByRole("button", { name: /next/i }));
    await screen.findByText("51–100 of 120 recordings");
    await userEvent.click(screen.getByRole("button", { name: /next/i }));
    await screen.findByText("101–120 of 120 recordings");
    expect(screen.getAllByTestId("recording-row"), "the last page has the remaining 20").toHaveLength(20);
    expect(screen.getByRole("button", { name: /next/i }), "no page after the last").toBeDisabled();
  });

  it("opens a recording's details when its row is clicked", async () => {
    backend({ signedIn: true });
    renderApp();
    const rows = await screen.findAllByTestId("recording-row");
    const row = rows[2];
    if (!row) throw new Error("expected a third row");
    await userEvent.click(row);
    const panel = await screen.findByTestId("details-panel");
    expect(await within(panel).findByText("+1 555 000 0003"), "the panel shows the clicked call").toBeInTheDocument();
    expect(within(panel).getByText("3 times"), "play count is shown").toBeInTheDocument();
  });

  it("shows the backend's friendly message, not internals, when the list fails", async () => {
    backend({ signedIn: true, failList: true });
    renderApp();
    expect(await screen.findByRole("alert", {}, { timeout: 5000 })).toHaveTextContent(
      "The local library could not be read or written.",
    );
  });

  it("forgets the library on sign-out and returns to the sign-in screen", async () => {
    const calls = backend({ signedIn: true });
    renderApp();
    await screen.findAllByTestId("recording-row");
    await userEvent.click(screen.getByRole("button", { name: "Sign out" }));
    expect(await screen.findByTestId("open-demo")).toBeInTheDocument();
    expect(screen.queryByTestId("recording-row"), "no recording of the old session stays on screen").toBeNull();
    expect(calls).toContain("sign_out");
  });
});
