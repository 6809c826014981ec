import { useCallback, useRef } from "react";

import { commands, type PaintedView } from "../bindings";
import { describeError } from "../lib/command";
import { useSession, useSignOut } from "../features/session/api";
import { SignInScreen } from "../features/session/SignInScreen";
import { LibraryView } from "../features/library/LibraryView";

/** Tells the backend, once per view, that it is on screen: the start-up benchmark reads it. */
function useReportPaint(view: PaintedView) {
  const reported = useRef(false);
  return useCallback(() => {
    if (reported.current) return;
    reported.current = true;
    // Best effort: a lost report only costs the benchmark a figure.
    requestAnimationFrame(() => requestAnimationFrame(() => void commands.reportFirstPaint(view).catch(() => undefined)));
  }, [view]);
}

export function App() {
  const session = useSession();
  const signOut = useSignOut();
  const libraryPainted = useReportPaint("library");

  if (session.isPending) return <div className="splash" aria-busy="true" />;
  if (session.isError) {
    return (
      <p role="alert" className="error-text pad">
        {describeError(session.error)}
      </p>
    );
  }
  const user = session.data.user;
  if (!user) return <SignInScreen />;

  return (
    <div className="app">
      <header className="topbar">
        <span className="brand">
          <img src="/icon.png" alt="" width={22} height={22} /> CallDeck
        </span>
        <span className="spacer" />
        <span className="user" data-testid="signed-in-user">
          {user.displayName}
          {user.provider === "demo" && <span className="badge">demo</span>}
        </span>
        <button type="button" onClick={() => signOut.mutate()} disabled={signOut.isPending}>
          Sign out
        </button>
      </header>
      <LibraryView onFirstPaint={libraryPainted} />
    </div>
  );
}
