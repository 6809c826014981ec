import type { ApiError, PlayerState } from "../../bindings";
import { errorMessage, SCREEN_WORDING } from "../../lib/errors";

/** The line under the controls: a failed command first, then the player's own error. */
export function playerErrorLine(
  state: PlayerState,
  commandError: ApiError | null,
): { text: string; kind: "warning" | "failure" } | null {
  const error = commandError ?? state.error ?? (state.outputDevice ? null : { code: "no_audio_device", message: "" });
  if (!error) return null;
  // Playing without a device still works: a warning, not a failure.
  return {
    text: errorMessage(error, SCREEN_WORDING.player),
    kind: error.code === "no_audio_device" ? "warning" : "failure",
  };
}
