import { QueryClientProvider } from "@tanstack/react-query";
import { emit } from "@tauri-apps/api/event";
import { mockIPC } from "@tauri-apps/api/mocks";
import { act, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import type { SyncProgress, TwilioStatus } from "../../bindings";
import { createQueryClient } from "../../lib/queryClient";
import { ToastProvider } from "../../components/toast";
import { SyncButton } from "./SyncButton";

const status = (syncing: boolean): TwilioStatus => ({
  account: { accountSid: "AC0123456789abcdef0123456789abcdef", apiKeySid: null },
  store: "file",
  lastSyncedAt: null,
  syncing,
  settings: { downloadPolicy: { kind: "none" }, backgroundMinutes: 5, notifyNew: false, twilioConcurrency: 8 },
});
const progress = (phase: SyncProgress["phase"]): SyncProgress => ({
  phase, callPages: 1, pages: 2, recordings: 40, downloadsDone: 0, downloadsTotal: 0,
});

describe("a sync this window did not start", () => {
  it("shows its progress with a Cancel that reaches it, also after a refused Sync now", async () => {
    let running = true;
    const calls: string[] = [];
    mockIPC(
      (cmd) => {
        calls.push(cmd);
        switch (cmd) {
          case "twilio_status":
            return status(running);
          case "sync_now":
            throw { code: "sync_running", message: "A sync is already running." };
          case "cancel_sync":
            running = false;
            return null;
          default:
            return null;
        }
      },
      { shouldMockEvents: true },
    );
    render(
      <QueryClientProvider client={createQueryClient()}>
        <ToastProvider>
          <SyncButton onOpenSettings={() => undefined} />
        </ToastProvider>
      </QueryClientProvider>,
    );
    await userEvent.click(await screen.findByTestId("sync-button"));
    // The background sync reports its progress meanwhile.
    await act(() => emit("sync-progressed", { progress: progress("recordings") }));
    const cancel = await screen.findByRole("button", { name: "Cancel" });
    expect(screen.getByTestId("sync-progress")).toHaveTextContent(
      "40 recordings · 2 pages of recordings, 1 of calls",
    );
    await userEvent.click(cancel);
    expect(calls).toContain("cancel_sync");
    await act(() => emit("sync-progressed", { progress: progress("done") }));
    await waitFor(() => expect(screen.getByTestId("sync-button")).toBeInTheDocument());
  });
});
