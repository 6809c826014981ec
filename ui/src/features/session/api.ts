import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { commands } from "../../bindings";
import { unwrap } from "../../lib/command";

export const sessionQuery = queryOptions({
  queryKey: ["session"],
  queryFn: () => unwrap(commands.sessionStatus()),
  staleTime: Infinity,
});

export function useSession() {
  return useQuery(sessionQuery);
}

/** Any change of who is signed in drops every cached query: nothing of one user may show for another. */
function useSessionChange<T>(run: () => Promise<T>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: async () => {
      client.removeQueries({ predicate: (q) => q.queryKey[0] !== "session" });
      await client.invalidateQueries({ queryKey: sessionQuery.queryKey });
    },
  });
}

export function useOpenDemoWorkspace() {
  return useSessionChange(() => unwrap(commands.openDemoWorkspace()));
}

export function useSignOut() {
  return useSessionChange(() => unwrap(commands.signOut()));
}
