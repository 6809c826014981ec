import { QueryClientProvider } from "@tanstack/react-query";
import { mockIPC } from "@tauri-apps/api/mocks";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import type { SyncSettings, TwilioStatus } from "../../bindings";
import { createQueryClient } from "../../lib/queryClient";
import { ToastProvider } from "../../components/toast";
import { TwilioSettings } from "./TwilioSettings";

const connected: TwilioStatus = {
  account: { accountSid: "AC0123456789abcdef0123456789abcdef", apiKeySid: null },
  store: "keyring",
  lastSyncedAt: null,
  syncing: false,
  settings: { downloadPolicy: { kind: "none" }, backgroundMinutes: null, notifyNew: false, twilioConcurrency: 8 },
};

/** A backend that keeps what is saved, and the settings each save sent. */
function backend() {
  let status = connected;
  const saved: SyncSettings[] = [];
  mockIPC((cmd, args) => {
    if (cmd === "twilio_status") return status;
    if (cmd === "save_sync_settings") {
      const settings = (args as { settings: SyncSettings }).settings;
      saved.push(settings);
      status = { ...status, settings };
      return status;
    }
    return null;
  });
  return saved;
}

function renderSettings() {
  render(
    <QueryClientProvider client={createQueryClient()}>
      <ToastProvider>
        <TwilioSettings />
      </ToastProvider>
    </QueryClientProvider>,
  );
}

describe("Concurrent requests to Twilio", () => {
  it("shows the saved number and saves a new one within 1–32", async () => {
    const saved = backend();
    renderSettings();
    const field = await screen.findByLabelText("Concurrent requests to Twilio (1–32)");
    expect(field).toHaveValue(8);
    await userEvent.clear(field);
    await userEvent.type(field, "12");
    await userEvent.tab();
    await screen.findByDisplayValue("12");
    expect(saved, "one save with every other setting kept").toEqual([{ ...connected.settings, twilioConcurrency: 12 }]);
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("refuses a number outside 1–32, or not a whole one, and saves nothing", async () => {
    const saved = backend();
    renderSettings();
    const field = await screen.findByLabelText("Concurrent requests to Twilio (1–32)");
    for (const wrong of ["0", "33", "2.5"]) {
      await userEvent.clear(field);
      await userEvent.type(field, wrong);
      await userEvent.tab();
      expect(await screen.findByRole("alert"), wrong).toHaveTextContent("a whole number from 1 to 32");
      expect(field).toHaveAttribute("aria-invalid", "true");
    }
    await userEvent.clear(field);
    await userEvent.tab();
    expect(await screen.findByRole("alert"), "empty").toHaveTextContent("a whole number from 1 to 32");
    expect(saved, "nothing out of range reaches the backend").toEqual([]);
    await userEvent.clear(field);
    await userEvent.type(field, "32{Enter}");
    await screen.findByDisplayValue("32");
    expect(saved.map((s) => s.twilioConcurrency)).toEqual([32]);
    expect(screen.queryByRole("alert"), "a good number clears the message").toBeNull();
  });
});
