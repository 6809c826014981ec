import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { commands, type SyncSettings, type TwilioCredentialsInput } from "../../bindings";
import { unwrap } from "../../lib/command";
import { countedOf, invalidateLibrary } from "../../lib/invalidate";

export const twilioStatusQuery = queryOptions({
  queryKey: ["twilio", "status"],
  queryFn: () => unwrap(commands.twilioStatus()),
});

export function useTwilioStatus() {
  return useQuery(twilioStatusQuery);
}

export function useConnectTwilio() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (credentials: TwilioCredentialsInput) => unwrap(commands.connectTwilio(credentials)),
    onSuccess: (status) => client.setQueryData(twilioStatusQuery.queryKey, status),
  });
}

export function useDisconnectTwilio() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(commands.disconnectTwilio()),
    onSuccess: () => client.invalidateQueries({ queryKey: twilioStatusQuery.queryKey }),
  });
}

export function useSaveSyncSettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (settings: SyncSettings) => unwrap(commands.saveSyncSettings(settings)),
    onSuccess: (status) => client.setQueryData(twilioStatusQuery.queryKey, status),
  });
}

export function useSyncNow() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(commands.syncNow()),
    onSettled: async () => {
      await invalidateLibrary(client, { kind: "everything" });
      await client.invalidateQueries({ queryKey: twilioStatusQuery.queryKey });
    },
  });
}

export function cancelSync() {
  return unwrap(commands.cancelSync());
}

export function useDownloadNow() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap(commands.downloadNow(id)),
    onSuccess: (_, id) => invalidateLibrary(client, countedOf([id])),
  });
}
