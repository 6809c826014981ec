import type { ReactNode } from "react";

import type { Direction, RecordingStatus, View } from "../bindings";
import type { LibraryQuery, Scope } from "../features/library";
import { useCategories } from "../features/stats";
import { ToastDock } from "../components/toast";
import { DateFilter } from "./DateFilter";

export type { View };

type Props = {
  view: View;
  query: LibraryQuery;
  onView: (view: View) => void;
  onQuery: (patch: Partial<LibraryQuery>) => void;
  onCleanup: () => void;
  /** Who is signed in, at the foot. */
  account: ReactNode;
};

const SCOPES: { scope: Scope; label: string }[] = [
  { scope: "all", label: "All" },
  { scope: "starred", label: "Starred" },
  { scope: "archived", label: "Archived" },
  { scope: "held", label: "On hold" },
];

export function Sidebar({ view, query, onView, onQuery, onCleanup, account }: Props) {
  const categories = useCategories();
  const filter = (patch: Partial<LibraryQuery>) => {
    onQuery(patch);
    onView("library");
  };
  return (
    <nav className="sidebar" aria-label="Library">
      <h2 className="side-title">Library</h2>
      <ul className="side-nav">
        {SCOPES.map(({ scope, label }) => (
          <li key={scope}>
            <button
              type="button"
              className={view === "library" && query.scope === scope ? "side-link active" : "side-link"}
              aria-current={view === "library" && query.scope === scope ? "page" : undefined}
              data-testid={`filter-scope-${scope}`}
              onClick={() => filter({ scope })}
            >
              {label}
            </button>
          </li>
        ))}
      </ul>
      <h2 className="side-title">Filters</h2>
      <label className="side-field">
        <span>Status</span>
        <select
          value={query.status}
          data-testid="filter-status"
          onChange={(e) => filter({ status: e.target.value as RecordingStatus | "" })}
        >
          <option value="">Any</option>
          <option value="ready">Ready</option>
          <option value="processing">Processing</option>
          <option value="error">Error</option>
        </select>
      </label>
      <label className="side-field">
        <span>Direction</span>
        <select
          value={query.direction}
          data-testid="filter-direction"
          onChange={(e) => filter({ direction: e.target.value as Direction | "" })}
        >
          <option value="">Any</option>
          <option value="inbound">Inbound</option>
          <option value="outbound">Outbound</option>
        </select>
      </label>
      <label className="side-field">
        <span>Category</span>
        <select value={query.category} data-testid="filter-category" onChange={(e) => filter({ category: e.target.value })}>
          <option value="">Any</option>
          {query.category && !categories.includes(query.category) && <option value={query.category}>{query.category}</option>}
          {categories.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      </label>
      <fieldset className="side-field dates">
        <legend>Date range</legend>
        <DateFilter
          label="From"
          value={query.from}
          max={query.to || undefined}
          testId="filter-from"
          onChange={(from) => filter({ from })}
        />
        <DateFilter
          label="To"
          value={query.to}
          min={query.from || undefined}
          testId="filter-to"
          onChange={(to) => filter({ to })}
        />
      </fieldset>
      <ToastDock />
      <ul className="side-nav bottom">
        <li>
          <button
            type="button"
            className={view === "stats" ? "side-link active" : "side-link"}
            data-testid="nav-stats"
            onClick={() => onView("stats")}
          >
            Stats
          </button>
        </li>
        <li>
          <button
            type="button"
            className={view === "audit" ? "side-link active" : "side-link"}
            data-testid="nav-audit"
            onClick={() => onView("audit")}
          >
            Audit
          </button>
        </li>
        <li>
          <button
            type="button"
            className={view === "settings" ? "side-link active" : "side-link"}
            data-testid="nav-settings"
            onClick={() => onView("settings")}
          >
            Settings
          </button>
        </li>
        <li>
          <button type="button" className="side-link" data-testid="open-cleanup" onClick={onCleanup}>
            Clean up…
          </button>
        </li>
      </ul>
      {account}
    </nav>
  );
}
