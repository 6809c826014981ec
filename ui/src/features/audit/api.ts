import { useInfiniteQuery, useMutation } from "@tanstack/react-query";

import { commands, type AuditEntry } from "../../bindings";
import { unwrap } from "../../lib/command";

export const AUDIT_PAGE = 50;

export function useAuditLog() {
  return useInfiniteQuery({
    queryKey: ["audit"],
    queryFn: ({ pageParam }) => unwrap(commands.listAudit({ before: pageParam, limit: AUDIT_PAGE })),
    initialPageParam: null as number | null,
    getNextPageParam: (last: AuditEntry[]) => (last.length < AUDIT_PAGE ? null : (last.at(-1)?.id ?? null)),
    refetchInterval: 30_000,
  });
}

export function useExportAuditCsv() {
  return useMutation({ mutationFn: () => unwrap(commands.exportAuditCsv()) });
}
