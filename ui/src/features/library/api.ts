import {
  keepPreviousData,
  queryOptions,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
  type InfiniteData,
  type QueryClient,
} from "@tanstack/react-query";

import {
  commands,
  type BulkAction,
  type RecordingFilter,
  type RecordingPatch,
  type RecordingSlice,
  type RecordingSummary,
  type SortBy,
  type SortOrder,
} from "../../bindings";
import { unwrap } from "../../lib/command";

/** A slice of the infinite list; the backend allows at most 50. */
export const SLICE_SIZE = 50;

export type ListParams = { filter: RecordingFilter; sortBy: SortBy; sortOrder: SortOrder };

export const recordingKeys = {
  all: ["recordings"] as const,
  slices: (params: ListParams) => [...recordingKeys.all, "slices", params] as const,
  detail: (id: string) => [...recordingKeys.all, "detail", id] as const,
  notes: (id: string) => [...recordingKeys.all, "notes", id] as const,
};

/** What a change to the library makes stale: every list, the stats and the audit log. */
export async function invalidateLibrary(client: QueryClient) {
  await Promise.all([
    client.invalidateQueries({ queryKey: recordingKeys.all }),
    client.invalidateQueries({ queryKey: ["stats"] }),
    client.invalidateQueries({ queryKey: ["audit"] }),
  ]);
}

export function useRecordingSlices(params: ListParams) {
  return useInfiniteQuery({
    queryKey: recordingKeys.slices(params),
    queryFn: ({ pageParam }) =>
      unwrap(commands.listRecordingsAfter({ ...params, after: pageParam, limit: SLICE_SIZE })),
    initialPageParam: null as string | null,
    getNextPageParam: (last: RecordingSlice) => last.nextCursor,
    // As the original list did: poll every 30 s while visible (and on focus, by default).
    refetchInterval: 30_000,
    placeholderData: keepPreviousData,
  });
}

export function recordingQuery(id: string) {
  return queryOptions({
    queryKey: recordingKeys.detail(id),
    queryFn: () => unwrap(commands.getRecording(id)),
  });
}

export function useRecording(id: string | null) {
  return useQuery({ ...recordingQuery(id ?? ""), enabled: id !== null });
}

type SummaryPatch = Partial<Pick<RecordingSummary, "starred" | "archived" | "category">>;

/** Shows a change in every cached list at once, before the refetch confirms it. */
function patchCachedRows(client: QueryClient, ids: string[], patch: SummaryPatch) {
  const wanted = new Set(ids);
  client.setQueriesData<InfiniteData<RecordingSlice>>({ queryKey: [...recordingKeys.all, "slices"] }, (data) =>
    data
      ? {
          ...data,
          pages: data.pages.map((page) => ({
            ...page,
            items: page.items.map((r) => (wanted.has(r.id) ? { ...r, ...patch } : r)),
          })),
        }
      : data,
  );
}

export function useUpdateRecording() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, patch }: { id: string; patch: RecordingPatch }) => unwrap(commands.updateRecording(id, patch)),
    onMutate: ({ id, patch }) => {
      const rowPatch: SummaryPatch = {};
      if (typeof patch.starred === "boolean") rowPatch.starred = patch.starred;
      if (typeof patch.archived === "boolean") rowPatch.archived = patch.archived;
      if (Object.keys(rowPatch).length > 0) patchCachedRows(client, [id], rowPatch);
    },
    onSettled: () => invalidateLibrary(client),
  });
}

export function useBulkUpdate() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ action, ids }: { action: BulkAction; ids: string[] }) => unwrap(commands.bulkUpdate(action, ids)),
    onSettled: () => invalidateLibrary(client),
  });
}

export function useDeleteRecording() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, alsoAtTwilio }: { id: string; alsoAtTwilio: boolean }) =>
      unwrap(commands.deleteRecording(id, alsoAtTwilio)),
    onSettled: () => invalidateLibrary(client),
  });
}

export function useSetLegalHold() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, held }: { id: string; held: boolean }) => unwrap(commands.setLegalHold(id, held)),
    onSettled: () => invalidateLibrary(client),
  });
}

export function useExportRecordings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (ids: string[]) =>
      ids.length === 1 && ids[0] ? unwrap(commands.exportRecording(ids[0])) : unwrap(commands.exportRecordings(ids)),
    onSettled: () => invalidateLibrary(client),
  });
}
