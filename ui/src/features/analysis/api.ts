import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { commands, type CallAnalysis } from "../../bindings";
import { unwrap } from "../../lib/command";

const analysisKey = (id: string) => ["analysis", id] as const;

const NONE: CallAnalysis = { metrics: null, ai: null, aiModel: null, updatedAt: null };

/** What was found before: shown as soon as the panel opens. */
export function useAnalysis(id: string) {
  return useQuery({ queryKey: analysisKey(id), queryFn: () => unwrap(commands.getAnalysis(id)) });
}

/** Shows a new result at once, then refetches for what only the stored analysis says (model, time). */
function useAnalyse<T>(id: string, run: () => Promise<T>, merge: (result: T) => Partial<CallAnalysis>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: (result) => {
      client.setQueryData<CallAnalysis>(analysisKey(id), (old) => ({ ...(old ?? NONE), ...merge(result) }));
      return client.invalidateQueries({ queryKey: analysisKey(id) });
    },
  });
}

export function useAnalyseAudio(id: string) {
  return useAnalyse(id, () => unwrap(commands.analyseAudio(id)), (metrics) => ({ metrics }));
}

export function useAnalyseWithAi(id: string) {
  return useAnalyse(id, () => unwrap(commands.analyseWithAi(id)), (ai) => ({ ai }));
}
