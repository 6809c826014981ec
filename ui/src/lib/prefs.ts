/**
 * Preferences: the one place the window reads and writes them. Types and defaults are
 * generated from Rust (`calldeck_core::prefs`); the backend keeps them per user in their own
 * folder (and the theme before sign-in for the computer), saving each change whole.
 */
import { useSyncExternalStore } from "react";

import {
  commands,
  DEFAULT_APP_PREFS,
  DEFAULT_USER_PREFS,
  type AppPrefs,
  type Theme,
  type UserPrefs,
} from "../bindings";
import { unwrap } from "./command";

/** A change is saved this long after the last one (a drag or a slider sends many). */
export const SAVE_DELAY_MS = 300;

type Frozen<T> = { readonly [K in keyof T]: T[K] extends (infer U)[] ? readonly U[] : T[K] extends object ? Frozen<T[K]> : T[K] };
// Fails to compile if the generated defaults ever stop fitting the generated type.
const userDefaults: Frozen<UserPrefs> = DEFAULT_USER_PREFS;
const appDefaults: Frozen<AppPrefs> = DEFAULT_APP_PREFS;

export function defaultUserPrefs(): UserPrefs {
  return structuredClone(userDefaults) as UserPrefs;
}

export type PrefsSnapshot = {
  app: AppPrefs;
  user: UserPrefs;
  /** Whose preferences `user` holds (null: nobody's yet, the defaults). */
  accountKey: string | null;
  /** The backend's name for this reading; saves carry it back. */
  token: string | null;
  /** Sentences to show once (a preferences file could not be read), until taken. */
  notices: string[];
};

const initial = (): PrefsSnapshot => ({
  app: structuredClone(appDefaults) as AppPrefs,
  user: defaultUserPrefs(),
  accountKey: null,
  token: null,
  notices: [],
});

let snapshot = initial();
const listeners = new Set<() => void>();
let saveTimer: ReturnType<typeof setTimeout> | null = null;
let loading: Promise<void> | null = null;

function publish(next: PrefsSnapshot) {
  snapshot = next;
  for (const listener of listeners) listener();
}

/** Shows the theme: an attribute on the root element, absent to follow the system. */
export function applyTheme(theme: Theme) {
  const root = document.documentElement;
  if (theme === "system") delete root.dataset.theme;
  else root.dataset.theme = theme;
}

/**
 * Reads the computer's and the signed-in person's preferences (one at a time: a second
 * call while one runs shares it). If the reading fails, `expected` (who the window thinks is
 * signed in) gets the defaults for this session, and nothing is saved for them.
 */
export function loadPrefs(expected: string | null = null): Promise<void> {
  loading ??= unwrap(commands.preferences())
    .then((view) => {
      cancelSave();
      publish({
        app: view.app,
        user: view.user ?? defaultUserPrefs(),
        accountKey: view.accountKey,
        token: view.token,
        notices: [...snapshot.notices, ...view.notices],
      });
      applyTheme(view.user?.theme ?? view.app.theme);
    })
    .catch(() => {
      if (expected !== null) publish({ ...snapshot, user: defaultUserPrefs(), accountKey: expected, token: null });
    })
    .finally(() => {
      loading = null;
    });
  return loading;
}

/**
 * Makes the snapshot hold `accountKey`'s preferences. A reading already under way may be
 * for the person before a switch, so it reads again until the answer is theirs (a few
 * times; then the defaults, saving nothing, until the session settles).
 */
export async function ensurePrefsFor(accountKey: string): Promise<void> {
  for (let i = 0; i < 3 && snapshot.accountKey !== accountKey; i++) await loadPrefs(accountKey);
  if (snapshot.accountKey !== accountKey) {
    publish({ ...snapshot, user: defaultUserPrefs(), accountKey, token: null });
  }
}

export function getPrefs(): UserPrefs {
  return snapshot.user;
}

export function getPrefsSnapshot(): PrefsSnapshot {
  return snapshot;
}

/** Changes preferences at once on screen; saved a moment after the last change. */
export function updatePrefs(patch: Partial<UserPrefs>) {
  const user = { ...snapshot.user, ...patch };
  if (JSON.stringify(user) === JSON.stringify(snapshot.user)) return;
  // The backend keeps the last chosen theme for the computer too (shown before sign-in).
  const app = patch.theme ? { ...snapshot.app, theme: patch.theme } : snapshot.app;
  publish({ ...snapshot, user, app });
  if (patch.theme) applyTheme(patch.theme);
  cancelSave();
  saveTimer = setTimeout(() => void flushPrefs(), SAVE_DELAY_MS);
}

export function setPref<K extends keyof UserPrefs>(key: K, value: UserPrefs[K]) {
  updatePrefs({ [key]: value } as Pick<UserPrefs, K>);
}

function cancelSave() {
  if (saveTimer !== null) clearTimeout(saveTimer);
  saveTimer = null;
}

/** Saves a change still waiting, now (before a switch of account, or when leaving). */
export async function flushPrefs(): Promise<void> {
  if (saveTimer === null) return;
  cancelSave();
  const { token, user } = snapshot;
  if (token === null) return;
  try {
    await unwrap(commands.savePreferences(token, user));
  } catch {
    // Refused because the person switched meanwhile, or the disk failed: the window keeps
    // working with what is on screen; the next change tries again.
  }
}

/** Nobody signed in: the last person's preferences leave the window (the theme stays). */
export function forgetUserPrefs() {
  if (snapshot.accountKey === null) return;
  cancelSave();
  publish({ ...snapshot, user: defaultUserPrefs(), accountKey: null, token: null });
}

/** Back to the defaults, nothing pending (tests). */
export function resetPrefs() {
  cancelSave();
  loading = null;
  publish(initial());
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function usePrefs(): UserPrefs {
  return useSyncExternalStore(subscribe, getPrefs, getPrefs);
}

export function usePref<K extends keyof UserPrefs>(key: K): UserPrefs[K] {
  return useSyncExternalStore(subscribe, () => snapshot.user[key], () => snapshot.user[key]);
}

export function usePrefsSnapshot(): PrefsSnapshot {
  return useSyncExternalStore(subscribe, getPrefsSnapshot, getPrefsSnapshot);
}

/** The notices not shown yet, which are then forgotten. */
export function takePrefsNotices(): string[] {
  const { notices } = snapshot;
  if (notices.length > 0) publish({ ...snapshot, notices: [] });
  return notices;
}
