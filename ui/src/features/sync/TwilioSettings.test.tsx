import { QueryClientProvider } from "@tanstack/react-query";
import { mockIPC } from "@tauri-apps/api/mocks";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import type { TwilioStatus } from "../../bindings";
import { createQueryClient } from "../../lib/queryClient";
import { ToastProvider } from "../../components/toast";
import { SyncButton } from "./SyncButton";
import { TwilioSettings } from "./TwilioSettings";

const AC = "AC0123456789abcdef0123456789abcdef";
const disconnected: TwilioStatus = {
  account: null,
  store: "file",
  lastSyncedAt: null,
  syncing: false,
  settings: { downloadPolicy: { kind: "none" }, backgroundMinutes: null, notifyNew: false, twilioConcurrency: 8 },
};

function twilioBackend(acceptToken: string) {
  let status = disconnected;
  const calls: { cmd: string; args: Record<string, unknown> }[] = [];
  mockIPC((cmd, args) => {
    calls.push({ cmd, args: (args ?? {}) as Record<string, unknown> });
    switch (cmd) {
      case "twilio_status":
        return status;
      case "connect_twilio": {
        const creds = (args as { credentials: { authToken?: string } }).credentials;
        if (creds.authToken !== acceptToken) {
          throw { code: "twilio_auth", message: "Twilio did not accept these credentials." };
        }
        status = { ...status, account: { accountSid: AC, apiKeySid: null } };
        return status;
      }
      case "sync_now":
        return {
          synced: 12, new: 12, updated: 0, unchanged: 0, skippedDeleted: 0, failed: 0, downloaded: 0,
          downloadFailed: 0, withoutCall: 0, callsNotFound: [], pages: 3, cancelled: false, errors: [],
        };
      default:
        return null;
    }
  });
  return calls;
}

function renderWith(ui: React.ReactNode) {
  return render(
    <QueryClientProvider client={createQueryClient()}>
      <ToastProvider>{ui}</ToastProvider>
    </QueryClientProvider>,
  );
}

describe("Twilio settings", () => {
  it("refuses wrong credentials with the backend's sentence and clears the secret field", async () => {
    twilioBackend("right-token");
    renderWith(<TwilioSettings />);
    await userEvent.type(await screen.findByTestId("twilio-account-sid"), AC);
    await userEvent.type(screen.getByTestId("twilio-secret"), "wrong-token");
    await userEvent.click(screen.getByTestId("twilio-connect"));
    expect(await screen.findByRole("alert")).toHaveTextContent("Twilio did not accept these credentials.");
    expect(screen.getByTestId("twilio-secret"), "the secret never stays in the form").toHaveValue("");
  });

  it("connects with the right credentials and says where the secret is kept", async () => {
    const calls = twilioBackend("right-token");
    renderWith(<TwilioSettings />);
    await userEvent.type(await screen.findByTestId("twilio-account-sid"), AC);
    await userEvent.type(screen.getByTestId("twilio-secret"), "right-token");
    await userEvent.click(screen.getByTestId("twilio-connect"));
    expect(await screen.findByText(/Connected/)).toBeInTheDocument();
    expect(screen.getByTestId("store-note"), "the file fallback is said out loud").toHaveTextContent("only you can read");
    const sent = calls.find((c) => c.cmd === "connect_twilio")?.args.credentials;
    expect(sent).toEqual({ kind: "authToken", accountSid: AC, authToken: "right-token" });
  });
});

describe("Sync button", () => {
  it("sends a sync and shows the result summary", async () => {
    // Connected already: the status answers with an account.
    mockIPC((cmd) =>
      cmd === "twilio_status"
        ? { ...disconnected, account: { accountSid: AC, apiKeySid: null } }
        : cmd === "sync_now"
          ? { synced: 12, new: 12, updated: 0, unchanged: 0, skippedDeleted: 0, failed: 0, downloaded: 0,
              downloadFailed: 0, withoutCall: 0, callsNotFound: [], pages: 3, cancelled: false, errors: [] }
          : null,
    );
    renderWith(<SyncButton onOpenSettings={() => undefined} />);
    const button = await screen.findByTestId("sync-button");
    await userEvent.click(button);
    expect(await screen.findByTestId("sync-result")).toHaveTextContent("Synced 12 · 12 new · 0 failed");
  });
});
