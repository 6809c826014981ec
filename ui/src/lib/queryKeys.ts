import type { RecordingFilter, SortBy, SortOrder } from "../bindings";

/**
 * The keys of the queries more than one feature reads or makes stale. A feature's own
 * queries (its settings, its progress) keep their keys beside them.
 */

/** What one list of recordings shows: the filter and the order. */
export type ListParams = { filter: RecordingFilter; sortBy: SortBy; sortOrder: SortOrder };

export const recordingKeys = {
  all: ["recordings"] as const,
  /** Every list (and with it the count above the table, which comes with the first slice). */
  lists: ["recordings", "slices"] as const,
  slices: (params: ListParams) => [...recordingKeys.lists, params] as const,
  /** The counts asked apart from a list (a search's total, once typing pauses). */
  counts: ["recordings", "counts"] as const,
  count: (filter: RecordingFilter) => [...recordingKeys.counts, filter] as const,
  detail: (id: string) => ["recordings", "detail", id] as const,
  /** Every recording's timestamped notes. */
  allNotes: ["recordings", "notes"] as const,
  notes: (id: string) => [...recordingKeys.allNotes, id] as const,
};

/** The totals and charts (also the categories the filters offer). */
export const statsKey = ["stats"] as const;

/** The audit log. */
export const auditKey = ["audit"] as const;
