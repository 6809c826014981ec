import { useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";

import { events } from "../../bindings";
import { refreshSession } from "./api";

/**
 * The backend ends sessions on its own (a revoked grant) and notices the network coming
 * back: refetch the session status then, signed in or not.
 */
export function useSessionEvents() {
  const client = useQueryClient();
  useEffect(() => {
    let stop: (() => void) | null = null;
    let cancelled = false;
    events.sessionChanged
      .listen(() => void refreshSession(client))
      .then((unlisten) => {
        if (cancelled) unlisten();
        else stop = unlisten;
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
      stop?.();
    };
  }, [client]);
}
