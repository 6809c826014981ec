import { keepPreviousData, queryOptions, useQuery } from "@tanstack/react-query";

import { commands } from "../../bindings";
import { unwrap } from "../../lib/command";

export const PAGE_SIZE = 50;

export const recordingKeys = {
  all: ["recordings"] as const,
  list: (page: number) => [...recordingKeys.all, "list", { page }] as const,
  detail: (id: string) => [...recordingKeys.all, "detail", id] as const,
};

export function recordingsPageQuery(page: number) {
  return queryOptions({
    queryKey: recordingKeys.list(page),
    queryFn: () => unwrap(commands.listRecordings({ page, limit: PAGE_SIZE })),
    // As the original list did: poll every 30 s while visible, and on window focus.
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

export function useRecordingsPage(page: number) {
  return useQuery(recordingsPageQuery(page));
}

export function useRecording(id: string | null) {
  return useQuery({ ...recordingQuery(id ?? ""), enabled: id !== null });
}
