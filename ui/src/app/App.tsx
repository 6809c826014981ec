import "./pages.css";

import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";

import { commands, type PaintedView, type SignedInUser, type SortBy } from "../bindings";
import { ToastProvider, useToast, useToastsOf } from "../components/toast";
import { AuditView } from "../features/audit";
import { CleanupDialog } from "../features/cleanup";
import { hasFilters, initialQuery, LibraryView, listParamsOf, nextSort, type LibraryQuery } from "../features/library";
import { PlayerBar } from "../features/player";
import { AccountMenu, SignInScreen, useSession, useSessionEvents } from "../features/session";
import { StatsView } from "../features/stats";
import { SyncButton } from "../features/sync";
import { useTranscriptionEvents } from "../features/transcript";
import { errorMessage } from "../lib/errors";
import { markStartup, startupMarks } from "../lib/startupTrace";
import { applyTheme, ensurePrefsFor, flushPrefs, forgetUserPrefs, takePrefsNotices, usePrefsSnapshot } from "../lib/prefs";
import { SearchBox } from "./SearchBox";
import { SettingsView } from "./SettingsView";
import { Sidebar } from "./Sidebar";
import { useLibraryEvents } from "./useLibraryEvents";
import { usePrefsSync } from "./usePrefsSync";

/** Tells the backend, once per view, that it is on screen: the start-up benchmark reads it. */
function useReportPaint(view: PaintedView) {
  const reported = useRef(false);
  return useCallback(() => {
    if (reported.current) return;
    reported.current = true;
    // Best effort: a lost report only costs the benchmark a figure.
    markStartup("rows_committed");
    // A task queued from a frame's animation callback runs once that frame has been painted
    // (a second animation frame would wait for the next frame as well).
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        channel.port1.close();
        markStartup("painted");
        void commands.reportFirstPaint(view, startupMarks()).catch(() => undefined);
      };
      channel.port2.postMessage(null);
    });
  }, [view]);
}

export function App() {
  return (
    <ToastProvider>
      <Shell />
    </ToastProvider>
  );
}

function Shell() {
  const session = useSession();
  const libraryPainted = useReportPaint("library");
  const user = session.data?.user ?? null;
  useLibraryEvents(user !== null);
  useSessionEvents();
  const prefs = usePrefsSnapshot();
  const prefsReady = user !== null && prefs.accountKey === user.accountKey;
  const toast = useToast();

  // Preferences are read at start beside the session (main.tsx); after a sign-in or a
  // switch, the new person's are read before their window shows.
  const signedOut = session.isSuccess && user === null;
  useEffect(() => {
    if (user && !prefsReady) void ensurePrefsFor(user.accountKey);
    if (signedOut) forgetUserPrefs();
  }, [user, prefsReady, signedOut]);
  // Signed out, the window looks as the computer's preference says (the last person's).
  useLayoutEffect(() => applyTheme(prefsReady ? prefs.user.theme : prefs.app.theme), [prefsReady, prefs.user.theme, prefs.app.theme]);
  useEffect(() => {
    for (const notice of takePrefsNotices()) toast.show(notice, "error");
  }, [prefs.notices, toast]);

  if (session.isSuccess) markStartup("session_ready");
  if (prefsReady) markStartup("prefs_ready");
  if (session.isPending || (user && !prefsReady)) return <div className="splash" aria-busy="true" />;
  if (session.isError) {
    return (
      <p role="alert" className="error-text pad">
        {errorMessage(session.error)}
      </p>
    );
  }
  if (!user) return <SignInScreen status={session.data} />;
  // Another account is another workspace: its filters, open panels and player start afresh
  // (the query cache was emptied before this account's status was cached).
  return (
    <Workspace key={user.accountKey} user={user} offline={session.data.offline} onFirstPaint={libraryPainted} />
  );
}

type WorkspaceProps = { user: SignedInUser; offline: boolean; onFirstPaint: () => void };

/** The signed-in window. Its state (filters, view) lives and dies with the account. */
function Workspace({ user, offline, onFirstPaint }: WorkspaceProps) {
  const { view, setView, query, setQuery } = usePrefsSync();
  const [cleanupOpen, setCleanupOpen] = useState(false);
  useTranscriptionEvents();
  useToastsOf(view);
  // A change made just before leaving (sign-out, switch) is saved, not dropped.
  useEffect(() => () => void flushPrefs(), []);

  const patchQuery = useCallback((patch: Partial<LibraryQuery>) => setQuery((q) => ({ ...q, ...patch })), [setQuery]);
  const onSort = useCallback((by: SortBy) => setQuery((q) => ({ ...q, ...nextSort(q, by) })), [setQuery]);
  const clearFilters = useCallback(
    () => setQuery((q) => ({ ...initialQuery, sortBy: q.sortBy, sortOrder: q.sortOrder })),
    [setQuery],
  );

  const params = listParamsOf(query);

  return (
    <div className="app">
      <header className="topbar">
        <span className="brand">
          <img src="/icon.png" alt="" width={22} height={22} /> CallDeck
        </span>
        <SearchBox
          value={query.search}
          onSearch={(search) => {
            patchQuery({ search });
            setView("library");
          }}
        />
        <SyncButton onOpenSettings={() => setView("settings")} />
      </header>
      <div className="body">
        <Sidebar
          view={view}
          query={query}
          onView={setView}
          onQuery={patchQuery}
          onCleanup={() => setCleanupOpen(true)}
          account={<AccountMenu user={user} offline={offline} />}
        />
        <main className="main">
          {view === "library" && (
            <LibraryView
              params={params}
              filtered={hasFilters(query)}
              onSort={onSort}
              onClearFilters={clearFilters}
              onFirstPaint={onFirstPaint}
            />
          )}
          {view === "stats" && <StatsView />}
          {view === "audit" && <AuditView />}
          {view === "settings" && <SettingsView />}
        </main>
      </div>
      <PlayerBar />
      {cleanupOpen && <CleanupDialog onClose={() => setCleanupOpen(false)} />}
    </div>
  );
}
