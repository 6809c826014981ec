import type { AccountSummary, ApiError, AuthSettings, AuthSetup, ConfigSource, SignedInUser } from "../bindings";

/** An account that signed in on this device before. */
export type TestAccount = {
  key: string;
  name: string;
  email?: string | null;
  avatar?: string | null;
  /** False: it signed out (or its grant ended), so switching to it answers `session_expired`. */
  hasSession?: boolean;
  /** It signed in through another provider than the settings now name. */
  otherProvider?: boolean;
};

export type SessionOptions = {
  /** The demo workspace is open when the app starts. */
  signedIn?: boolean;
  /** Or this account (a key of `accounts`) is signed in. */
  signedInAs?: string;
  accounts?: TestAccount[];
  /** Sign-in settings in force; none (the first run) when left out. */
  auth?: { settings: AuthSettings; source: ConfigSource };
  offline?: boolean;
  notice?: string;
  /** Who the browser signs in as; the first known account, else a new one, when left out. */
  browserSignsInAs?: TestAccount;
  /** `sign_in` waits until the test calls `finishSignIn()` or the UI cancels. */
  holdSignIn?: boolean;
};

export const DEMO_USER: SignedInUser = { displayName: "Demo agent", provider: "demo", email: null, accountKey: "demo" };
const DEFAULT_PORTS = [47613, 47614, 47615];
const NEW_ACCOUNT: TestAccount = { key: "new-account", name: "New Person", email: "new@example.com" };

const refuse = (code: ApiError["code"], message: string): ApiError => ({ code, message });

type Hooks = {
  /** Whenever the account changes: the backend stops playback then. */
  onSwitch: () => void;
  /** A sign-out that removes the user's data from this device. */
  onRemoveData: (accountKey: string) => void;
};

const known = (a: TestAccount): Required<TestAccount> => ({
  email: null,
  avatar: null,
  hasSession: true,
  otherProvider: false,
  ...a,
});

/** Who is signed in, the accounts of this device and the sign-in settings, as the Rust side keeps them. */
export function sessionDouble(opts: SessionOptions, hooks: Hooks) {
  const accounts = (opts.accounts ?? []).map(known);
  let auth = opts.auth ?? null;
  let offline = opts.offline ?? false;
  let notice = opts.notice ?? null;
  let held: { finish: () => void; reject: (e: ApiError) => void } | null = null;

  const userOf = (a: Required<TestAccount>): SignedInUser => ({
    displayName: a.name,
    provider: "oidc",
    email: a.email,
    accountKey: a.key,
  });
  const start = accounts.find((a) => a.key === opts.signedInAs);
  let user: SignedInUser | null = start ? userOf(start) : opts.signedIn ? DEMO_USER : null;

  const open = (next: SignedInUser | null) => {
    hooks.onSwitch();
    user = next;
    notice = null;
    offline = false;
  };
  const establish = (who: TestAccount) => {
    let account = accounts.find((a) => a.key === who.key);
    if (!account) {
      account = known(who);
      accounts.push(account);
    }
    account.hasSession = true;
    open(userOf(account));
    return user;
  };
  const setup = (): AuthSetup => {
    const ports = auth?.settings.callbackPorts?.length ? auth.settings.callbackPorts : DEFAULT_PORTS;
    return {
      settings: auth?.settings ?? null,
      source: auth?.source ?? null,
      callbackUrls: ports.map((p) => `http://127.0.0.1:${p}/callback`),
    };
  };

  const commands: Record<string, (a: Record<string, unknown>) => unknown> = {
    session_status: () => ({ user, offline, authConfigured: auth !== null, notice }),
    open_demo_workspace: () => {
      open(DEMO_USER);
      return user;
    },
    auth_setup: setup,
    save_auth_setup: (a) => {
      if (auth && auth.source !== "setup") {
        throw refuse("invalid_input", "Sign-in is configured by your administrator and cannot be changed here.");
      }
      const settings = a.settings as AuthSettings;
      if (!settings.domain.includes(".")) {
        throw refuse("invalid_input", "Enter your Auth0 domain, for example your-tenant.eu.auth0.com.");
      }
      auth = { settings, source: "setup" };
      return setup();
    },
    sign_in: () => {
      if (!auth) throw refuse("auth_not_configured", "Sign-in is not set up yet.");
      const who = opts.browserSignsInAs ?? accounts[0] ?? NEW_ACCOUNT;
      if (!opts.holdSignIn) return establish(who);
      return new Promise<SignedInUser | null>((resolve, reject) => {
        held = { finish: () => resolve(establish(who)), reject };
      });
    },
    cancel_sign_in: () => {
      held?.reject(refuse("auth_cancelled", "Sign-in was cancelled."));
      held = null;
      return null;
    },
    list_accounts: (): AccountSummary[] =>
      accounts.map(({ otherProvider, ...a }) => {
        const current = user?.accountKey === a.key;
        const status = current
          ? "current"
          : otherProvider
            ? "other_provider"
            : a.hasSession
              ? "session_kept"
              : "signed_out";
        return { ...a, current, status, providerHost: "acme.auth0.com" };
      }),
    accounts_needing_sign_in: (a) => {
      const next = a.settings as AuthSettings;
      const same = auth && auth.settings.domain === next.domain && auth.settings.clientId === next.clientId;
      return same ? [] : accounts.filter((x) => !x.otherProvider).map((x) => x.name);
    },
    switch_account: (a) => {
      const account = accounts.find((x) => x.key === a.key);
      if (!account) throw refuse("not_found", "That account is not on this device.");
      if (!account.hasSession) throw refuse("session_expired", "Your session has ended. Please sign in again.");
      return establish(account);
    },
    sign_out: (a) => {
      const account = accounts.find((x) => x.key === user?.accountKey);
      if (account) account.hasSession = false;
      if (a.removeData && user) {
        hooks.onRemoveData(user.accountKey);
        if (account) accounts.splice(accounts.indexOf(account), 1);
      }
      open(null);
      return null;
    },
  };

  return {
    commands,
    current: () => user,
    finishSignIn: () => {
      held?.finish();
      held = null;
    },
    /** What the backend does when a grant ends on its own; the test then emits sessionChanged. */
    endSession: (why: string) => {
      open(null);
      notice = why;
    },
    setOffline: (value: boolean) => {
      offline = value;
    },
  };
}
