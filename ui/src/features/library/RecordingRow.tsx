import { memo, type MouseEvent } from "react";

import type { RecordingSummary } from "../../bindings";
import type { Shown } from "./columns";
import { formatDateTime, formatDuration, formatPhone, formatShortDateTime } from "../../lib/format";
import { TranscriptMatch } from "./TranscriptMatch";

const ignoreChange = () => undefined;

type Props = {
  recording: RecordingSummary;
  index: number;
  active: boolean;
  checked: boolean;
  shown: Shown;
  onOpen: (index: number) => void;
  onCheck: (index: number, range: boolean) => void;
  onToggleStar: (recording: RecordingSummary) => void;
};

export const RecordingRow = memo(function RecordingRow({ recording: r, index, active, checked, shown, onOpen, onCheck, onToggleStar }: Props) {
  const stop = (e: MouseEvent) => e.stopPropagation();
  const classes = [active && "selected", checked && "checked", r.archived && "archived", r.transcriptMatch && "with-match"]
    .filter(Boolean)
    .join(" ");
  const name = r.contactName ?? <span className="muted">—</span>;
  return (
    <tr
      data-testid="recording-row"
      data-id={r.id}
      className={classes || undefined}
      aria-selected={active}
      title={r.archived ? "Archived" : undefined}
      onClick={() => onOpen(index)}
    >
      <td className="col-check" onClick={stop}>
        <input
          type="checkbox"
          data-testid="row-checkbox"
          aria-label={`Select ${formatPhone(r.phoneNumber)}`}
          checked={checked}
          // The click, not the change, knows about Shift (for ticking a range).
          onClick={(e) => onCheck(index, e.shiftKey)}
          onChange={ignoreChange}
        />
      </td>
      <td className="col-star" onClick={stop}>
        <button
          type="button"
          className={r.starred ? "star on" : "star"}
          data-testid="star-toggle"
          aria-pressed={r.starred}
          aria-label={r.starred ? "Unstar" : "Star"}
          title={r.starred ? "Unstar (s)" : "Star (s)"}
          onClick={() => onToggleStar(r)}
        >
          {r.starred ? "★" : "☆"}
        </button>
      </td>
      {shown.date && (
        <td className="nowrap" title={formatDateTime(r.recordedAt)}>
          {formatShortDateTime(r.recordedAt)}
        </td>
      )}
      {shown.number && (
        <td className="nowrap mono" data-testid="row-number">
          {formatPhone(r.phoneNumber)}
        </td>
      )}
      {shown.name && <td className="ellipsis">
        {r.transcriptMatch ? (
          <>
            <span className="row-name">{name}</span>
            <TranscriptMatch snippet={r.transcriptMatch} />
          </>
        ) : (
          name
        )}
      </td>}
      {shown.direction && <td className="nowrap">
        <span className={`direction ${r.direction}`}>{r.direction === "inbound" ? "↘ in" : "↗ out"}</span>
      </td>}
      {shown.duration && <td className="num mono nowrap" data-testid="row-duration">
        {formatDuration(r.durationSecs)}
        {r.availableOffline ? (
          // A download sign (drawn by library.css, so the cell's text stays the duration), named
          // for screen readers: its shape says it, not only its colour.
          <span className="offline-dot" role="img" aria-label="Available offline" title="Available offline" />
        ) : (
          <span className="offline-dot none" aria-hidden="true" />
        )}
      </td>}
      {shown.status && (
        <td>
          <span className={`status ${r.status}`}>{r.status}</span>
        </td>
      )}
      {shown.category && <td className="ellipsis">
        {r.category ?? <span className="muted">—</span>}
      </td>}
    </tr>
  );
});
