import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";

import { listenWhileMounted } from "../../lib/listenWhileMounted";
import { commands, events, type QueueStatus } from "../../bindings";
import { unwrap } from "../../lib/command";

export const downloadQueueQuery = queryOptions({
  queryKey: ["downloads", "queue"],
  queryFn: () => unwrap(commands.downloadQueueStatus()),
});

/** The signed-in user's download queue, kept current by the backend's events. */
export function useDownloadQueue() {
  const client = useQueryClient();
  useEffect(
    () =>
      listenWhileMounted(() =>
        events.downloadQueueChanged.listen((e) =>
          client.setQueryData(downloadQueueQuery.queryKey, e.payload.status),
        ),
      ),
    [client],
  );
  // A sync works the queue too, and says so with its own progress: look again when it moves
  // into or out of its downloads, and whenever the library changes.
  useEffect(
    () =>
      listenWhileMounted(() =>
        events.syncProgressed.listen((e) => {
          const phase = e.payload.progress.phase;
          if (phase === "downloads" || phase === "done") {
            void client.invalidateQueries({ queryKey: downloadQueueQuery.queryKey });
          }
        }),
      ),
    [client],
  );
  useEffect(
    () =>
      listenWhileMounted(() =>
        events.libraryChanged.listen(
          () => void client.invalidateQueries({ queryKey: downloadQueueQuery.queryKey }),
        ),
      ),
    [client],
  );
  return useQuery(downloadQueueQuery);
}

export function useQueueAction() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (action: "pause" | "resume" | "retry"): Promise<QueueStatus> =>
      action === "retry"
        ? unwrap(commands.retryFailedDownloads())
        : unwrap(commands.pauseDownloads(action === "pause")),
    onSuccess: (status) => client.setQueryData(downloadQueueQuery.queryKey, status),
  });
}
