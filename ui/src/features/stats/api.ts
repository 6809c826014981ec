import { queryOptions, useQuery } from "@tanstack/react-query";

import { commands } from "../../bindings";
import { unwrap } from "../../lib/command";
import { statsKey } from "../../lib/queryKeys";

/** Read again when a change moves a total (`LibraryChanged`), on focus and when shown. */
export const statsQuery = queryOptions({
  queryKey: statsKey,
  queryFn: () => unwrap(commands.recordingStats()),
});

export function useStats() {
  return useQuery(statsQuery);
}

/** The categories in use, for filters and suggestions (from the stats, largest first). */
export function useCategories(): string[] {
  const { data } = useQuery({ ...statsQuery, select: (s) => s.byCategory.flatMap((c) => (c.key ? [c.key] : [])) });
  return data ?? [];
}
