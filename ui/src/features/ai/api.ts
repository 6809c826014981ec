import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { commands, type AiSettingsInput } from "../../bindings";
import { unwrap } from "../../lib/command";

export const aiSettingsQuery = queryOptions({
  queryKey: ["ai", "settings"],
  queryFn: () => unwrap(commands.aiSettings()),
});

export function useAiSettings() {
  return useQuery(aiSettingsQuery);
}

export function useSaveAiSettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (settings: AiSettingsInput) => unwrap(commands.saveAiSettings(settings)),
    onSuccess: (saved) => client.setQueryData(aiSettingsQuery.queryKey, saved),
  });
}
