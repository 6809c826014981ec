import { useState } from "react";

import type { CleanupPolicy } from "../../bindings";
import { Modal } from "../../components/ConfirmDialog";
import { formatBytes, formatDate } from "../../lib/format";
import { useDebounced } from "../../lib/useDebounced";
import { errorMessage } from "../../lib/errors";
import { useToast } from "../../components/toast";
import { useCleanupPreview, useRunCleanup } from "./api";

type Props = { onClose: () => void };

/** Retention: pick a policy, read what it would remove, then run it. */
export function CleanupDialog({ onClose }: Props) {
  const toast = useToast();
  const [days, setDays] = useState("30");
  const [removeRecords, setRemoveRecords] = useState(false);
  const [includeStarred, setIncludeStarred] = useState(false);
  const parsedDays = Number(days);
  const validDays = Number.isInteger(parsedDays) && parsedDays >= 1 && parsedDays <= 36_500;
  const policy: CleanupPolicy | null = validDays ? { olderThanDays: parsedDays, removeRecords, includeStarred } : null;
  const settled = useDebounced(policy, 250);
  const preview = useCleanupPreview(settled);
  const run = useRunCleanup();
  const p = preview.data;
  const upToDate = JSON.stringify(settled) === JSON.stringify(policy);
  const nothing = p ? (removeRecords ? p.recordings : p.files) === 0 : true;

  const start = () => {
    if (!policy) return;
    run.mutate(policy, {
      onSuccess: (r) =>
        toast.show(
          `Cleanup done: ${r.filesRemoved} files${r.recordsRemoved ? `, ${r.recordsRemoved} records` : ""} removed, ${formatBytes(r.bytesFreed ?? 0)} freed`,
        ),
      onError: (e) => toast.error(e),
    });
  };

  return (
    <Modal label="Clean up" onClose={onClose} testId="cleanup-dialog" wide>
      <h2>Clean up old recordings</h2>
      {run.data ? (
        <div data-testid="cleanup-result">
          <p>
            Removed <strong>{run.data.filesRemoved}</strong> audio files
            {removeRecords && (
              <>
                {" "}
                and <strong>{run.data.recordsRemoved}</strong> records
              </>
            )}
            , freeing <strong>{formatBytes(run.data.bytesFreed ?? 0)}</strong>.
          </p>
          <div className="dialog-actions">
            <button type="button" className="primary" onClick={onClose}>
              Done
            </button>
          </div>
        </div>
      ) : (
        <>
          <div className="cleanup-form">
            <label>
              Recordings older than{" "}
              <input
                type="number"
                min={1}
                max={36500}
                value={days}
                className="days-input"
                data-testid="cleanup-days"
                onChange={(e) => setDays(e.target.value)}
              />{" "}
              days
            </label>
            <label>
              <input
                type="checkbox"
                checked={removeRecords}
                data-testid="cleanup-remove-records"
                onChange={(e) => setRemoveRecords(e.target.checked)}
              />{" "}
              Also delete the records (not only the local audio)
            </label>
            <label>
              <input
                type="checkbox"
                checked={includeStarred}
                data-testid="cleanup-include-starred"
                onChange={(e) => setIncludeStarred(e.target.checked)}
              />{" "}
              Include starred recordings
            </label>
            {!validDays && <p className="error-text small">Choose between 1 and 36,500 days.</p>}
          </div>
          <div className="cleanup-preview" data-testid="cleanup-preview" aria-busy={preview.isFetching || !upToDate}>
            {preview.error && <p className="error-text">{errorMessage(preview.error)}</p>}
            {p && (
              <>
                <p>
                  <strong data-testid="cleanup-count">{p.recordings}</strong> recordings would be cleaned up ·{" "}
                  {p.files} audio files · {formatBytes(p.bytes ?? 0)}
                </p>
                {p.oldest && p.newest && (
                  <p className="muted small">
                    From {formatDate(p.oldest)} to {formatDate(p.newest)}
                  </p>
                )}
                <p className="muted small">
                  Kept: {p.skippedStarred} starred · {p.skippedHeld} on legal hold
                </p>
              </>
            )}
            {!p && !preview.error && validDays && <p className="muted">Working out what would be removed…</p>}
          </div>
          <div className="dialog-actions">
            <button type="button" onClick={onClose}>
              Cancel
            </button>
            <button
              type="button"
              className="danger"
              data-testid="cleanup-run"
              disabled={!p || !upToDate || preview.isFetching || nothing || run.isPending}
              onClick={start}
            >
              {run.isPending ? "Cleaning up…" : removeRecords ? "Delete audio and records" : "Remove local audio"}
            </button>
          </div>
          {run.error && <p role="alert" className="error-text">{errorMessage(run.error)}</p>}
        </>
      )}
    </Modal>
  );
}
