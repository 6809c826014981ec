import { useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";

import { listenWhileMounted } from "../../lib/listenWhileMounted";
import { events } from "../../bindings";
import { refreshSession } from "./api";

/**
 * The backend ends sessions on its own (a revoked grant) and notices the network coming
 * back: refetch the session status then, signed in or not.
 */
export function useSessionEvents() {
  const client = useQueryClient();
  useEffect(() => {
    return listenWhileMounted(() =>
      events.sessionChanged.listen(() => void refreshSession(client)),
    );
  }, [client]);
}
