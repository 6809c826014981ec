import { QueryClient } from "@tanstack/react-query";

import { CommandError } from "./command";

/** Shared defaults, as the original system's list queries had them. */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        refetchOnWindowFocus: true,
        refetchIntervalInBackground: false,
        staleTime: 5_000,
        // A missing recording or a signed-out session will not fix itself by retrying.
        retry: (failures, error) =>
          !(error instanceof CommandError && ["not_found", "not_signed_in", "invalid_input"].includes(error.code)) &&
          failures < 2,
      },
    },
  });
}
