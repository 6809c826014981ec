import type { ErrorCode } from "../bindings";
import { CommandError } from "./command";

/** What a person reads for each error code; codes without an entry show the backend's own message. */
const FRIENDLY: Partial<Record<ErrorCode, string>> = {
  legal_hold: "This recording is on legal hold, so it can't be deleted or cleaned up. Remove the hold first.",
  no_local_audio: "The audio of this recording isn't on this computer yet, so there is nothing to export.",
  not_signed_in: "Your session has ended. Please sign in again.",
  storage: "The local library could not be read or written. Check the disk and try again.",
  internal: "Something went wrong inside CallDeck. Please try again.",
};

export type ErrorOverrides = Partial<Record<ErrorCode, string>>;

/** A sentence for a person: a per-call override, then the friendly text for the code, then the backend message. */
export function friendlyError(error: unknown, overrides: ErrorOverrides = {}): string {
  if (error instanceof CommandError) {
    return overrides[error.code] ?? FRIENDLY[error.code] ?? error.message;
  }
  return "Something went wrong inside CallDeck. Please try again.";
}
