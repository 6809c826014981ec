import type { KeyboardEvent } from "react";

import type { RecordingSummary } from "../../bindings";
import { formatDateTime, formatDuration, formatPhone } from "../../lib/format";

type Props = {
  recordings: RecordingSummary[];
  selectedId: string | null;
  onOpen: (id: string) => void;
};

export function RecordingsTable({ recordings, selectedId, onOpen }: Props) {
  const onKey = (event: KeyboardEvent, id: string) => {
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      onOpen(id);
    }
  };
  return (
    <table className="recordings" data-testid="recordings-table">
      <thead>
        <tr>
          <th className="col-star" aria-label="Starred" />
          <th>Date</th>
          <th>Number</th>
          <th>Name</th>
          <th>Direction</th>
          <th className="num">Duration</th>
          <th>Status</th>
          <th>Category</th>
        </tr>
      </thead>
      <tbody>
        {recordings.map((r) => (
          <tr
            key={r.id}
            data-testid="recording-row"
            className={r.id === selectedId ? "selected" : undefined}
            aria-selected={r.id === selectedId}
            tabIndex={0}
            onClick={() => onOpen(r.id)}
            onKeyDown={(e) => onKey(e, r.id)}
          >
            <td className="col-star" aria-label={r.starred ? "Starred" : "Not starred"}>
              <span className={r.starred ? "star on" : "star"}>{r.starred ? "★" : "☆"}</span>
            </td>
            <td className="nowrap">{formatDateTime(r.recordedAt)}</td>
            <td className="nowrap mono" data-testid="row-number">
              {formatPhone(r.phoneNumber)}
            </td>
            <td className="ellipsis">{r.contactName ?? <span className="muted">—</span>}</td>
            <td className="nowrap">
              <span className={`direction ${r.direction}`}>{r.direction === "inbound" ? "↘ in" : "↗ out"}</span>
            </td>
            <td className="num mono">
              {formatDuration(r.durationSecs)}
              {r.availableOffline && (
                <span className="offline-dot" title="Available offline" aria-label="Available offline" />
              )}
            </td>
            <td>
              <span className={`status ${r.status}`}>{r.status}</span>
            </td>
            <td className="ellipsis">{r.category ?? <span className="muted">—</span>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
