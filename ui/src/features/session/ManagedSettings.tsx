import type { AuthSetup } from "../../bindings";
import { DEFAULT_OFFLINE_DAYS } from "./authForm";
import { CallbackUrls } from "./CallbackUrls";

const FROM = { environment: "environment variables", managed_file: "a managed configuration file", setup: "" } as const;

/** Settings an administrator put in place: shown so support can check them, never edited here. */
export function ManagedSettings({ setup }: { setup: AuthSetup }) {
  const s = setup.settings;
  if (!s || !setup.source) return null;
  return (
    <section className="auth-managed" aria-label="Sign-in settings" data-testid="auth-managed">
      <p className="small">
        <strong>Configured by your administrator</strong> <span className="muted">(from {FROM[setup.source]})</span>
      </p>
      <dl>
        <dt>Auth0 domain</dt>
        <dd>{s.domain}</dd>
        <dt>Client ID</dt>
        <dd>{s.clientId}</dd>
        {s.audience && (
          <>
            <dt>Audience</dt>
            <dd>{s.audience}</dd>
          </>
        )}
        <dt>Offline days</dt>
        <dd>{s.offlineDays ?? DEFAULT_OFFLINE_DAYS}</dd>
      </dl>
      <CallbackUrls urls={setup.callbackUrls} />
    </section>
  );
}
