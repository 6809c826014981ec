import type { StartupMark } from "../bindings";

/**
 * The page's side of the start-up trace: named moments of the first screen, sent with the
 * first-paint report so that the app's log shows where a start spent its time (the
 * benchmark prints it). Performance marks, so the WebKit inspector shows them too.
 */
const PREFIX = "calldeck:";
const marked = new Set<string>();

/** Marks the first time only: renders repeat, and marks kept all day would only grow. */
export function markStartup(name: string) {
  if (marked.has(name) || typeof performance.mark !== "function") return;
  marked.add(name);
  performance.mark(PREFIX + name);
}

/** Wall-clock times (ms since the epoch) of the page's load and of every mark so far. */
export function startupMarks(): StartupMark[] {
  const origin = performance.timeOrigin;
  const marks: StartupMark[] = [{ name: "navigation_start", epochMs: origin }];
  const [nav] = performance.getEntriesByType("navigation") as PerformanceNavigationTiming[];
  if (nav) {
    marks.push(
      { name: "response_end", epochMs: origin + nav.responseEnd },
      { name: "dom_interactive", epochMs: origin + nav.domInteractive },
      { name: "dom_content_loaded", epochMs: origin + nav.domContentLoadedEventEnd },
    );
  }
  for (const entry of performance.getEntriesByType("mark")) {
    if (entry.name.startsWith(PREFIX)) marks.push({ name: entry.name.slice(PREFIX.length), epochMs: origin + entry.startTime });
  }
  return marks;
}
