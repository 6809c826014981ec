import { QueryClientProvider } from "@tanstack/react-query";
import { mockIPC } from "@tauri-apps/api/mocks";
import { render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import type { AuditEntry } from "../../bindings";
import { createQueryClient } from "../../lib/queryClient";
import { ToastProvider } from "../../components/toast";
import { AuditView } from "./AuditView";
import { operationLabel } from "./labels";

const SID = "RE0123456789abcdef0123456789abcdef";

function entry(id: number, operation: string, outcome: string, detail: string | null, recordings: string[] = []): AuditEntry {
  return { id, at: "2026-11-20T12:00:00Z", operation, recordings, outcome, detail };
}

function renderAudit(entries: AuditEntry[]) {
  mockIPC((cmd) => {
    if (cmd === "list_audit") return entries;
    throw new Error(`unexpected command ${cmd}`);
  });
  render(
    <QueryClientProvider client={createQueryClient()}>
      <ToastProvider>
        <AuditView />
      </ToastProvider>
    </QueryClientProvider>,
  );
}

describe("audit view", () => {
  it("names access as well as edits, with a readable outcome", async () => {
    renderAudit([
      entry(9, "analyse_ai", "error", "AnalysisAuth", [SID]),
      entry(8, "transcribe", "cancelled", null, [SID]),
      entry(7, "download", "ok", "streamed", [SID]),
      entry(6, "play", "ok", "from this computer", [SID]),
      entry(5, "sync", "ok", "background: 120 synced, 14 new, 0 failed, 0 downloaded"),
      entry(4, "twilio_connect", "ok", "auth token"),
      entry(3, "offline_open", "ok", null),
      entry(2, "switch_account", "ok", null),
      entry(1, "sign_in", "ok", null),
    ]);
    const rows = await screen.findAllByTestId("audit-row");
    const seen = rows.map((row) => {
      const cells = within(row).getAllByRole("cell");
      return [cells[1]?.textContent, within(row).getByTestId("audit-outcome").textContent];
    });
    expect(seen).toEqual([
      ["Analysed with AI", "Failed"],
      ["Transcribed", "Cancelled"],
      ["Downloaded audio", "OK"],
      ["Played", "OK"],
      ["Synced from Twilio", "OK"],
      ["Connected Twilio", "OK"],
      ["Opened offline", "OK"],
      ["Switched to this account", "OK"],
      ["Signed in", "OK"],
    ]);
    expect(rows[4]).toHaveTextContent("background: 120 synced, 14 new");
    const outcomes = screen.getAllByTestId("audit-outcome");
    expect(outcomes[1]).toHaveClass("outcome", "cancelled");
    expect(outcomes[0]).toHaveClass("outcome", "failed");
    expect(outcomes[2]).toHaveClass("outcome", "ok");
  });

  it("still shows an operation this build has no label for", () => {
    expect(operationLabel("something_new")).toBe("Something new");
  });
});
