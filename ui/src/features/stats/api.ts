import { queryOptions, useQuery } from "@tanstack/react-query";

import { commands } from "../../bindings";
import { unwrap } from "../../lib/command";

export const statsQuery = queryOptions({
  queryKey: ["stats"],
  queryFn: () => unwrap(commands.recordingStats()),
  refetchInterval: 30_000,
});

export function useStats() {
  return useQuery(statsQuery);
}

/** The categories in use, for filters and suggestions (from the stats, largest first). */
export function useCategories(): string[] {
  const { data } = useQuery({ ...statsQuery, select: (s) => s.byCategory.flatMap((c) => (c.key ? [c.key] : [])) });
  return data ?? [];
}
