// End-to-end: preferences in the real window. The demo user changes volume, speed, sort,
// columns, a filter, the details panel's width and the theme; quits; starts again: all are
// back. Killed with SIGKILL right after a change: the change is back at the next start.
// Another user (Auth0, loopback OpenID provider) gets their own, and the demo's come back
// after them. A preferences file full of NULs at start: defaults, a notice, the file kept
// aside. Run with tests/e2e/run.sh.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { signInEnv, startProvider } from './oidc.mjs';
import { launchApp, newSession, pageText, repoPath, stepsOf, tauriCapabilities } from './webdriver.mjs';

const OUT = process.env.E2E_OUT_DIR ?? repoPath('target', 'e2e');
const DRIVER = process.env.WEBDRIVER_URL ?? 'http://127.0.0.1:4444';

const $ = (id) => `[data-testid="${id}"]`;
const step = stepsOf(test);
const ARROW_LEFT = '\uE012';
const ARROW_RIGHT = '\uE014';

describe('preferences survive quitting, a kill, and belong to each user', { timeout: 300_000 }, () => {
  let session;
  let provider;
  let app;
  let loginFile;
  const { domText, waitForDomText, click } = pageText(() => session);

  /** Evaluates `expression` in the window. */
  const js = (expression, args = []) => session.execute(`return ${expression};`, args);
  const theme = () => js('document.documentElement.dataset.theme ?? null');
  const value = (id) => js(`document.querySelector('[data-testid="${id}"]')?.value ?? null`);
  const ariaSort = (id) => js(`document.querySelector('[data-testid="${id}"]')?.closest('th').getAttribute('aria-sort') ?? null`);
  const numberWidth = () => js(`Math.round(document.querySelector('th[data-column="number"]')?.getBoundingClientRect().width ?? 0)`);
  const detailsWidth = () => js(`Math.round(document.querySelector('.details-slot')?.getBoundingClientRect().width ?? 0)`);

  /** The demo user's preferences file as saved on disk (null while there is none). */
  const savedPrefs = async () => {
    const users = join(app.dataDir, 'users');
    for (const key of await readdir(users).catch(() => [])) {
      const card = await readFile(join(users, key, 'account.json'), 'utf8').catch(() => '');
      if (!card.includes('"demo"')) continue;
      const text = await readFile(join(users, key, 'preferences.json'), 'utf8').catch(() => null);
      return text === null ? null : JSON.parse(text);
    }
    return null;
  };
  /** Waits until the file on disk says what `check` wants: the change was saved, not only shown. */
  const waitForSaved = (check, message) =>
    session.waitFor(async () => check((await savedPrefs()) ?? {}), { message, describe: async () => JSON.stringify(await savedPrefs()) });

  /** A new start of the app on the same data folder, once the previous process has ended. */
  const startAgain = async (pid) => {
    const gone = () => {
      try {
        process.kill(pid, 0);
        return false;
      } catch {
        return true;
      }
    };
    for (let i = 0; i < 200 && !gone(); i++) await new Promise((r) => setTimeout(r, 100));
    assert.ok(gone(), `the previous CallDeck (${pid}) has ended`);
    session = await newSession(DRIVER, tauriCapabilities(app.launcher));
    app.session = session;
  };

  before(async () => {
    provider = await startProvider();
    app = await launchApp('prefs', async (work) => {
      loginFile = join(work, 'login.txt');
      await writeFile(loginFile, 'alice');
      return signInEnv(provider.issuer, loginFile);
    });
    session = app.session;
  });

  after(async () => {
    try {
      // The session of the last start (launchApp's close() ends only the first one).
      await session?.delete().catch(() => {});
      await app?.close();
    } finally {
      provider?.stop();
    }
  });

  step('the demo user changes volume, speed, sort, columns, a filter, the panel width and the theme', async () => {
    await click($('open-demo'));
    await session.waitForElement($('recording-row'), { message: 'the demo library' });
    assert.equal(await theme(), null, 'System at first: no theme attribute');

    // Volume: four steps down on the slider (0.05 each), by keyboard.
    await (await session.find($('player-volume'))).sendKeys(ARROW_LEFT.repeat(4));
    await session.waitFor(async () => (await value('player-volume')) === '0.8', { message: 'the volume at 0.8', describe: () => value('player-volume') });
    await (await session.find(`${$('player-speed')} option[value="1.5"]`)).click();
    await click($('sort-duration'));
    await session.waitFor(async () => (await ariaSort('sort-duration')) === 'descending', { message: 'sorted by duration' });
    await click(`${$('columns-menu')} summary`);
    await click($('column-category'));
    await session.waitFor(async () => !(await js(`!!document.querySelector('th[data-column="category"]')`)), { message: 'the Category column hidden' });
    await session.screenshot(join(OUT, '60-prefs-columns-menu.png'));
    await click(`${$('columns-menu')} summary`);
    // The Number column two steps (16 px each) wider, from its heading's edge, by keyboard.
    const numberBefore = await numberWidth();
    await (await session.find($('resize-number'))).sendKeys(ARROW_RIGHT.repeat(2));
    await session.waitFor(async () => (await numberWidth()) === numberBefore + 32, { message: `the Number column 32 px wider than ${numberBefore}`, describe: numberWidth });
    await (await session.find(`${$('filter-direction')} option[value="inbound"]`)).click();
    await session.waitFor(async () => (await value('filter-direction')) === 'inbound', { message: 'the inbound filter' });
    await (await session.waitForElement($('row-number'), { message: 'a row' })).click();
    await session.waitForElement($('details-panel'), { message: 'the details panel' });
    const before = await detailsWidth();
    await (await session.find($('details-resizer'))).sendKeys(ARROW_LEFT.repeat(5));
    await session.waitFor(async () => (await detailsWidth()) === before + 80, { message: `the panel 80 px wider than ${before}`, describe: detailsWidth });
    await session.screenshot(join(OUT, '60-prefs-library-wider-panel.png'));

    await click($('nav-settings'));
    await click($('theme-dark'));
    await session.waitFor(async () => (await theme()) === 'dark', { message: 'the dark theme on the root element' });
    await session.screenshot(join(OUT, '61-prefs-settings-dark.png'));

    await waitForSaved(
      (p) =>
        p.volumePercent === 80 && p.speedPercent === 150 && p.sortBy === 'duration' && p.hiddenColumns?.includes('category') &&
        p.filters?.direction === 'inbound' && p.detailsWidth === before + 80 && p.columnWidths?.number > 0 && p.theme === 'dark' && p.view === 'settings',
      'every change saved in the demo user\'s preferences.json',
    );
  });

  step('quit and start again: everything is as it was left', async () => {
    const pid = await app.pid();
    await session.delete();
    await startAgain(pid);
    await session.waitForElement($('appearance-settings'), { message: 'the Settings view, open when the app was quit' });
    assert.equal(await theme(), 'dark');
    assert.equal(await js(`document.querySelector('[data-testid="theme-dark"]').checked`), true, 'Dark is the chosen theme');
    assert.equal(await value('player-speed'), '1.5');
    assert.equal(await value('player-volume'), '0.8');
    assert.equal(await value('filter-direction'), 'inbound');
    await click($('filter-scope-all'));
    await session.waitForElement($('recording-row'), { message: 'the library' });
    assert.equal(await ariaSort('sort-duration'), 'descending', 'sorted by duration, longest first');
    assert.equal(await js(`!!document.querySelector('th[data-column="category"]')`), false, 'the Category column stays hidden');
    assert.equal(await numberWidth(), (await savedPrefs()).columnWidths.number, 'the Number column as wide as it was left');
    await (await session.find($('row-number'))).click();
    await session.waitForElement($('details-panel'), { message: 'the details panel' });
    const saved = await savedPrefs();
    await session.waitFor(async () => (await detailsWidth()) === saved.detailsWidth, { message: `the panel ${saved.detailsWidth} px wide`, describe: detailsWidth });
    await session.screenshot(join(OUT, '62-prefs-restored.png'));
  });

  step('a change right before a kill -9 is there at the next start', async () => {
    await click($('nav-settings'));
    await click($('theme-light'));
    await session.waitFor(async () => (await theme()) === 'light', { message: 'the light theme' });
    await waitForSaved((p) => p.theme === 'light', 'the light theme saved, with the app still running');
    const pid = await app.pid();
    process.kill(pid, 'SIGKILL');
    await session.delete().catch(() => {});
    await startAgain(pid);
    await session.waitForElement($('appearance-settings'), { message: 'Settings after the kill' });
    assert.equal(await theme(), 'light', 'the theme chosen before the kill');
    assert.equal(await value('player-speed'), '1.5', 'and the rest with it');
  });

  step('another user gets their own preferences; the demo user\'s come back after them', async () => {
    await click($('account-button'));
    await click($('sign-out'));
    await session.waitForElement($('sign-in'), { message: 'the sign-in screen' });
    assert.equal(await theme(), 'light', 'before sign-in the window keeps the last chosen theme');
    await click($('sign-in'));
    await waitForDomText($('account-button'), 'Alice', 'alice signed in');
    await session.waitForElement($('library-total'), { message: "alice's library" });
    assert.equal(await theme(), null, 'alice follows the system: her own theme, not the demo user\'s');
    assert.equal(await value('player-speed'), '1');
    assert.equal(await value('player-volume'), '1');
    assert.equal(await value('filter-direction'), '', 'no filter of the demo user');
    assert.equal(await js(`document.querySelector('[data-testid="column-category"]').checked`), true, 'all columns show for alice');
    assert.equal((await savedPrefs()).theme, 'light', "the demo user's file is untouched");

    await click($('account-button'));
    await click($('sign-out'));
    await session.waitForElement($('open-demo'), { message: 'the sign-in screen' });
    await click($('open-demo'));
    await session.waitForElement($('appearance-settings'), { message: "the demo user's last view" });
    assert.equal(await theme(), 'light');
    assert.equal(await value('player-speed'), '1.5');
    assert.equal(await value('filter-direction'), 'inbound');
    await session.screenshot(join(OUT, '63-prefs-demo-again.png'));
  });

  step('a preferences file broken by a crash: defaults, a notice, the broken file kept', async () => {
    const pid = await app.pid();
    await session.delete();
    const users = join(app.dataDir, 'users');
    let folder = null;
    for (const key of await readdir(users)) {
      if ((await readFile(join(users, key, 'account.json'), 'utf8').catch(() => '')).includes('"demo"')) folder = join(users, key);
    }
    assert.ok(folder, "the demo user's folder");
    // What a crash during a plain in-place write leaves behind.
    await writeFile(join(folder, 'preferences.json'), Buffer.alloc(4096));
    await startAgain(pid);
    const notice = await session.waitFor(
      async () => (await js(`[...document.querySelectorAll('[data-testid="toast"]')].map((t) => t.textContent).join(' | ')`)) || null,
      { message: 'a notice about the unreadable preferences' },
    );
    assert.match(notice, /preferences could not be read/);
    await session.waitForElement($('recording-row'), { message: 'the library, the default view' });
    assert.equal(await theme(), null, 'the default theme (System)');
    assert.equal(await value('player-speed'), '1');
    assert.equal(await value('filter-direction'), '');
    const aside = (await readdir(folder)).filter((n) => n.startsWith('preferences.json.corrupt-'));
    assert.equal(aside.length, 1, `the broken file kept aside: ${aside}`);
    assert.deepEqual(await readFile(join(folder, aside[0])), Buffer.alloc(4096), 'kept as it was found');
    await session.screenshot(join(OUT, '64-prefs-broken-file-notice.png'));
  });
});
