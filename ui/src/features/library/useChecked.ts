import { useCallback, useRef, useState } from "react";

import type { RecordingSummary } from "../../bindings";

/** The ticked rows for bulk actions; a shift-tick ticks the whole range from the last one. */
export function useChecked(recordings: RecordingSummary[]) {
  const [checked, setChecked] = useState<ReadonlySet<string>>(() => new Set());
  const anchor = useRef<number | null>(null);

  const toggle = useCallback(
    (index: number, range: boolean) => {
      const target = recordings[index];
      if (!target) return;
      // Read now: the updater below runs later, after the anchor has moved.
      const from = range && anchor.current !== null ? Math.min(anchor.current, index) : index;
      const to = range && anchor.current !== null ? Math.max(anchor.current, index) : index;
      setChecked((prev) => {
        const next = new Set(prev);
        const on = !prev.has(target.id);
        for (let i = from; i <= to; i++) {
          const r = recordings[i];
          if (!r) continue;
          if (on) next.add(r.id);
          else next.delete(r.id);
        }
        return next;
      });
      anchor.current = index;
    },
    [recordings],
  );

  const setAll = useCallback(
    (all: boolean) => {
      setChecked(all ? new Set(recordings.map((r) => r.id)) : new Set());
      anchor.current = null;
    },
    [recordings],
  );

  const clear = useCallback(() => {
    setChecked(new Set());
    anchor.current = null;
  }, []);

  return { checked, toggle, setAll, clear };
}
