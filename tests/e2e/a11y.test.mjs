// End-to-end: axe-core over every view in the real window, in the light and the dark theme,
// with colour contrast (which jsdom cannot compute) — and a screenshot of each.
// Run with tests/e2e/run.sh, like library.test.mjs. axe-core's own build comes from the
// UI's npm packages (ui/node_modules/axe-core) and is sent into the page with the WebDriver
// "execute script" command: nothing is added to the app.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { launchApp, repoPath, stepsOf } from './webdriver.mjs';

const OUT = process.env.E2E_OUT_DIR ?? repoPath('target', 'e2e');
const $ = (id) => `[data-testid="${id}"]`;
const step = stepsOf(test);
const THEMES = ['light', 'dark'];
/** What fails the check: axe's serious and critical findings. */
const BLOCKING = ['serious', 'critical'];

describe('accessibility (axe-core, both themes)', { timeout: 300_000 }, () => {
  let session;
  let app;
  let axeSource;

  /** Forces a theme the way the Theme preference does: data-theme on <html>. */
  const setTheme = async (theme) => {
    await session.execute(`document.documentElement.dataset.theme = arguments[0];`, [theme]);
    await session.nextFrames(2);
  };

  /** axe-core's serious and critical violations on the page as it is, one line per element. */
  const violations = async () => {
    const loaded = await session.execute(`if (!window.axe) { ${axeSource}\n } return typeof window.axe?.run === 'function';`);
    assert.ok(loaded, 'axe-core loaded into the page');
    const json = await session.executeAsync(
      `const done = arguments[arguments.length - 1];
       window.axe.run(document, { resultTypes: ['violations'] })
         .then((r) => done(JSON.stringify(r.violations)))
         .catch((e) => done(JSON.stringify({ error: String(e) })));`,
    );
    const found = JSON.parse(json);
    if (found.error) throw new Error(`axe-core failed: ${found.error}`);
    return found
      .filter((v) => BLOCKING.includes(v.impact))
      .flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}) ${n.target.join(' ')}: ${(n.failureSummary ?? v.help).replace(/\s+/g, ' ')}`));
  };

  /** Checks the view on screen in both themes and saves a screenshot of each. */
  const checkView = async (name) => {
    for (const theme of THEMES) {
      await setTheme(theme);
      await session.screenshot(join(OUT, `a11y-${name}-${theme}.png`));
      const found = await violations();
      assert.deepEqual(found, [], `axe-core on ${name} (${theme}): serious or critical violations`);
    }
  };

  before(async () => {
    axeSource = await readFile(repoPath('ui', 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
    app = await launchApp('a11y');
    session = app.session;
  });

  after(async () => {
    await app?.close();
  });

  step('sign-in screen', async () => {
    await session.waitForElement($('open-demo'), { message: 'the sign-in screen' });
    await checkView('sign-in');
  });

  step('library', async () => {
    await (await session.find($('open-demo'))).click();
    await session.waitForElement($('recording-row'), { message: 'the demo library' });
    await checkView('library');
  });

  step('details and player, playing', async () => {
    const id = await session.waitFor(
      async () =>
        session.execute(
          `const row = [...document.querySelectorAll('[data-testid="recording-row"]')].find((r) => r.querySelector('.offline-dot:not(.none)'));
           if (row) return row.dataset.id;
           document.querySelector('.table-scroll').scrollBy(0, 500);
           return null;`,
        ),
      { message: 'a rendered row with local audio' },
    );
    await (await session.find(`[data-id="${id}"] ${$('row-number')}`)).click();
    await (await session.waitForElement($('details-play'), { message: 'the details Play button' })).click();
    await session.waitFor(
      async () => (await session.execute(`return document.querySelector('[data-testid="player-now"]')?.dataset.recording;`)) === id,
      { message: `the player bar to hold ${id}` },
    );
    // The waveform drawn: its canvas has pixels.
    await session.waitFor(
      async () =>
        session.execute(
          `const c = document.querySelector('[data-testid="player-waveform"]');
           const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
           for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) return true;
           return false;`,
        ),
      { message: 'the waveform to be drawn' },
    );
    await checkView('details-player');
  });

  step('a toast at the foot of the sidebar, over neither rows nor links', async () => {
    const id = await session.execute(
      `return [...document.querySelectorAll('[data-testid="recording-row"]')].find((r) => r.querySelector('[data-testid="star-toggle"]').getAttribute('aria-pressed') === 'false')?.dataset.id ?? null;`,
    );
    assert.ok(id, 'a rendered row that is not starred');
    await (await session.find(`[data-id="${id}"] ${$('row-checkbox')}`)).click();
    await (await session.waitForElement($('bulk-star'), { message: 'the bulk bar' })).click();
    await session.waitForElement($('toast'), { message: 'a toast after starring' });
    const overlap = await session.execute(
      `const t = document.querySelector('.toasts').getBoundingClientRect();
       const table = document.querySelector('.table-scroll').getBoundingClientRect();
       const links = document.querySelector('.side-nav.bottom').getBoundingClientRect();
       return { toastRight: t.right, tableLeft: table.left, toastBottom: t.bottom, linksTop: links.top };`,
    );
    assert.ok(overlap.toastRight <= overlap.tableLeft, `the toasts stay left of the table: ${JSON.stringify(overlap)}`);
    assert.ok(overlap.toastBottom <= overlap.linksTop, `the toasts stay above the sidebar's links: ${JSON.stringify(overlap)}`);
    await checkView('toast');
  });

  step('stats', async () => {
    await (await session.find($('nav-stats'))).click();
    await session.waitFor(async () => (await session.find($('toast'))) === null, { message: "the library's toast to leave with its view" });
    await session.waitForElement($('stats-total'), { message: 'the stats view' });
    await checkView('stats');
  });

  step('settings', async () => {
    await (await session.find($('nav-settings'))).click();
    await session.waitForElement('.settings-view', { message: 'the settings view' });
    await checkView('settings');
  });
});
