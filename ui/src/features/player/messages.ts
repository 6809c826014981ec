import type { ApiError, ErrorCode, PlayerState } from "../../bindings";

const LINES: Partial<Record<ErrorCode, string>> = {
  not_available_offline: "Not available offline — download it first",
  no_audio_device: "No audio output device found; playback runs silently",
  not_found: "That recording could not be found.",
  audio_unreadable: "This recording's audio could not be read.",
  not_signed_in: "Your session has ended. Please sign in again.",
  internal: "Something went wrong inside CallDeck. Please try again.",
};

/** The line under the controls: a failed command first, then the player's own error. */
export function playerErrorLine(
  state: PlayerState,
  commandError: ApiError | null,
): { text: string; kind: "warning" | "failure" } | null {
  const error = commandError ?? state.error ?? (state.outputDevice ? null : { code: "no_audio_device", message: "" });
  if (!error) return null;
  // Playing without a device still works: a warning, not a failure.
  return { text: LINES[error.code] ?? error.message, kind: error.code === "no_audio_device" ? "warning" : "failure" };
}
