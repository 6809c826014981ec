import { useId, useState, type FormEvent } from "react";

import type { AuthSettings, AuthSetup } from "../../bindings";
import { accountsNeedingSignIn, useSaveAuthSetup } from "./api";
import { callbackUrlsFor, formFrom, MAX_OFFLINE_DAYS, settingsFrom, type AuthForm } from "./authForm";
import { CallbackUrls } from "./CallbackUrls";
import { errorMessage } from "../../lib/errors";

type Props = {
  setup: AuthSetup;
  onSaved: () => void;
  /** Back to the sign-in button; none on first run, when there is nothing to go back to. */
  onCancel?: () => void;
};

/** First-run (or changed) Auth0 settings, entered by whoever sets up this computer. */
export function AuthSetupForm({ setup, onSaved, onCancel }: Props) {
  const id = useId();
  const save = useSaveAuthSetup();
  const [form, setForm] = useState<AuthForm>(() => formFrom(setup.settings));
  const [problem, setProblem] = useState<string | null>(null);
  // Settings that would leave accounts behind wait for a second, informed click.
  const [pending, setPending] = useState<{ settings: AuthSettings; names: string[] } | null>(null);
  const field = (name: keyof AuthForm) => ({
    id: `${id}-${name}`,
    value: form[name],
    onChange: (e: { target: { value: string } }) => {
      setPending(null);
      setForm((f) => ({ ...f, [name]: e.target.value }));
    },
  });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const checked = settingsFrom(form);
    if ("error" in checked) return setProblem(checked.error);
    setProblem(null);
    if (!pending) {
      // A check that fails must not turn into a save that says nothing.
      let names: string[];
      try {
        names = await accountsNeedingSignIn(checked.settings);
      } catch (e) {
        return setProblem(errorMessage(e));
      }
      if (names.length > 0) return setPending({ settings: checked.settings, names });
    }
    setPending(null);
    save.mutate(checked.settings, { onSuccess: onSaved });
  };

  const error = problem ?? (save.isError ? errorMessage(save.error) : null);

  return (
    <form className="auth-setup" aria-label="Sign-in settings" data-testid="auth-setup" onSubmit={(e) => void submit(e)} noValidate>
      <h2>Set up sign-in</h2>
      <p className="small muted">Enter the Auth0 application CallDeck signs in with. None of this is secret.</p>
      <label htmlFor={`${id}-domain`}>Auth0 domain</label>
      <input type="text" autoComplete="off" spellCheck={false} placeholder="your-tenant.eu.auth0.com" required
        data-testid="auth-domain" {...field("domain")} />
      <label htmlFor={`${id}-clientId`}>Client ID</label>
      <input type="text" autoComplete="off" spellCheck={false} required data-testid="auth-client-id"
        {...field("clientId")} />
      <label htmlFor={`${id}-audience`}>Audience (optional)</label>
      <input type="text" autoComplete="off" spellCheck={false} placeholder="https://api.example.com"
        data-testid="auth-audience" {...field("audience")} />
      <details className="auth-advanced">
        <summary>Advanced</summary>
        <label htmlFor={`${id}-ports`}>Callback ports (comma-separated)</label>
        <input type="text" autoComplete="off" inputMode="numeric" placeholder="Default ports"
          data-testid="auth-ports" {...field("ports")} />
        <label htmlFor={`${id}-offlineDays`}>Offline days</label>
        <input type="number" min={0} max={MAX_OFFLINE_DAYS} data-testid="auth-offline-days" {...field("offlineDays")} />
        <p className="small muted">
          How long CallDeck still opens the last user's library at start without reaching Auth0 (at most{" "}
          {MAX_OFFLINE_DAYS} days here; your administrator can allow more).
        </p>
      </details>
      <CallbackUrls urls={callbackUrlsFor(form.ports, setup.callbackUrls)} />
      {pending && (
        <div role="alert" className="session-alert" data-testid="auth-impact">
          <p>
            These accounts signed in through the current settings and will need to sign in again with the new ones.
            Their data and tokens stay on this computer, untouched:
          </p>
          <ul>
            {pending.names.map((name) => (
              <li key={name}>{name}</li>
            ))}
          </ul>
        </div>
      )}
      {error && (
        <p role="alert" className="session-alert error">
          {error}
        </p>
      )}
      <div className="auth-setup-actions">
        {onCancel && (
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        )}
        <button type="submit" className="primary" disabled={save.isPending} data-testid="auth-save">
          {save.isPending ? "Saving…" : pending ? "Save anyway" : "Save"}
        </button>
      </div>
    </form>
  );
}
