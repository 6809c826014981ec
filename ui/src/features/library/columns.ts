import type { Column, SortBy } from "../../bindings";

/** The table's columns that can be hidden or resized, in order, with their headings. */
export const COLUMN_LABELS: Record<Column, string> = {
  date: "Date",
  number: "Number",
  name: "Name",
  direction: "Direction",
  duration: "Duration",
  status: "Status",
  category: "Category",
};

export const COLUMNS = Object.keys(COLUMN_LABELS) as Column[];

/** The columns a click sorts by. */
export const SORTS: Partial<Record<Column, SortBy>> = { date: "createdAt", number: "phone", duration: "duration" };

export type Shown = Readonly<Record<Column, boolean>>;

/**
 * Which columns show: all but those the person hid; with the details panel open (`narrow`)
 * the status also makes way for the name.
 */
export function shownColumns(hidden: readonly Column[], narrow: boolean): Shown {
  const shown = {} as Record<Column, boolean>;
  for (const c of COLUMNS) shown[c] = !hidden.includes(c) && !(narrow && c === "status");
  return shown;
}
