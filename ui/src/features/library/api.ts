import {
  infiniteQueryOptions,
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
  type TwilioStatus,
} from "../../bindings";
import { unwrap } from "../../lib/command";
import { countedOf, detailsOf, invalidateLibrary } from "../../lib/invalidate";
import { recordingKeys, type ListParams } from "../../lib/queryKeys";

/** A slice of the infinite list; the backend allows at most 50. */
export const SLICE_SIZE = 50;

export type { ListParams };

/**
 * How often the list is read again with nothing said: never while a background sync runs,
 * since every change CallDeck makes (that sync's included) arrives as a `LibraryChanged`
 * event; every five minutes otherwise, as a safety net. Focus refetches too.
 */
export const SLOW_POLL_MS = 5 * 60_000;

export function listPollMs(twilio: TwilioStatus | undefined): number | false {
  return twilio?.settings.backgroundMinutes ? false : SLOW_POLL_MS;
}

/**
 * Whether a list's total is asked for apart from its rows (`useRecordingCount`), not with
 * its first slice: a search's, whose rows follow each key while counting its matches costs
 * more than finding them.
 */
export function countedApart(filter: RecordingFilter): boolean {
  return Boolean(filter.search);
}

/** The list's slices under `params`: what the library reads, and what start-up prefetches. */
export function recordingSlicesQuery(params: ListParams) {
  return infiniteQueryOptions({
    queryKey: recordingKeys.slices(params),
    queryFn: ({ pageParam }) =>
      unwrap(
        commands.listRecordingsAfter({
          ...params,
          after: pageParam,
          limit: SLICE_SIZE,
          withoutTotal: countedApart(params.filter),
        }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last: RecordingSlice) => last.nextCursor,
  });
}

/** How many recordings match `filter`; nothing is asked while it is null. */
export function useRecordingCount(filter: RecordingFilter | null) {
  return useQuery({
    queryKey: recordingKeys.count(filter ?? {}),
    queryFn: () => unwrap(commands.countRecordings(filter ?? {})),
    enabled: filter !== null,
  });
}

export function useRecordingSlices(params: ListParams, pollMs: number | false = false) {
  return useInfiniteQuery({
    ...recordingSlicesQuery(params),
    refetchInterval: pollMs,
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
  client.setQueriesData<InfiniteData<RecordingSlice>>({ queryKey: recordingKeys.lists }, (data) =>
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
    onSettled: (_, __, { id }) => invalidateLibrary(client, countedOf([id])),
  });
}

export function useBulkUpdate() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ action, ids }: { action: BulkAction; ids: string[] }) => unwrap(commands.bulkUpdate(action, ids)),
    onSettled: (_, __, { ids }) => invalidateLibrary(client, countedOf(ids)),
  });
}

export function useDeleteRecording() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, alsoAtTwilio }: { id: string; alsoAtTwilio: boolean }) =>
      unwrap(commands.deleteRecording(id, alsoAtTwilio)),
    onSettled: (_, __, { id }) => invalidateLibrary(client, countedOf([id])),
  });
}

export function useSetLegalHold() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, held }: { id: string; held: boolean }) => unwrap(commands.setLegalHold(id, held)),
    onSettled: (_, __, { id }) => invalidateLibrary(client, countedOf([id])),
  });
}

export function useExportRecordings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (ids: string[]) =>
      ids.length === 1 && ids[0] ? unwrap(commands.exportRecording(ids[0])) : unwrap(commands.exportRecordings(ids)),
    // An export is counted in the recording's details only.
    onSettled: (_, __, ids) => invalidateLibrary(client, detailsOf(ids)),
  });
}
