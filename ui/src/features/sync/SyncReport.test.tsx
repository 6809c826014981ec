import { QueryClientProvider } from "@tanstack/react-query";
import { mockIPC } from "@tauri-apps/api/mocks";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import type { SyncResult, TwilioStatus } from "../../bindings";
import { createQueryClient } from "../../lib/queryClient";
import { ToastProvider } from "../../components/toast";
import { SyncButton } from "./SyncButton";

const AC = "AC0123456789abcdef0123456789abcdef";
const RE1 = "RE00000000000000000000000000000001";
const RE2 = "RE00000000000000000000000000000002";
const connected: TwilioStatus = {
  account: { accountSid: AC, apiKeySid: null },
  store: "file",
  lastSyncedAt: null,
  syncing: false,
  settings: { downloadPolicy: { kind: "none" }, backgroundMinutes: null, notifyNew: false, twilioConcurrency: 8 },
};
const clean: SyncResult = {
  synced: 12, new: 12, updated: 0, unchanged: 0, skippedDeleted: 0, failed: 0, downloaded: 0,
  downloadFailed: 0, withoutCall: 0, callsNotFound: [], pages: 3, cancelled: false, errors: [],
};

function backend(result: SyncResult) {
  mockIPC((cmd) => {
    switch (cmd) {
      case "twilio_status":
        return connected;
      case "sync_now":
        return result;
      case "get_recording":
        throw { code: "not_found", message: "That recording could not be found." };
      default:
        return null;
    }
  });
}

async function syncOnce() {
  render(
    <QueryClientProvider client={createQueryClient()}>
      <ToastProvider>
        <SyncButton onOpenSettings={() => undefined} />
      </ToastProvider>
    </QueryClientProvider>,
  );
  await userEvent.click(await screen.findByTestId("sync-button"));
  return screen.findByTestId("sync-result");
}

describe("Sync result", () => {
  it("links to the sync's errors and the recordings whose call was not found", async () => {
    backend({
      ...clean,
      failed: 3,
      downloadFailed: 1,
      withoutCall: 3,
      callsNotFound: [
        { id: RE1, recordedAt: "2026-11-20T12:00:00Z" },
        { id: RE2, recordedAt: "2026-11-19T09:30:00Z" },
      ],
      errors: [
        "Twilio listed 2 entries without a valid recording SID; skipped and counted as failed.",
        `Recording ${RE1}: Twilio sent its channels in a form CallDeck does not know, so it is shown as unknown.`,
      ],
    });
    const result = await syncOnce();
    expect(result, "failed already counts the failed download").toHaveTextContent(
      "Synced 12 · 12 new · 3 failed · 3 without a call",
    );
    await userEvent.click(screen.getByTestId("sync-details"));
    const report = await screen.findByTestId("sync-report");
    expect(within(report).getByTestId("sync-errors")).toHaveTextContent("without a valid recording SID");
    expect(within(report).getByTestId("sync-errors")).toHaveTextContent("channels");
    const missing = within(report).getByTestId("calls-not-found");
    expect(missing).toHaveTextContent(RE1);
    expect(missing).toHaveTextContent(RE2);
    expect(report, "the third is counted, not lost").toHaveTextContent("…and 1 more.");

    // A recording opens its details right there.
    const [first] = within(missing).getAllByRole("button");
    if (!first) throw new Error("no recording listed");
    await userEvent.click(first);
    const details = await within(report).findByTestId("details-panel");
    expect(await within(details).findByRole("alert")).toHaveTextContent("could not be found");

    await userEvent.click(within(report).getByRole("button", { name: "Close" }));
    expect(screen.queryByTestId("sync-report")).not.toBeInTheDocument();
  });

  it("offers no report when nothing went wrong", async () => {
    backend(clean);
    expect(await syncOnce()).toHaveTextContent("Synced 12 · 12 new · 0 failed");
    expect(screen.queryByTestId("sync-details")).not.toBeInTheDocument();
  });
});
