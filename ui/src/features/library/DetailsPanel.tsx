import { describeError } from "../../lib/command";
import { formatBytes, formatDateTime, formatDuration, formatPhone } from "../../lib/format";
import { useRecording } from "./api";

type Props = { id: string; onClose: () => void };

export function DetailsPanel({ id, onClose }: Props) {
  const { data, error, isPending } = useRecording(id);
  return (
    <aside className="details" data-testid="details-panel" aria-label="Recording details">
      <button type="button" className="icon close" onClick={onClose} aria-label="Close details">
        ×
      </button>
      {isPending && <p className="muted">Loading…</p>}
      {error && <p role="alert" className="error-text">{describeError(error)}</p>}
      {data && (
        <>
          <h2 className="mono">{formatPhone(data.summary.phoneNumber)}</h2>
          <p className="subtitle">
            {data.summary.contactName ?? "Unknown caller"} · {data.summary.direction}
          </p>
          <dl>
            <dt>When</dt>
            <dd>{formatDateTime(data.summary.recordedAt)}</dd>
            <dt>Duration</dt>
            <dd>{formatDuration(data.summary.durationSecs)}</dd>
            <dt>Status</dt>
            <dd>
              <span className={`status ${data.summary.status}`}>{data.summary.status}</span>
            </dd>
            <dt>Offline</dt>
            <dd>
              {data.summary.availableOffline
                ? `Available offline${data.localFileBytes ? ` · ${formatBytes(data.localFileBytes)}` : ""}`
                : "Not downloaded"}
            </dd>
            <dt>Channels</dt>
            <dd>{data.channels === 2 ? "Two (agent · caller)" : "One"}</dd>
            <dt>Category</dt>
            <dd>{data.summary.category ?? "—"}</dd>
            <dt>Priority</dt>
            <dd>{data.priority}</dd>
            <dt>Tags</dt>
            <dd>
              {data.tags.length === 0
                ? "—"
                : data.tags.map((t) => (
                    <span key={t} className="tag">
                      {t}
                    </span>
                  ))}
            </dd>
            <dt>Starred</dt>
            <dd>{data.summary.starred ? "★ Yes" : "No"}</dd>
            <dt>Archived</dt>
            <dd>{data.summary.archived ? "Yes" : "No"}</dd>
            <dt>Legal hold</dt>
            <dd>{data.legalHold ? "On hold" : "No"}</dd>
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
            <dt>Notes</dt>
            <dd className="notes">{data.notes ?? "—"}</dd>
            <dt>Recording</dt>
            <dd className="mono small">{data.summary.id}</dd>
          </dl>
        </>
      )}
    </aside>
  );
}
