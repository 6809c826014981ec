import axe from "axe-core";

import indexHtml from "../../index.html?raw";

/** The violations that fail the check: axe's "serious" and "critical" impacts. */
const BLOCKING = new Set(["serious", "critical"]);

/**
 * Runs axe-core over the whole document and returns the serious and critical violations, each
 * as one readable line (rule, impact, where). jsdom lays nothing out and paints nothing, so
 * colour contrast is left to the WebDriver check in the real window (tests/e2e/a11y.test.mjs).
 */
export async function blockingViolations(): Promise<string[]> {
  adoptIndexHtml();
  const result = await axe.run(document, {
    rules: { "color-contrast": { enabled: false } },
    resultTypes: ["violations"],
  });
  return result.violations
    .filter((v) => BLOCKING.has(v.impact ?? ""))
    .flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target.join(" ")} — ${n.failureSummary ?? v.help}`));
}

/** The window's document is ui/index.html: its language and title, which jsdom's blank page lacks. */
function adoptIndexHtml() {
  const page = new DOMParser().parseFromString(indexHtml, "text/html");
  document.documentElement.lang = page.documentElement.lang;
  document.title = page.title;
}
