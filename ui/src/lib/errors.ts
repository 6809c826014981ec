import type { ApiError, ErrorCode } from "../bindings";
import { CommandError } from "./command";

/**
 * The core writes every sentence a person reads about an error (`Error::user_message` in
 * crates/core, sent as `{code, message}`); the UI shows that sentence. Only where one screen
 * must say it otherwise is there a wording here, by screen, keyed by the stable code.
 */
export type ErrorOverrides = Partial<Record<ErrorCode, string>>;

export const SCREEN_WORDING = {
  /** The player bar has one short line under its controls, and a device it did not find is
   * its own finding (no command failed, so no sentence came from the core). */
  player: {
    not_available_offline: "Not available offline — download it first",
    no_audio_device: "No audio output device found; playback runs silently",
  },
} satisfies Record<string, ErrorOverrides>;

/** What a person reads when what was thrown is not the core's error: never its internals. */
export const UNEXPECTED = "Something went wrong inside CallDeck. Please try again.";

function isApiError(error: unknown): error is ApiError {
  return (
    typeof error === "object" &&
    error !== null &&
    !(error instanceof Error) &&
    typeof (error as ApiError).code === "string" &&
    typeof (error as ApiError).message === "string"
  );
}

/**
 * The sentence for an error: the screen's own wording for its code if it has one, else the
 * core's message. Anything else thrown (a bug, a failed `invoke`) reads as `UNEXPECTED`.
 */
export function errorMessage(error: unknown, overrides: ErrorOverrides = {}): string {
  if (error instanceof CommandError || isApiError(error)) {
    return overrides[error.code] ?? (error.message || UNEXPECTED);
  }
  return UNEXPECTED;
}
