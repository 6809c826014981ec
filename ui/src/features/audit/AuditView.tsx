import { formatDateTime } from "../../lib/format";
import { errorMessage } from "../../lib/errors";
import { useToast } from "../../components/toast";
import { useAuditLog, useExportAuditCsv } from "./api";
import { operationLabel, outcomeClass, outcomeLabel } from "./labels";

export function AuditView() {
  const toast = useToast();
  const log = useAuditLog();
  const csv = useExportAuditCsv();
  const entries = log.data?.pages.flat() ?? [];

  const exportCsv = () =>
    csv.mutate(undefined, {
      onSuccess: (path) => path && toast.show(`Audit log saved to ${path}`),
      onError: (e) => toast.error(e),
    });

  return (
    <section className="page" data-testid="audit-view" aria-label="Audit log">
      <div className="page-head">
        <h1>Audit log</h1>
        <span className="spacer" />
        <button type="button" onClick={exportCsv} disabled={csv.isPending} data-testid="audit-export">
          Export CSV…
        </button>
      </div>
      <p className="muted">
        Everything done in your account, newest first: sign-ins and switches, Twilio, syncs, plays, downloads,
        exports, transcriptions, analyses and every change to your library.
      </p>
      {log.isPending && <p className="muted">Loading…</p>}
      {log.error && <p role="alert" className="error-text">{errorMessage(log.error)}</p>}
      {log.data && entries.length === 0 && <p className="muted">Nothing has been done yet.</p>}
      {entries.length > 0 && (
        <table className="audit">
          <thead>
            <tr>
              <th>Time</th>
              <th>Operation</th>
              <th>Recordings</th>
              <th>Outcome</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id} data-testid="audit-row">
                <td className="nowrap">{formatDateTime(e.at)}</td>
                <td>{operationLabel(e.operation)}</td>
                <td className="mono small" title={e.recordings.join("\n")}>
                  {e.recordings.length === 0
                    ? "—"
                    : e.recordings.length === 1
                      ? e.recordings[0]
                      : `${e.recordings.length} recordings`}
                </td>
                <td>
                  <span className={outcomeClass(e.outcome)} data-testid="audit-outcome">
                    {outcomeLabel(e.outcome)}
                  </span>
                  {e.detail && <span className="muted small"> · {e.detail}</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {log.hasNextPage && (
        <button
          type="button"
          className="load-more"
          onClick={() => void log.fetchNextPage()}
          disabled={log.isFetchingNextPage}
          data-testid="audit-more"
        >
          {log.isFetchingNextPage ? "Loading…" : "Load more"}
        </button>
      )}
    </section>
  );
}
