import "./sync.css";

import { useEffect, useRef, useState } from "react";

import { events, type SyncProgress, type SyncResult } from "../../bindings";
import { CommandError } from "../../lib/command";
import { errorMessage } from "../../lib/errors";
import { cancelSync, useSyncNow, useTwilioStatus } from "./api";
import { DownloadQueue } from "./DownloadQueue";
import { hasReport, SyncReport } from "./SyncReport";
import { useOnline } from "./useOnline";

function summary(r: SyncResult): string {
  const parts = [`Synced ${r.synced}`, `${r.new} new`];
  if (r.updated) parts.push(`${r.updated} updated`);
  if (r.downloaded) parts.push(`${r.downloaded} downloaded`);
  // `failed` already counts the failed downloads.
  parts.push(`${r.failed} failed`);
  if (r.withoutCall) parts.push(`${r.withoutCall} without a call`);
  return (r.cancelled ? "Cancelled · " : "") + parts.join(" · ");
}

function progressText(p: SyncProgress): string {
  if (p.phase === "calls") return `Reading calls… (${p.callPages} pages)`;
  // Recordings and calls are listed side by side (by time windows), so both counts move.
  if (p.phase === "recordings")
    return `${p.recordings.toLocaleString()} recordings · ${p.pages} pages of recordings, ${p.callPages} of calls`;
  if (p.phase === "downloads") return `Downloading ${p.downloadsDone}/${p.downloadsTotal}`;
  return "Finishing…";
}

/** "Sync from Twilio" with live progress, cancel, the last result and the offline state. */
export function SyncButton({ onOpenSettings }: { onOpenSettings: () => void }) {
  const status = useTwilioStatus();
  const sync = useSyncNow();
  const online = useOnline();
  const [progress, setProgress] = useState<SyncProgress | null>(null);
  const [reportOpen, setReportOpen] = useState(false);
  // A sync this button did not start (the background one) is running: it gets the same
  // progress and Cancel, which reach it in the backend, until it is done.
  const [elsewhere, setElsewhere] = useState(false);
  const pending = useRef(false);
  useEffect(() => {
    pending.current = sync.isPending;
  }, [sync.isPending]);

  useEffect(() => {
    let stop: (() => void) | undefined;
    let cancelled = false;
    events.syncProgressed
      .listen((e) => {
        const next = e.payload.progress;
        setProgress(next);
        if (next.phase === "done") setElsewhere(false);
        else if (!pending.current) setElsewhere(true);
      })
      .then((unlisten) => (cancelled ? unlisten() : (stop = unlisten)))
      .catch(() => undefined);
    return () => {
      cancelled = true;
      stop?.();
    };
  }, []);

  // "Sync now" refused because one runs: that one is what the progress and Cancel are about.
  const refusedAsRunning = sync.error instanceof CommandError && sync.error.code === "sync_running";
  // A sync that ends without a last progress event (it failed) is noticed from the backend.
  const { refetch } = status;
  useEffect(() => {
    if (!elsewhere) return;
    const timer = setInterval(() => {
      void refetch().then((r) => {
        if (r.data && !r.data.syncing) setElsewhere(false);
      });
    }, 2000);
    return () => clearInterval(timer);
  }, [elsewhere, refetch]);

  const connected = Boolean(status.data?.account);
  const running = sync.isPending || elsewhere;
  const share =
    progress && progress.phase === "downloads" && progress.downloadsTotal > 0
      ? progress.downloadsDone / progress.downloadsTotal
      : null;

  return (
    <div className="sync" data-testid="sync">
      {!online && (
        <span className="badge offline" data-testid="offline-badge" title="No network: the library works offline">
          offline
        </span>
      )}
      {running ? (
        <>
          <span className="sync-progress" data-testid="sync-progress">
            {progress ? progressText(progress) : "Starting…"}
            <progress value={share ?? undefined} max={1} />
          </span>
          <button type="button" onClick={() => void cancelSync()}>
            Cancel
          </button>
        </>
      ) : (
        <button
          type="button"
          className="primary-soft"
          data-testid="sync-button"
          disabled={!online}
          title={connected ? undefined : "Connect Twilio first"}
          onClick={() => {
            if (!connected) return onOpenSettings();
            setProgress(null);
            setReportOpen(false);
            sync.mutate(undefined, {
              onError: (e) => {
                if (e instanceof CommandError && e.code === "sync_running") setElsewhere(true);
              },
            });
          }}
        >
          ⟳ Sync from Twilio
        </button>
      )}
      {!running && sync.data && (
        <span className="sync-result muted" data-testid="sync-result">
          {summary(sync.data)}
        </span>
      )}
      {!running && sync.data && hasReport(sync.data) && (
        <button
          type="button"
          className="link-button sync-details"
          data-testid="sync-details"
          onClick={() => setReportOpen(true)}
        >
          {sync.data.errors.length > 0 ? "What went wrong" : "Details"}
        </button>
      )}
      {reportOpen && sync.data && (
        <SyncReport result={sync.data} summary={summary(sync.data)} onClose={() => setReportOpen(false)} />
      )}
      {!running && sync.isError && !refusedAsRunning && (
        <span className="sync-result error-text" role="alert">
          {errorMessage(sync.error)}
        </span>
      )}
      <DownloadQueue />
    </div>
  );
}
