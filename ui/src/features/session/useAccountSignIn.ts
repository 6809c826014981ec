import type { ErrorCode } from "../../bindings";
import { CommandError } from "../../lib/command";
import { cancelSignIn, useSignIn, useSwitchAccount } from "./api";

const hasCode = (error: unknown, code: ErrorCode) => error instanceof CommandError && error.code === code;

export type AccountSignIn = ReturnType<typeof useAccountSignIn>;

/**
 * Signing in through the browser, and switching to an account known on this device, which
 * goes through the browser too when that account's session has ended.
 */
export function useAccountSignIn() {
  const signIn = useSignIn();
  const switchTo = useSwitchAccount();

  // A cancel is the user's own choice, and an ended session goes on to the browser: neither is news to show.
  const shown = (error: unknown) => error && !hasCode(error, "auth_cancelled") && !hasCode(error, "session_expired");
  const error = [signIn.error, switchTo.error].find(shown) ?? null;

  return {
    signIn: () => {
      switchTo.reset();
      signIn.mutate();
    },
    switchAccount: (key: string) => {
      signIn.reset();
      switchTo.mutate(key, {
        onError: (e) => {
          if (hasCode(e, "session_expired")) signIn.mutate();
        },
      });
    },
    // The pending sign-in then answers `auth_cancelled`.
    cancel: () => void cancelSignIn().catch(() => undefined),
    reset: () => {
      signIn.reset();
      switchTo.reset();
    },
    waitingForBrowser: signIn.isPending,
    busy: signIn.isPending || switchTo.isPending,
    error,
  };
}
