import { useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";

import { listenWhileMounted } from "../../lib/listenWhileMounted";
import { events } from "../../bindings";
import { transcriptKeys } from "./api";

/**
 * Keeps each running transcription's progress in the query cache, whichever panel is open,
 * so a panel opened mid-job shows how far it has got. Mount once in the signed-in window.
 */
export function useTranscriptionEvents() {
  const client = useQueryClient();
  useEffect(() => {
    return listenWhileMounted(() =>
      events.transcriptionProgressed.listen(({ payload }) => client.setQueryData(transcriptKeys.progress(payload.progress.recordingId), payload.progress)),
    );
  }, [client]);
}
