import { useEffect } from "react";

import { isPlainKey, isTypingTarget } from "../../lib/keyboard";
import { NUDGE_MS, SKIP_MS, skip, stepSpeed, toggleMute, togglePlay } from "./actions";
import { getPlayer } from "./store";

/** The action for a key, or null when the player does not own that key. */
function actionFor(event: KeyboardEvent): (() => unknown) | null {
  switch (event.key) {
    case " ":
    case "k":
    case "K":
      // A focused button keeps its own Space.
      if (event.key === " " && event.target instanceof HTMLButtonElement) return null;
      return togglePlay;
    case "ArrowLeft":
      return () => skip(-NUDGE_MS);
    case "ArrowRight":
      return () => skip(NUDGE_MS);
    case "j":
    case "J":
      return () => skip(-SKIP_MS);
    case "l":
    case "L":
      return () => skip(SKIP_MS);
    case "[":
      return () => stepSpeed(-1);
    case "]":
      return () => stepSpeed(1);
    case "m":
    case "M":
      return toggleMute;
    default:
      return null;
  }
}

/**
 * The player's shortcuts: Space / K play-pause, ←/→ ±5 s, J/L ±10 s, [ ] speed, M mute.
 * Never while typing in a field or while a dialog is open; only when something is loaded.
 */
export function usePlayerKeys() {
  useEffect(() => {
    const listener = (event: KeyboardEvent) => {
      if (event.defaultPrevented || (event.repeat && event.key === " ") || !isPlainKey(event)) return;
      if (isTypingTarget(event.target) || document.querySelector('[aria-modal="true"]')) return;
      if (!getPlayer().state.recordingId) return;
      const action = actionFor(event);
      if (!action) return;
      event.preventDefault();
      void action();
    };
    document.addEventListener("keydown", listener);
    return () => document.removeEventListener("keydown", listener);
  }, []);
}
