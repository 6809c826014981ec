import { useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";

import { listenWhileMounted } from "./listenWhileMounted";
import { events } from "../bindings";
import { invalidateLibrary } from "../features/library/api";

/** The backend says the library changed (a sync, another window, a cleanup): refetch what is shown. */
export function useLibraryEvents(enabled: boolean) {
  const client = useQueryClient();
  useEffect(() => {
    if (!enabled) return;
    return listenWhileMounted(() =>
      events.libraryChanged.listen(() => void invalidateLibrary(client)),
    );
  }, [client, enabled]);
}
