import type { QueryClient, QueryKey } from "@tanstack/react-query";

import type { LibraryChange } from "../bindings";
import { auditKey, recordingKeys, statsKey } from "./queryKeys";

/** The queries a change makes stale: only what it names. */
export function staleAfter(change: LibraryChange): QueryKey[] {
  switch (change.kind) {
    case "recordings":
      return [
        recordingKeys.lists,
        recordingKeys.counts,
        ...change.ids.map((id) => recordingKeys.detail(id)),
        ...(change.totals ? [statsKey] : []),
      ];
    case "notes":
      return [recordingKeys.allNotes];
    case "everything":
      return [recordingKeys.all, statsKey, auditKey];
  }
}

/**
 * Marks what `change` touched as stale; what is on screen refetches at once, the rest when
 * it is next shown. The same for a backend event (`LibraryChanged`) and a mutation of this
 * window, so both say what changed the same way.
 */
export async function invalidateLibrary(client: QueryClient, change: LibraryChange): Promise<void> {
  await Promise.all(staleAfter(change).map((queryKey) => client.invalidateQueries({ queryKey })));
}

/** The recordings changed, and nothing any total counts. */
export const detailsOf = (ids: string[]): LibraryChange => ({ kind: "recordings", ids, totals: false });

/** The recordings changed, and with them what the stats count. */
export const countedOf = (ids: string[]): LibraryChange => ({ kind: "recordings", ids, totals: true });
