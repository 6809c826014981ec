import { useCallback, useEffect, useState } from "react";

import type { View } from "../bindings";
import { prefsFromQuery, queryFromPrefs, type LibraryQuery } from "../features/library";
import { getPrefs, setPref, updatePrefs, usePref } from "../lib/prefs";

/**
 * The window's open view and the library's controls, starting as the person left them and
 * kept in their preferences as they change (the search box is the moment's and is not).
 */
export function usePrefsSync() {
  const [query, setQuery] = useState<LibraryQuery>(() => queryFromPrefs(getPrefs()));
  const view = usePref("view");
  const setView = useCallback((next: View) => setPref("view", next), []);
  useEffect(() => updatePrefs(prefsFromQuery(query)), [query]);
  return { view, setView, query, setQuery };
}
