import { useEffect } from "react";

import { commands, events } from "../../bindings";
import { resetPlayer, setPlayerState } from "./store";

/**
 * Keeps the store in step with the backend while the signed-in window is shown: the
 * current state once, then every PlayerStateChanged event (about ten a second while
 * playing). Mount it once; unmounting (sign-out) forgets the state.
 */
export function usePlayerConnection() {
  useEffect(() => {
    let cancelled = false;
    let stop: (() => void) | null = null;
    resetPlayer();
    events.playerStateChanged
      .listen((event) => {
        if (!cancelled) setPlayerState(event.payload.state);
      })
      .then((unlisten) => {
        if (cancelled) unlisten();
        else stop = unlisten;
      })
      .catch(() => undefined);
    commands
      .playerState()
      .then((result) => {
        if (!cancelled && result.status === "ok") setPlayerState(result.data);
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
      stop?.();
      resetPlayer();
    };
  }, []);
}
