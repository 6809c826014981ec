import { useDownloadQueue, useQueueAction } from "./queue";
import { errorMessage } from "../../lib/errors";

/**
 * "Downloading n of m" beside the sync status, with Pause/Resume, and "Retry failed" when
 * some downloads gave up. Nothing when the queue is empty.
 */
export function DownloadQueue() {
  const { data: queue } = useDownloadQueue();
  const action = useQueueAction();
  if (!queue || (queue.waiting === 0 && queue.failed === 0)) return null;
  const total = queue.done + queue.waiting;
  return (
    <span className="download-queue" data-testid="download-queue">
      {queue.waiting > 0 && (
        <>
          <span className="muted" data-testid="download-queue-progress">
            {queue.paused ? "Downloads paused" : "Downloading"} {queue.done} of {total}
          </span>
          <progress value={total > 0 ? queue.done / total : 0} max={1} aria-label="Downloads" />
          <button
            type="button"
            disabled={action.isPending}
            onClick={() => action.mutate(queue.paused ? "resume" : "pause")}
          >
            {queue.paused ? "Resume" : "Pause"}
          </button>
        </>
      )}
      {queue.failed > 0 && (
        <>
          <span className="error-text" data-testid="download-queue-failed">
            {queue.failed} failed
          </span>
          <button type="button" disabled={action.isPending} onClick={() => action.mutate("retry")}>
            Retry failed
          </button>
        </>
      )}
      {action.isError && (
        <span className="error-text" role="alert">
          {errorMessage(action.error)}
        </span>
      )}
    </span>
  );
}
