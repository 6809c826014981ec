import "./sync.css";

import { useState } from "react";

import type { DownloadPolicy, SyncSettings, TwilioStatus } from "../../bindings";
import { formatDateTime } from "../../lib/format";
import { errorMessage } from "../../lib/errors";
import { useConnectTwilio, useDisconnectTwilio, useSaveSyncSettings, useTwilioStatus } from "./api";
import { ConcurrencyField } from "./ConcurrencyField";

type Kind = "authToken" | "apiKey";

/** Settings → Twilio: credentials (checked on save, never shown again) and sync settings. */
export function TwilioSettings() {
  const status = useTwilioStatus();
  return (
    <div className="settings" data-testid="twilio-settings">
      <h2>Twilio</h2>
      <p className="muted">CallDeck reads your call recordings from your own Twilio account.</p>
      {status.isError && <p role="alert" className="error-text">{errorMessage(status.error)}</p>}
      {status.data && (
        <>
          <Credentials status={status.data} />
          <SyncOptions status={status.data} />
        </>
      )}
    </div>
  );
}

function Credentials({ status }: { status: TwilioStatus }) {
  const connect = useConnectTwilio();
  const disconnect = useDisconnectTwilio();
  const [kind, setKind] = useState<Kind>("authToken");
  const [accountSid, setAccountSid] = useState("");
  const [keySid, setKeySid] = useState("");
  const [secret, setSecret] = useState("");

  const storeNote =
    status.store === "file"
      ? "No keyring service was found on this computer, so the secret is kept in a file only you can read, inside your CallDeck folder."
      : "The secret is kept in your operating system's keyring.";

  if (status.account) {
    return (
      <section>
        <strong>Connected</strong> to account <span className="mono">{status.account.accountSid}</span>
        {status.account.apiKeySid && (
          <>
            {" "}
            with API key <span className="mono">{status.account.apiKeySid}</span>
          </>
        )}
        <p className={status.store === "file" ? "note warn" : "note"} data-testid="store-note">{storeNote}</p>
        {status.lastSyncedAt && <p className="note">Last synced {formatDateTime(status.lastSyncedAt)}</p>}
        <div className="row">
          <button type="button" onClick={() => disconnect.mutate()} disabled={disconnect.isPending}>
            Disconnect
          </button>
        </div>
      </section>
    );
  }

  const submit = () => {
    const credentials =
      kind === "authToken"
        ? { kind, accountSid, authToken: secret }
        : { kind, accountSid, apiKeySid: keySid, apiKeySecret: secret };
    // The secret leaves the form once: cleared whatever the answer.
    connect.mutate(credentials, { onSettled: () => setSecret("") });
  };

  return (
    <section>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <label htmlFor="twilio-kind">Sign in with</label>
        <select id="twilio-kind" value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
          <option value="authToken">Account SID and Auth Token</option>
          <option value="apiKey">API Key SID and Secret</option>
        </select>
        <label htmlFor="twilio-account">Account SID</label>
        <input id="twilio-account" type="text" autoComplete="off" placeholder="AC…" value={accountSid}
          onChange={(e) => setAccountSid(e.target.value)} data-testid="twilio-account-sid" />
        {kind === "apiKey" && (
          <>
            <label htmlFor="twilio-key">API Key SID</label>
            <input id="twilio-key" type="text" autoComplete="off" placeholder="SK…" value={keySid}
              onChange={(e) => setKeySid(e.target.value)} />
          </>
        )}
        <label htmlFor="twilio-secret">{kind === "authToken" ? "Auth Token" : "API Key Secret"}</label>
        <input id="twilio-secret" type="password" autoComplete="off" value={secret}
          onChange={(e) => setSecret(e.target.value)} data-testid="twilio-secret" />
        <div className="row">
          <button type="submit" className="primary" disabled={connect.isPending || !accountSid || !secret}
            data-testid="twilio-connect">
            {connect.isPending ? "Checking with Twilio…" : "Connect"}
          </button>
        </div>
        {connect.isError && <p role="alert" className="error-text">{errorMessage(connect.error)}</p>}
        <p className="note">CallDeck checks the credentials with Twilio before keeping them. {storeNote}</p>
      </form>
    </section>
  );
}

function policyKind(p: DownloadPolicy): string {
  return p.kind;
}

function SyncOptions({ status }: { status: TwilioStatus }) {
  const save = useSaveSyncSettings();
  const settings = status.settings;
  const update = (patch: Partial<SyncSettings>) => save.mutate({ ...settings, ...patch });
  const days = settings.downloadPolicy.kind === "lastDays" ? settings.downloadPolicy.days : 30;

  return (
    <section>
      <strong>Sync</strong>
      <label htmlFor="download-policy">Download audio for offline listening</label>
      <select
        id="download-policy"
        value={policyKind(settings.downloadPolicy)}
        onChange={(e) => {
          const kind = e.target.value;
          update({
            downloadPolicy:
              kind === "lastDays" ? { kind: "lastDays", days } : ({ kind } as DownloadPolicy),
          });
        }}
      >
        <option value="none">None (stream when played)</option>
        <option value="starred">Starred recordings</option>
        <option value="lastDays">Recordings of the last N days</option>
        <option value="all">All recordings</option>
      </select>
      {settings.downloadPolicy.kind === "lastDays" && (
        <>
          <label htmlFor="download-days">Days</label>
          <input id="download-days" type="number" min={1} max={3650} defaultValue={days}
            onBlur={(e) => update({ downloadPolicy: { kind: "lastDays", days: Number(e.target.value) || 30 } })} />
        </>
      )}
      <label htmlFor="background">Background sync</label>
      <select
        id="background"
        value={settings.backgroundMinutes ?? 0}
        onChange={(e) => update({ backgroundMinutes: Number(e.target.value) || null })}
      >
        <option value={0}>Off</option>
        <option value={5}>Every 5 minutes</option>
        <option value={15}>Every 15 minutes</option>
        <option value={60}>Every hour</option>
      </select>
      <label className="check">
        <input
          type="checkbox"
          checked={settings.notifyNew}
          disabled={settings.backgroundMinutes === null}
          data-testid="notify-new"
          onChange={(e) => update({ notifyNew: e.target.checked })}
        />
        Notify me when a background sync finds new recordings
      </label>
      <ConcurrencyField
        key={settings.twilioConcurrency}
        value={settings.twilioConcurrency}
        onSave={(n) => update({ twilioConcurrency: n })}
      />
      {save.isError && <p role="alert" className="error-text">{errorMessage(save.error)}</p>}
    </section>
  );
}
