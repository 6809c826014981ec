import { queryOptions, useMutation, useQuery, useQueryClient, type QueryClient } from "@tanstack/react-query";

import { commands, type AuthSettings, type SessionStatus, type SignedInUser } from "../../bindings";
import { unwrap } from "../../lib/command";
import { flushPrefs } from "../../lib/prefs";

const SESSION_KEY = ["session"] as const;

/**
 * Nothing cached for one account may render for another: when the account changes, every
 * other query goes before the new session reaches the cache (and so before any view of the
 * new account renders and reads it).
 */
function forgetOtherAccount(client: QueryClient, next: SignedInUser | null) {
  const shown = client.getQueryData<SessionStatus>(SESSION_KEY)?.user ?? null;
  if (shown?.accountKey === next?.accountKey) return;
  client.removeQueries({ predicate: (q) => q.queryKey[0] !== SESSION_KEY[0] });
}

export const sessionQuery = queryOptions({
  queryKey: SESSION_KEY,
  // Every way the status arrives (start-up, a sessionChanged event, a refetch) passes here.
  queryFn: async ({ client }) => {
    const status = await unwrap(commands.sessionStatus());
    forgetOtherAccount(client, status.user);
    return status;
  },
  staleTime: Infinity,
});

export function useSession() {
  return useQuery(sessionQuery);
}

/** Shows the account a command just opened at once; the refetch then brings the offline flag. */
async function adoptAccount(client: QueryClient, user: SignedInUser | null) {
  forgetOtherAccount(client, user);
  client.setQueryData<SessionStatus>(SESSION_KEY, (status) => status && { ...status, user, notice: null });
  await client.invalidateQueries({ queryKey: SESSION_KEY });
}

function useSessionChange<A, T extends SignedInUser | null>(run: (arg: A) => Promise<T>) {
  const client = useQueryClient();
  return useMutation({
    // A preference changed a moment ago is saved as the person who changed it.
    mutationFn: async (arg: A) => {
      await flushPrefs();
      return run(arg);
    },
    onSuccess: (user) => adoptAccount(client, user),
  });
}

export function useOpenDemoWorkspace() {
  return useSessionChange(() => unwrap(commands.openDemoWorkspace()));
}

/** Resolves only when the browser comes back: minutes, or never without `cancelSignIn`. */
export function useSignIn() {
  return useSessionChange(() => unwrap(commands.signIn()));
}

export function cancelSignIn() {
  return unwrap(commands.cancelSignIn());
}

export function useSwitchAccount() {
  return useSessionChange((key: string) => unwrap(commands.switchAccount(key)));
}

export function useSignOut() {
  return useSessionChange(async (removeData: boolean) => {
    await unwrap(commands.signOut(removeData));
    return null;
  });
}

const accountsQuery = queryOptions({
  queryKey: ["accounts"],
  queryFn: () => unwrap(commands.listAccounts()),
});

export function useAccounts() {
  return useQuery(accountsQuery);
}

const authSetupQuery = queryOptions({
  queryKey: ["auth-setup"],
  queryFn: () => unwrap(commands.authSetup()),
});

export function useAuthSetup() {
  return useQuery(authSetupQuery);
}

/** Who settings like these would not reopen (they signed in through another provider). */
export function accountsNeedingSignIn(settings: AuthSettings) {
  return unwrap(commands.accountsNeedingSignIn(settings));
}

export function useSaveAuthSetup() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (settings: AuthSettings) => unwrap(commands.saveAuthSetup(settings)),
    onSuccess: async (setup) => {
      client.setQueryData(authSetupQuery.queryKey, setup);
      // `authConfigured` lives in the session status; each account's standing (whether the
      // settings still name its provider) in the accounts list.
      await Promise.all([
        client.invalidateQueries({ queryKey: SESSION_KEY }),
        client.invalidateQueries({ queryKey: accountsQuery.queryKey }),
      ]);
    },
  });
}

/** The backend says who is signed in (or whether they are offline) changed. */
export function refreshSession(client: QueryClient) {
  return Promise.all([
    client.invalidateQueries({ queryKey: SESSION_KEY }),
    client.invalidateQueries({ queryKey: accountsQuery.queryKey }),
  ]);
}
