import type { Direction, RecordingFilter, RecordingStatus, Scope, SortBy, SortOrder, UserPrefs } from "../../bindings";
import { dayStartIso } from "../../lib/format";
import type { ListParams } from "../../lib/queryKeys";

/** Which part of the library the sidebar shows. */
export type { Scope };

/** Everything the user chose about what the table lists, as the controls hold it. */
export type LibraryQuery = {
  scope: Scope;
  search: string;
  status: RecordingStatus | "";
  direction: Direction | "";
  category: string;
  /** "YYYY-MM-DD" from the date inputs, or "". */
  from: string;
  to: string;
  sortBy: SortBy;
  sortOrder: SortOrder;
};

export const initialQuery: LibraryQuery = {
  scope: "all",
  search: "",
  status: "",
  direction: "",
  category: "",
  from: "",
  to: "",
  sortBy: "createdAt",
  sortOrder: "desc",
};

/** The backend filter for the controls' state; empty controls are left out. */
export function toFilter(q: LibraryQuery): RecordingFilter {
  const filter: RecordingFilter = {};
  if (q.search.trim()) filter.search = q.search.trim();
  if (q.status) filter.status = q.status;
  if (q.direction) filter.direction = q.direction;
  if (q.category) filter.category = q.category;
  if (q.scope === "starred") filter.starred = true;
  if (q.scope === "archived") filter.archived = true;
  if (q.scope === "held") filter.legalHold = true;
  const start = q.from ? dayStartIso(q.from) : null;
  const end = q.to ? dayStartIso(q.to, true) : null;
  if (start) filter.startDate = start;
  if (end) filter.endDate = end;
  return filter;
}

/** The order a column starts in when first clicked: newest, longest, and numbers A→Z. */
export const FIRST_ORDER: Record<SortBy, SortOrder> = { createdAt: "desc", duration: "desc", phone: "asc" };

export function nextSort(q: LibraryQuery, by: SortBy): Pick<LibraryQuery, "sortBy" | "sortOrder"> {
  if (q.sortBy !== by) return { sortBy: by, sortOrder: FIRST_ORDER[by] };
  return { sortBy: by, sortOrder: q.sortOrder === "asc" ? "desc" : "asc" };
}

/** What the list is read with: the filter, and the order. */
export function listParamsOf(q: LibraryQuery): ListParams {
  return { filter: toFilter(q), sortBy: q.sortBy, sortOrder: q.sortOrder };
}

export function hasFilters(q: LibraryQuery): boolean {
  return Boolean(q.search.trim() || q.status || q.direction || q.category || q.from || q.to || q.scope !== "all");
}

/** The controls as the person left them: sort, scope and filters (never the search). */
export function queryFromPrefs(prefs: UserPrefs): LibraryQuery {
  const f = prefs.filters;
  return {
    ...initialQuery,
    scope: f.scope,
    status: f.status ?? "",
    direction: f.direction ?? "",
    category: f.category ?? "",
    from: f.from ?? "",
    to: f.to ?? "",
    sortBy: prefs.sortBy,
    sortOrder: prefs.sortOrder,
  };
}

/** What of the controls is kept in preferences. */
export function prefsFromQuery(q: LibraryQuery): Pick<UserPrefs, "filters" | "sortBy" | "sortOrder"> {
  return {
    sortBy: q.sortBy,
    sortOrder: q.sortOrder,
    filters: {
      scope: q.scope,
      status: q.status || null,
      direction: q.direction || null,
      category: q.category || null,
      from: q.from || null,
      to: q.to || null,
    },
  };
}
