import { useEffect, useState } from "react";

import { describeError } from "../../lib/command";
import { useRecordingsPage } from "./api";
import { DetailsPanel } from "./DetailsPanel";
import { RecordingsTable } from "./RecordingsTable";

type Props = { onFirstPaint?: () => void };

export function LibraryView({ onFirstPaint }: Props) {
  const [page, setPage] = useState(1);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const { data, error, isPending, isFetching } = useRecordingsPage(page);
  const hasRows = (data?.items.length ?? 0) > 0;

  useEffect(() => {
    if (hasRows) onFirstPaint?.();
  }, [hasRows, onFirstPaint]);

  const pages = data ? Math.max(1, Math.ceil(data.total / data.limit)) : 1;
  const first = data && data.total > 0 ? (data.page - 1) * data.limit + 1 : 0;
  const last = data ? first + data.items.length - Math.min(1, data.items.length) : 0;

  return (
    <div className={selectedId ? "library with-details" : "library"}>
      <section className="list" aria-label="Recordings" aria-busy={isFetching}>
        {isPending && <p className="muted pad">Loading your recordings…</p>}
        {error && (
          <p role="alert" className="error-text pad">
            {describeError(error)}
          </p>
        )}
        {data && data.total === 0 && (
          <div className="empty pad">
            <h2>No recordings yet</h2>
            <p className="muted">Connect Twilio to sync your calls, or open the demo workspace.</p>
          </div>
        )}
        {data && hasRows && (
          <>
            <div className="table-scroll">
              <RecordingsTable recordings={data.items} selectedId={selectedId} onOpen={setSelectedId} />
            </div>
            <footer className="pager">
              <span data-testid="library-total">
                {first}–{last} of {data.total} recordings
              </span>
              <span className="pager-buttons">
                <button type="button" disabled={page <= 1} onClick={() => setPage((p) => p - 1)}>
                  ‹ Previous
                </button>
                <span className="muted">
                  Page {data.page} of {pages}
                </span>
                <button type="button" disabled={page >= pages} onClick={() => setPage((p) => p + 1)}>
                  Next ›
                </button>
              </span>
            </footer>
          </>
        )}
      </section>
      {selectedId && <DetailsPanel id={selectedId} onClose={() => setSelectedId(null)} />}
    </div>
  );
}
