import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { commands, type CleanupPolicy } from "../../bindings";
import { unwrap } from "../../lib/command";
import { invalidateLibrary } from "../../lib/invalidate";

export function useCleanupPreview(policy: CleanupPolicy | null) {
  return useQuery({
    queryKey: ["cleanup-preview", policy],
    queryFn: () => unwrap(commands.previewCleanup(policy as CleanupPolicy)),
    enabled: policy !== null,
    staleTime: 0,
    refetchInterval: false,
  });
}

export function useRunCleanup() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (policy: CleanupPolicy) => unwrap(commands.runCleanup(policy)),
    onSettled: () => invalidateLibrary(client, { kind: "everything" }),
  });
}
