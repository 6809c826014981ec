import { useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";

import { events } from "../bindings";
import { invalidateLibrary } from "../features/library/api";

/** The backend says the library changed (a sync, another window, a cleanup): refetch what is shown. */
export function useLibraryEvents(enabled: boolean) {
  const client = useQueryClient();
  useEffect(() => {
    if (!enabled) return;
    let stop: (() => void) | null = null;
    let cancelled = false;
    events.libraryChanged
      .listen(() => void invalidateLibrary(client))
      .then((unlisten) => {
        if (cancelled) unlisten();
        else stop = unlisten;
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
      stop?.();
    };
  }, [client, enabled]);
}
