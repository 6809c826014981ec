import "./library.css";

import { useCallback, useLayoutEffect, useMemo, useState } from "react";

import { DETAILS_WIDTH_RANGE, type RecordingSummary, type SortBy } from "../../bindings";
import { Resizer } from "../../components/Resizer";
import { getPrefs, setPref, usePref } from "../../lib/prefs";
import { errorMessage } from "../../lib/errors";
import { markStartup } from "../../lib/startupTrace";
import { DetailsPanel } from "../details";
import { useToast } from "../../components/toast";
import { useTwilioStatus } from "../sync";
import { useDebounced } from "../../lib/useDebounced";
import { countedApart, listPollMs, useRecordingCount, useRecordingSlices, useUpdateRecording, type ListParams } from "./api";
import { BulkBar } from "./BulkBar";
import { ColumnsMenu } from "./ColumnsMenu";
import { RecordingsTable } from "./RecordingsTable";
import { useChecked } from "./useChecked";
import { useLibraryKeys } from "./useLibraryKeys";

/** How long typing must pause before a search's matches are counted. */
export const COUNT_PAUSE_MS = 300;

type Props = {
  params: ListParams;
  filtered: boolean;
  onSort: (by: SortBy) => void;
  onClearFilters: () => void;
  onFirstPaint?: () => void;
};

export function LibraryView({ params, filtered, onSort, onClearFilters, onFirstPaint }: Props) {
  const toast = useToast();
  const slices = useRecordingSlices(params, listPollMs(useTwilioStatus().data));
  const { data, error, isPending, isFetching, isPlaceholderData, hasNextPage, isFetchingNextPage, fetchNextPage } = slices;
  const recordings = useMemo(() => data?.pages.flatMap((p) => p.items) ?? [], [data]);
  // A search's rows follow each key; its count, which costs more than its first rows, is
  // asked once typing pauses (and stays "…" until then).
  const searching = countedApart(params.filter);
  const filterKey = JSON.stringify(params.filter);
  const settledKey = useDebounced(filterKey, COUNT_PAUSE_MS);
  const count = useRecordingCount(searching && settledKey === filterKey ? params.filter : null);
  const total = searching ? count.data : (data?.pages[0]?.total ?? recordings.length);
  if (data) markStartup("list_data");

  const [activeId, setActiveId] = useState<string | null>(null);
  const [detailsId, setDetailsId] = useState<string | null>(null);
  const { checked, toggle, setAll, clear } = useChecked(recordings);
  const update = useUpdateRecording();
  const detailsWidth = usePref("detailsWidth");
  const density = usePref("density");

  // Another filter or order is another list: ticks on rows no longer shown would surprise.
  const paramsKey = JSON.stringify(params);
  const [listedKey, setListedKey] = useState(paramsKey);
  if (listedKey !== paramsKey) {
    setListedKey(paramsKey);
    clear();
  }

  const hasRows = recordings.length > 0;
  // In the commit itself, before the browser paints it: a passive effect may run a frame later.
  useLayoutEffect(() => {
    if (hasRows) onFirstPaint?.();
  }, [hasRows, onFirstPaint]);

  const activeIndex = activeId ? recordings.findIndex((r) => r.id === activeId) : -1;
  const active = activeIndex >= 0 ? recordings[activeIndex] : undefined;

  const open = useCallback(
    (index: number) => {
      const r = recordings[index];
      if (!r) return;
      setActiveId(r.id);
      setDetailsId(r.id);
    },
    [recordings],
  );

  const mutate = update.mutate;
  const toggleStar = useCallback(
    (r: RecordingSummary) =>
      mutate({ id: r.id, patch: { starred: !r.starred } }, { onError: (e) => toast.error(e) }),
    [mutate, toast],
  );
  const toggleArchive = (r: RecordingSummary) =>
    mutate(
      { id: r.id, patch: { archived: !r.archived } },
      {
        onSuccess: () => toast.show(r.archived ? "Moved back to the library" : "Archived", "success"),
        onError: (e) => toast.error(e),
      },
    );

  useLibraryKeys({
    move: (delta) => {
      if (recordings.length === 0) return;
      const next = Math.min(recordings.length - 1, Math.max(0, activeIndex < 0 ? 0 : activeIndex + delta));
      const r = recordings[next];
      if (!r) return;
      setActiveId(r.id);
      if (detailsId) setDetailsId(r.id);
    },
    open: () => active && setDetailsId(active.id),
    close: () => setDetailsId(null),
    star: () => active && toggleStar(active),
    archive: () => active && toggleArchive(active),
  });

  const nearEnd = useCallback(() => {
    if (!isFetchingNextPage) void fetchNextPage();
  }, [isFetchingNextPage, fetchNextPage]);

  // Not a walk over every loaded row per render while nothing is ticked (100k rows, deep).
  const checkedIds = useMemo(
    () => (checked.size === 0 ? [] : recordings.filter((r) => checked.has(r.id)).map((r) => r.id)),
    [recordings, checked],
  );

  return (
    <div
      className={`library density-${density}${detailsId ? " with-details" : ""}`}
      style={detailsId ? { gridTemplateColumns: `minmax(0, 1fr) ${detailsWidth}px` } : undefined}
    >
      <section
        className="list"
        aria-label="Recordings"
        aria-busy={isFetching}
        // The search the rows on screen answer (not while an older list stands in for a new
        // one): the real-window benchmark times a keystroke until its rows are painted.
        data-shown-search={data && !isPlaceholderData ? (params.filter.search ?? "") : undefined}
      >
        <div className="list-head">
          <span data-testid="library-total" className="total">
            {data && total !== undefined ? `${total.toLocaleString()} ${total === 1 ? "recording" : "recordings"}` : "…"}
          </span>
          {isFetching && !isPending && <span className="muted small">Refreshing…</span>}
          <span className="spacer" />
          {filtered && (
            <button type="button" className="link" onClick={onClearFilters} data-testid="clear-filters">
              Clear filters
            </button>
          )}
          <ColumnsMenu />
        </div>
        {isPending && <p className="muted pad">Loading your recordings…</p>}
        {error && (
          <p role="alert" className="error-text pad">
            {errorMessage(error)}
          </p>
        )}
        {data && !hasRows && (total === 0 || (searching && !isPlaceholderData)) && (
          <div className="empty pad">
            {filtered ? (
              <>
                <h2>No recordings match</h2>
                <p className="muted">Try another search or clear the filters.</p>
              </>
            ) : (
              <>
                <h2>No recordings yet</h2>
                <p className="muted">Connect Twilio to sync your calls, or open the demo workspace.</p>
              </>
            )}
          </div>
        )}
        {hasRows && (
          <RecordingsTable
            recordings={recordings}
            activeIndex={activeIndex}
            checked={checked}
            sortBy={params.sortBy}
            sortOrder={params.sortOrder}
            hasMore={hasNextPage}
            loadingMore={isFetchingNextPage}
            compact={detailsId !== null}
            onSort={onSort}
            onOpen={open}
            onCheck={toggle}
            onCheckAll={setAll}
            onToggleStar={toggleStar}
            onNearEnd={nearEnd}
          />
        )}
        {checkedIds.length > 0 && <BulkBar ids={checkedIds} onClear={clear} />}
      </section>
      {detailsId && (
        <div className="details-slot">
          <Resizer
            label="Resize the details panel"
            width={() => getPrefs().detailsWidth}
            min={DETAILS_WIDTH_RANGE[0]}
            max={DETAILS_WIDTH_RANGE[1]}
            grows={-1}
            className="panel-resizer"
            testId="details-resizer"
            onResize={(w) => setPref("detailsWidth", w)}
          />
          <DetailsPanel
            key={detailsId}
            id={detailsId}
            onClose={() => setDetailsId(null)}
            onDeleted={() => setDetailsId(null)}
          />
        </div>
      )}
    </div>
  );
}
