import "./session.css";

import { useState } from "react";

import type { SessionStatus } from "../../bindings";
import { useAuthSetup, useOpenDemoWorkspace } from "./api";
import { AuthSetupForm } from "./AuthSetupForm";
import { BrowserWait } from "./BrowserWait";
import { KnownAccounts } from "./KnownAccounts";
import { ManagedSettings } from "./ManagedSettings";
import { useAccountSignIn } from "./useAccountSignIn";
import { errorMessage } from "../../lib/errors";

type Props = { status: SessionStatus };

export function SignInScreen({ status }: Props) {
  const setup = useAuthSetup();
  const account = useAccountSignIn();
  const openDemo = useOpenDemoWorkspace();
  const [editing, setEditing] = useState(false);
  const source = setup.data?.source ?? null;
  const managed = source === "environment" || source === "managed_file";
  const showForm = !managed && (!status.authConfigured || editing);

  const error = account.error ?? (openDemo.isError ? openDemo.error : null) ?? (setup.isError ? setup.error : null);

  return (
    <main className="sign-in">
      <div className="sign-in-card">
        <img className="sign-in-logo" src="/icon.png" alt="" width={72} height={72} />
        <h1>CallDeck</h1>
        <p className="muted">Your Twilio call recordings, on your desktop: find any call, play it, review it offline.</p>
        {status.notice && (
          <p role="status" className="session-alert notice" data-testid="session-notice">
            {status.notice}
          </p>
        )}
        {error && (
          <p role="alert" className="session-alert error" data-testid="sign-in-error">
            {errorMessage(error)}
          </p>
        )}
        {showForm && setup.data && (
          <AuthSetupForm
            setup={setup.data}
            onSaved={() => setEditing(false)}
            onCancel={status.authConfigured ? () => setEditing(false) : undefined}
          />
        )}
        {!showForm && status.authConfigured && (
          <>
            {account.waitingForBrowser ? (
              <BrowserWait onCancel={account.cancel} />
            ) : (
              <button
                type="button"
                className="primary"
                data-testid="sign-in"
                disabled={account.busy}
                onClick={account.signIn}
              >
                Sign in with Auth0
              </button>
            )}
            <KnownAccounts disabled={account.busy} onPick={account.switchAccount} />
            {source === "setup" && !account.busy && (
              <button
                type="button"
                className="link small"
                data-testid="change-auth-setup"
                onClick={() => setEditing(true)}
              >
                Change sign-in settings
              </button>
            )}
          </>
        )}
        {managed && setup.data && <ManagedSettings setup={setup.data} />}
        <div className="sign-in-or" aria-hidden="true">
          <span>or</span>
        </div>
        <button
          type="button"
          data-testid="open-demo"
          className="demo-button"
          disabled={openDemo.isPending}
          aria-busy={openDemo.isPending}
          onClick={() => {
            // The demo replaces a sign-in still waiting for the browser.
            if (account.waitingForBrowser) account.cancel();
            openDemo.mutate();
          }}
        >
          Open demo workspace
        </button>
        <p className="muted small">
          The demo workspace needs no account: 200 sample calls, some with audio, kept on this computer only.
        </p>
      </div>
    </main>
  );
}
