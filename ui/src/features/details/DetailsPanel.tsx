import "./details.css";

import { useState } from "react";

import { ConfirmDialog } from "../../components/ConfirmDialog";
import { useToast } from "../../components/toast";
import { errorMessage } from "../../lib/errors";
import { formatBytes, formatDateTime, formatDuration, formatPhone } from "../../lib/format";
import { AnalysisPanel } from "../analysis";
import { exportMessage, useDeleteRecording, useExportRecordings, useRecording } from "../library";
import { play } from "../player";
import { DownloadNow, useTwilioStatus } from "../sync";
import { TranscriptPanel } from "../transcript";
import { DetailsEditor } from "./DetailsEditor";
import { LegalHold } from "./LegalHold";
import { TimestampedNotes } from "./TimestampedNotes";

type Props = { id: string; onClose: () => void; onDeleted: () => void };

export function DetailsPanel({ id, onClose, onDeleted }: Props) {
  const { data, error, isPending } = useRecording(id);
  const toast = useToast();
  const exporter = useExportRecordings();
  const remover = useDeleteRecording();
  const [confirming, setConfirming] = useState(false);
  const [alsoAtTwilio, setAlsoAtTwilio] = useState(false);
  const twilio = useTwilioStatus();
  const [deleteProblem, setDeleteProblem] = useState<string | null>(null);

  const exportOne = () =>
    exporter.mutate([id], {
      onSuccess: (result) => {
        const message = exportMessage(result);
        if (message) toast.show(message.text, message.kind);
      },
      onError: (e) => toast.error(e),
    });

  const deleteOne = () =>
    remover.mutate({ id, alsoAtTwilio }, {
      onSuccess: () => {
        toast.show("Recording deleted");
        onDeleted();
      },
      onError: (e) => {
        setDeleteProblem(errorMessage(e));
        toast.error(e);
      },
      onSettled: () => setConfirming(false),
    });

  return (
    // data-shown-id: which recording's details are on screen (the benchmark times their paint).
    <aside className="details" data-testid="details-panel" data-shown-id={data?.summary.id} aria-label="Recording details">
      <button type="button" className="icon close" onClick={onClose} aria-label="Close details" title="Close (Esc)">
        ×
      </button>
      {isPending && <p className="muted">Loading…</p>}
      {error && <p role="alert" className="error-text">{errorMessage(error)}</p>}
      {data && (
        <>
          <h2 className="mono">{formatPhone(data.summary.phoneNumber)}</h2>
          <p className="subtitle">
            {data.summary.contactName ?? "Unknown caller"} · {data.summary.direction}
          </p>
          <button
            type="button"
            className="primary details-play"
            data-testid="details-play"
            title="Play in the player below (Space pauses)"
            // No focus from a click: Space then reaches the player, not this button.
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => void play(id)}
          >
            ▶ Play
          </button>
          <dl>
            <dt>When</dt>
            <dd>{formatDateTime(data.summary.recordedAt)}</dd>
            <dt>Duration</dt>
            <dd>
              {formatDuration(data.summary.durationSecs)} ·{" "}
              <span className={`status ${data.summary.status}`}>{data.summary.status}</span>
            </dd>
            <dt>Offline</dt>
            <dd>
              {data.summary.availableOffline
                ? `Available offline${data.localFileBytes ? ` · ${formatBytes(data.localFileBytes)}` : ""}`
                : "Not downloaded"}
              {!data.summary.availableOffline && <DownloadNow id={id} />}
            </dd>
            <dt>Channels</dt>
            <dd>{data.channels === 2 ? "Two (agent · caller)" : "One"}</dd>
            <dt>Played</dt>
            <dd>
              {data.playCount} {data.playCount === 1 ? "time" : "times"}
              {data.lastPlayedAt && ` · last ${formatDateTime(data.lastPlayedAt)}`}
            </dd>
            <dt>Exported</dt>
            <dd>
              {data.downloadCount} {data.downloadCount === 1 ? "time" : "times"}
              {data.lastDownloadedAt && ` · last ${formatDateTime(data.lastDownloadedAt)}`}
            </dd>
            <dt>Recording</dt>
            <dd className="mono small">{data.summary.id}</dd>
          </dl>
          <TranscriptPanel details={data} />
          <AnalysisPanel details={data} />
          <DetailsEditor details={data} />
          <LegalHold id={id} held={data.legalHold} />
          <TimestampedNotes recordingId={id} durationSecs={data.summary.durationSecs} />
          <div className="details-actions">
            <button type="button" onClick={exportOne} disabled={exporter.isPending} data-testid="export-button">
              {exporter.isPending ? "Exporting…" : "Export…"}
            </button>
            <button
              type="button"
              className="danger-text"
              onClick={() => setConfirming(true)}
              disabled={remover.isPending}
              data-testid="delete-button"
              title={data.legalHold ? "On legal hold: lift the hold to delete" : undefined}
            >
              Delete…
            </button>
          </div>
          {deleteProblem && (
            <p role="alert" className="error-text small" data-testid="delete-error">
              {deleteProblem}
            </p>
          )}
          {confirming && (
            <ConfirmDialog
              title="Delete this recording?"
              confirmLabel="Delete"
              danger
              busy={remover.isPending}
              onConfirm={deleteOne}
              onCancel={() => setConfirming(false)}
            >
              <p>
                {formatPhone(data.summary.phoneNumber)} · {formatDateTime(data.summary.recordedAt)}. The audio on this
                computer and the record are removed; a later sync will not bring it back.
              </p>
              {twilio.data?.account && (
                <label className="check">
                  <input
                    type="checkbox"
                    checked={alsoAtTwilio}
                    data-testid="delete-at-twilio"
                    onChange={(e) => setAlsoAtTwilio(e.target.checked)}
                  />{" "}
                  Also delete it at Twilio (it cannot be recovered there)
                </label>
              )}
            </ConfirmDialog>
          )}
        </>
      )}
    </aside>
  );
}
