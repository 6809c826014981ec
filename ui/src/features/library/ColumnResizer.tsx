import { useRef } from "react";

import { COLUMN_WIDTH_RANGE, type Column } from "../../bindings";
import { Resizer } from "../../components/Resizer";
import { getPrefs, updatePrefs } from "../../lib/prefs";
import { COLUMN_LABELS } from "./columns";

const [MIN, MAX] = COLUMN_WIDTH_RANGE;

/** The right edge of a column's heading: drag it (or focus it and press ←/→) to resize. */
export function ColumnResizer({ column }: { column: Column }) {
  const ref = useRef<HTMLSpanElement>(null);
  const width = () => getPrefs().columnWidths[column] ?? ref.current?.closest("th")?.getBoundingClientRect().width ?? 100;
  return (
    <span ref={ref} className="col-resize-slot">
      <Resizer
        label={`Resize the ${COLUMN_LABELS[column]} column`}
        width={width}
        min={MIN}
        max={MAX}
        grows={1}
        className="col-resizer"
        testId={`resize-${column}`}
        onResize={(w) => updatePrefs({ columnWidths: { ...getPrefs().columnWidths, [column]: w } })}
      />
    </span>
  );
}
