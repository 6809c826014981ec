import { useState } from "react";

import type { SyncResult } from "../../bindings";
import { Modal } from "../../components/ConfirmDialog";
import { formatDateTime } from "../../lib/format";
import { DetailsPanel } from "../details";

/** Whether a sync's result has anything to show beyond its counts. */
export function hasReport(r: SyncResult): boolean {
  return r.errors.length > 0 || r.withoutCall > 0;
}

type Props = { result: SyncResult; summary: string; onClose: () => void };

/**
 * What the last sync could not use, in the backend's sentences, and the recordings whose call
 * Twilio did not list: each opens its details here, so it can be checked, played or fixed.
 */
export function SyncReport({ result, summary, onClose }: Props) {
  const [openId, setOpenId] = useState<string | null>(null);
  const listed = result.callsNotFound;
  const unlisted = result.withoutCall - listed.length;

  return (
    <Modal label="Last sync" onClose={onClose} testId="sync-report" wide>
      <h2>Last sync</h2>
      <p className="muted">{summary}</p>
      {result.errors.length > 0 && (
        <section className="sync-report-section">
          <h3>What could not be used</h3>
          <ul data-testid="sync-errors">
            {result.errors.map((e, i) => (
              <li key={i}>{e}</li>
            ))}
          </ul>
        </section>
      )}
      {result.withoutCall > 0 && (
        <section className="sync-report-section">
          <h3>
            {result.withoutCall === 1
              ? "1 recording whose call was not found"
              : `${result.withoutCall} recordings whose call was not found`}
          </h3>
          <p className="note">
            Twilio did not list the call these recordings belong to, so their number, direction and contact
            name are unknown (they show with no number in the library). Syncing again usually fills them in; if
            it does not, the call may have been deleted at Twilio.
          </p>
          <ul data-testid="calls-not-found">
            {listed.map((r) => (
              <li key={r.id}>
                <button
                  type="button"
                  className="link-button"
                  aria-pressed={openId === r.id}
                  onClick={() => setOpenId(openId === r.id ? null : r.id)}
                >
                  {formatDateTime(r.recordedAt)}
                </button>{" "}
                <span className="muted mono">{r.id}</span>
              </li>
            ))}
          </ul>
          {unlisted > 0 && <p className="note">…and {unlisted} more.</p>}
        </section>
      )}
      {openId && (
        <DetailsPanel key={openId} id={openId} onClose={() => setOpenId(null)} onDeleted={() => setOpenId(null)} />
      )}
      <div className="dialog-actions">
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </Modal>
  );
}
