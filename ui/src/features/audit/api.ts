import { useInfiniteQuery, useMutation } from "@tanstack/react-query";

import { commands, type AuditEntry } from "../../bindings";
import { unwrap } from "../../lib/command";
import { auditKey } from "../../lib/queryKeys";

export const AUDIT_PAGE = 50;

export function useAuditLog() {
  return useInfiniteQuery({
    queryKey: auditKey,
    queryFn: ({ pageParam }) => unwrap(commands.listAudit({ before: pageParam, limit: AUDIT_PAGE })),
    initialPageParam: null as number | null,
    getNextPageParam: (last: AuditEntry[]) => (last.length < AUDIT_PAGE ? null : (last.at(-1)?.id ?? null)),
    // Every action adds an entry, and an event names what changed, not that an entry was
    // written: the log is read afresh each time it is shown, and on focus.
    staleTime: 0,
  });
}

export function useExportAuditCsv() {
  return useMutation({ mutationFn: () => unwrap(commands.exportAuditCsv()) });
}
