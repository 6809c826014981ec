import type { Column } from "../../bindings";
import { getPrefs, updatePrefs, usePref } from "../../lib/prefs";
import { COLUMN_LABELS, COLUMNS } from "./columns";

/** Above the table: which columns show. Widths are dragged on the headings themselves. */
export function ColumnsMenu() {
  const hidden = usePref("hiddenColumns");
  const toggle = (c: Column) => {
    const now = getPrefs().hiddenColumns;
    updatePrefs({ hiddenColumns: now.includes(c) ? now.filter((h) => h !== c) : [...now, c] });
  };
  return (
    <details className="columns-menu" data-testid="columns-menu">
      <summary>Columns</summary>
      <fieldset aria-label="Columns to show">
        {COLUMNS.map((c) => (
          <label key={c}>
            <input type="checkbox" checked={!hidden.includes(c)} data-testid={`column-${c}`} onChange={() => toggle(c)} />{" "}
            {COLUMN_LABELS[c]}
          </label>
        ))}
        <button
          type="button"
          className="link"
          data-testid="columns-reset"
          onClick={() => updatePrefs({ hiddenColumns: [], columnWidths: {} })}
        >
          Show all, default widths
        </button>
      </fieldset>
    </details>
  );
}
