import { useVirtualizer } from "@tanstack/react-virtual";
import { useCallback, useEffect, useMemo, useRef } from "react";

import type { Column, Density, RecordingSummary, SortBy, SortOrder } from "../../bindings";
import { usePrefs } from "../../lib/prefs";
import { ColumnResizer } from "./ColumnResizer";
import { COLUMN_LABELS, COLUMNS, shownColumns, SORTS } from "./columns";
import { RecordingRow } from "./RecordingRow";

/** Row heights by density (see library.css); a row whose call said the searched words has a second line. */
export const ROW_HEIGHTS: Record<Density, { plain: number; match: number }> = {
  comfortable: { plain: 35, match: 52 },
  compact: { plain: 28, match: 44 },
};
export const ROW_HEIGHT = ROW_HEIGHTS.comfortable.plain;
export const MATCH_ROW_HEIGHT = ROW_HEIGHTS.comfortable.match;

const COLUMN_CLASS: Partial<Record<Column, string>> = {
  date: "w-date",
  number: "w-number",
  direction: "w-dir",
  duration: "w-duration",
  status: "w-status",
  category: "w-category",
};

type Props = {
  recordings: RecordingSummary[];
  activeIndex: number;
  checked: ReadonlySet<string>;
  sortBy: SortBy;
  sortOrder: SortOrder;
  hasMore: boolean;
  loadingMore: boolean;
  /** Narrow (the details panel is open): the status column makes way for the name. */
  compact: boolean;
  onSort: (by: SortBy) => void;
  onOpen: (index: number) => void;
  onCheck: (index: number, range: boolean) => void;
  onCheckAll: (all: boolean) => void;
  onToggleStar: (recording: RecordingSummary) => void;
  onNearEnd: () => void;
};

export function RecordingsTable(props: Props) {
  const { recordings, activeIndex, checked, hasMore, onNearEnd, compact } = props;
  const { hiddenColumns, columnWidths, density } = usePrefs();
  const shown = useMemo(() => shownColumns(hiddenColumns, compact), [hiddenColumns, compact]);
  const visible = COLUMNS.filter((c) => shown[c]);
  const columns = visible.length + 2;
  const heights = ROW_HEIGHTS[density];
  const scrollRef = useRef<HTMLDivElement>(null);
  // Exact sizes, so no row is measured. The virtualiser recomputes every row's size when
  // these functions change: so they change with the rows (a slice more, a search adding or
  // removing snippets) and the density, not with every render, which a scroll causes each
  // frame (on 100k rows, a walk over all of them per frame).
  const estimateSize = useCallback(
    (index: number) => (recordings[index]?.transcriptMatch ? heights.match : heights.plain),
    [recordings, heights],
  );
  const getItemKey = useCallback((index: number) => recordings[index]?.id ?? index, [recordings]);
  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Virtual returns fresh functions by design
  const virtualizer = useVirtualizer({
    count: recordings.length,
    getScrollElement: () => scrollRef.current,
    estimateSize,
    overscan: 12,
    initialRect: { width: 1000, height: 700 },
    getItemKey,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? -1;

  useEffect(() => {
    if (hasMore && lastIndex >= recordings.length - 15) onNearEnd();
  }, [hasMore, lastIndex, recordings.length, onNearEnd]);

  useEffect(() => {
    if (activeIndex >= 0) virtualizer.scrollToIndex(activeIndex, { align: "auto" });
  }, [activeIndex, virtualizer]);

  const paddingTop = items[0]?.start ?? 0;
  const paddingBottom = items.length > 0 ? virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0) : 0;
  const allChecked = recordings.length > 0 && recordings.every((r) => checked.has(r.id));

  return (
    <div className={`table-scroll density-${density}`} ref={scrollRef} data-virtual-scroll>
      <table className="recordings" data-testid="recordings-table" aria-rowcount={recordings.length}>
        <colgroup>
          <col className="w-check" />
          <col className="w-star" />
          {visible.map((c) => {
            const width = columnWidths[c];
            return <col key={c} className={COLUMN_CLASS[c]} style={width ? { width } : undefined} />;
          })}
        </colgroup>
        <thead>
          <tr>
            <th className="col-check">
              <input
                type="checkbox"
                aria-label="Select all loaded recordings"
                data-testid="check-all"
                checked={allChecked}
                onChange={() => props.onCheckAll(!allChecked)}
              />
            </th>
            <th className="col-star" aria-label="Starred">
              ★
            </th>
            {visible.map((c) => {
              const by = SORTS[c];
              return by ? (
                <SortHeader key={c} column={c} label={COLUMN_LABELS[c]} by={by} testId={`sort-${c}`} numeric={c === "duration"} {...props} />
              ) : (
                <th key={c} data-column={c}>
                  {COLUMN_LABELS[c]}
                  <ColumnResizer column={c} />
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {paddingTop > 0 && (
            <tr aria-hidden="true" className="spacer-row">
              <td colSpan={columns} style={{ height: paddingTop }} />
            </tr>
          )}
          {items.map((item) => {
            const r = recordings[item.index];
            if (!r) return null;
            return (
              <RecordingRow
                key={r.id}
                recording={r}
                index={item.index}
                active={item.index === activeIndex}
                checked={checked.has(r.id)}
                shown={shown}
                onOpen={props.onOpen}
                onCheck={props.onCheck}
                onToggleStar={props.onToggleStar}
              />
            );
          })}
          {paddingBottom > 0 && (
            <tr aria-hidden="true" className="spacer-row">
              <td colSpan={columns} style={{ height: paddingBottom }} />
            </tr>
          )}
        </tbody>
      </table>
      {props.loadingMore && <p className="muted small pad-s">Loading more…</p>}
    </div>
  );
}

type SortHeaderProps = {
  column: Column;
  label: string;
  by: SortBy;
  testId: string;
  numeric?: boolean;
  sortBy: SortBy;
  sortOrder: SortOrder;
  onSort: (by: SortBy) => void;
};

function SortHeader({ column, label, by, testId, numeric, sortBy, sortOrder, onSort }: SortHeaderProps) {
  const active = sortBy === by;
  const ariaSort = active ? (sortOrder === "asc" ? "ascending" : "descending") : "none";
  return (
    <th aria-sort={ariaSort} className={numeric ? "num" : undefined} data-column={column}>
      <button type="button" className={active ? "sort active" : "sort"} data-testid={testId} onClick={() => onSort(by)}>
        {label}
        <span className="sort-arrow" aria-hidden="true">
          {active ? (sortOrder === "asc" ? "▲" : "▼") : "↕"}
        </span>
      </button>
      <ColumnResizer column={column} />
    </th>
  );
}
