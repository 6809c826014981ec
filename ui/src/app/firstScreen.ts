import type { QueryClient } from "@tanstack/react-query";

import { listParamsOf, queryFromPrefs, recordingSlicesQuery } from "../features/library";
import { sessionQuery } from "../features/session";
import { statsQuery } from "../features/stats";
import { twilioStatusQuery } from "../features/sync";
import { getPrefsSnapshot, loadPrefs } from "../lib/prefs";

/**
 * How long the window waits for its first screen's data before it renders without it. The
 * page is blank either way until then (the splash is an empty panel), so waiting costs
 * nothing while the answers come quickly, and a slow start (a session refreshed over the
 * network, a cold disk) still gets its splash and its spinners after this.
 */
export const FIRST_SCREEN_WAIT_MS = 800;

/**
 * Asks for everything the first screen shows, at once, before anything renders: the session
 * and the preferences side by side, then, for a person whose window opens on the library,
 * the first slice of their list as they left it, with the totals and the sync status beside
 * it. The first render then has its rows, and the window paints once instead of twice (an
 * empty table, then rows): at start, each full paint of the window is the larger part of
 * the time to the first rows.
 */
export async function prefetchFirstScreen(client: QueryClient): Promise<void> {
  const [status] = await Promise.all([client.fetchQuery(sessionQuery), loadPrefs()]);
  const prefs = getPrefsSnapshot();
  const user = status.user;
  if (!user || prefs.accountKey !== user.accountKey || prefs.user.view !== "library") return;
  void client.prefetchQuery(statsQuery);
  void client.prefetchQuery(twilioStatusQuery);
  await client.prefetchInfiniteQuery(recordingSlicesQuery(listParamsOf(queryFromPrefs(prefs.user))));
}

/** `prefetchFirstScreen`, given at most `waitMs`; never fails (the views ask again). */
export function firstScreenReady(client: QueryClient, waitMs = FIRST_SCREEN_WAIT_MS): Promise<void> {
  return Promise.race([
    prefetchFirstScreen(client).catch(() => undefined),
    new Promise<void>((resolve) => setTimeout(resolve, waitMs)),
  ]);
}
