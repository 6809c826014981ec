import { skipToken, useMutation, useMutationState, useQuery, useQueryClient } from "@tanstack/react-query";

import { commands, type TranscribeProgress } from "../../bindings";
import { unwrap } from "../../lib/command";
import { detailsOf, invalidateLibrary } from "../../lib/invalidate";

export const transcriptKeys = {
  transcript: (id: string) => ["transcripts", id] as const,
  // Outside "transcripts": refetching a transcript must not touch the progress of its job.
  progress: (id: string) => ["transcription-progress", id] as const,
  job: (id: string) => ["transcribe", id] as const,
};

export function useTranscript(id: string) {
  return useQuery({
    queryKey: transcriptKeys.transcript(id),
    queryFn: () => unwrap(commands.getTranscript(id)),
    // It changes only by transcribing, which writes the cache: no refetch of a long call's words on focus.
    staleTime: Infinity,
  });
}

/** The last progress event of this recording's job (written by `useTranscriptionEvents`). */
export function useTranscriptionProgress(id: string) {
  return useQuery<TranscribeProgress | null>({ queryKey: transcriptKeys.progress(id), queryFn: skipToken }).data ?? null;
}

/**
 * Transcription of one recording. The job lives in the mutation cache, not in the component:
 * closing the details panel and opening it again shows the same job still running (or how
 * it ended).
 */
export function useTranscription(id: string) {
  const client = useQueryClient();
  const start = useMutation({
    mutationKey: transcriptKeys.job(id),
    mutationFn: () => {
      client.setQueryData(transcriptKeys.progress(id), null);
      return unwrap(commands.transcribeRecording(id));
    },
    onSuccess: (transcript) => {
      client.setQueryData(transcriptKeys.transcript(id), transcript);
      // The words are searchable now: a word search may list this recording.
      return invalidateLibrary(client, detailsOf([id]));
    },
  });
  const cancel = useMutation({ mutationFn: () => unwrap(commands.cancelTranscription(id)) });
  const jobs = useMutationState({ filters: { mutationKey: transcriptKeys.job(id) }, select: (m) => m.state });
  const last = jobs.at(-1);
  return {
    running: last?.status === "pending",
    error: last?.status === "error" ? last.error : null,
    progress: useTranscriptionProgress(id),
    start: () => start.mutate(),
    cancel: () => cancel.mutate(),
    cancelling: cancel.isPending,
  };
}
