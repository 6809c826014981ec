import { useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";

import { listenWhileMounted } from "../lib/listenWhileMounted";
import { events } from "../bindings";
import { invalidateLibrary } from "../lib/invalidate";

/**
 * The backend says the library changed (a sync, a download, an edit, a cleanup): refetch
 * only what the event names.
 */
export function useLibraryEvents(enabled: boolean) {
  const client = useQueryClient();
  useEffect(() => {
    if (!enabled) return;
    return listenWhileMounted(() =>
      events.libraryChanged.listen((e) => void invalidateLibrary(client, e.payload.change)),
    );
  }, [client, enabled]);
}
