// What the soak (scripts/bench/soak.mjs) does in the window, one action at a time, as a person
// would over WebDriver: scroll the library, search, play with seeks, switch user, sync, and
// open and close every view. Each action waits for the window to show its result, so the next
// one starts from a settled page; none asserts a figure.

import { setTimeout as sleep } from 'node:timers/promises';

const $ = (id) => `[data-testid="${id}"]`;
const ESCAPE = '\uE00C';

/** How long one step of an action may wait for the window (a first list page of 100k rows included). */
const WAIT_MS = 60_000;

/** Searches a person might type: numbers in several notations, names and words (all data). */
function searchTerm(i) {
  const digit = () => String(Math.floor(Math.random() * 10));
  const terms = [
    () => `555${digit()}${digit()}`,
    () => `+1 415 555 ${digit()}${digit()}`,
    () => `(415) 55${digit()}`,
    () => `14155551${digit()}${digit()}${digit()}`,
    () => ['maria', 'alice', 'Bob Example', 'smith'][i % 4],
    () => ['refund', 'invoice please', 'call back tomorrow', 'cancel my order'][i % 4],
    () => `"quoted" OR ${digit()}*`,
  ];
  return terms[i % terms.length]();
}

export class Driver {
  /**
   * `session`: a WebDriver session on the signed-in window; `users`: display names to switch
   * between (as the account menu shows them); `syncExpect(user)`: lists new recordings at the
   * Twilio fake and says how many `user`'s next sync will find new.
   */
  constructor(session, { users, syncExpect, log }) {
    this.session = session;
    this.users = users;
    this.current = 0;
    this.syncExpect = syncExpect;
    this.log = log;
    this.rowsScrolled = 0;
    /** How deep this user's scrolling got (their rows stay loaded until the next switch). */
    this.depth = 0;
    this.searches = 0;
  }

  wait(probe, message, timeoutMs = WAIT_MS) {
    return this.session.waitFor(probe, { message, timeoutMs, intervalMs: 100 });
  }

  /** Runs `script` in the page (`arguments` holds `args`). */
  js(script, ...args) {
    return this.session.execute(script, args);
  }

  domText(css) {
    return this.js('const e = document.querySelector(arguments[0]); return e ? e.textContent : null;', css);
  }

  async click(css) {
    const element = await this.session.waitForElement(css, { message: css, timeoutMs: WAIT_MS });
    await element.click();
  }

  /** The list has its first slice and nothing is being fetched. */
  listSettled() {
    return this.wait(
      () => this.js(`const l = document.querySelector('section.list');
        const t = document.querySelector('[data-testid="library-total"]');
        return Boolean(l && l.getAttribute('aria-busy') === 'false' && t && t.textContent !== '…');`),
      'the library list to settle',
    );
  }

  /** The library view, all recordings, nothing searched, no details open. */
  async toLibrary() {
    if (await this.session.find($('details-panel'))) await this.closeDetails();
    await this.js(`const b = document.querySelector('[data-testid="filter-scope-all"]');
      if (!b.classList.contains('active')) b.click();`);
    await this.listSettled();
  }

  async closeDetails() {
    // Escape closes the panel (not while typing): sent to the page, as a key would be.
    await this.js(`document.activeElement?.blur?.();
      document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));`);
    await this.wait(async () => !(await this.session.find($('details-panel'))), 'the details panel to close');
  }

  /**
   * Scrolls the table on by about `rows` rows from where this user's scrolling last got to
   * (a search or a view in between puts the table back at the top, the rows staying loaded:
   * one jump brings it back), 30 rows a frame as a fling does, the table loading slices as
   * it nears their end; after the last row, back to the top.
   */
  async scroll(rows) {
    await this.toLibrary();
    const [from, to] = await this.session.executeAsync(
      `const [depth, rows, timeoutMs, done] = arguments;
       const scroller = document.querySelector('.table-scroll');
       const table = document.querySelector('[data-testid="recordings-table"]');
       const total = Number(document.querySelector('[data-testid="library-total"]').textContent.replace(/[^0-9]/g, ''));
       const rowHeight = document.querySelector('[data-testid="recording-row"]')?.offsetHeight || 35;
       const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
       const until = Date.now() + timeoutMs;
       const at = () => Math.round(scroller.scrollTop / rowHeight);
       (async () => {
         let target = depth + rows;
         // Back to where this user's scrolling got to, in one jump (those rows are loaded).
         if (at() < depth) {
           scroller.scrollTop = depth * rowHeight;
           await frame();
         }
         let from = at();
         while (at() < target && Date.now() < until) {
           const before = scroller.scrollTop;
           scroller.scrollTop = Math.min(before + 30 * rowHeight, target * rowHeight);
           await frame();
           await frame();
           if (scroller.scrollTop > before) continue;
           // At the end of what is loaded: the next slice comes, or after the last row the
           // table starts over at the top.
           const loaded = Number(table.getAttribute('aria-rowcount'));
           if (loaded >= total) {
             scroller.scrollTop = 0;
             await frame();
             [from, target] = [0, rows];
             continue;
           }
           const waitUntil = Date.now() + 10000;
           while (Number(table.getAttribute('aria-rowcount')) === loaded && Date.now() < waitUntil) await frame();
         }
         done([from, at()]);
       })();`,
      [this.depth, rows, WAIT_MS],
    );
    this.rowsScrolled += Math.max(0, to - from);
    this.depth = to;
    return to;
  }

  /** Types a search, waits for its rows, then Escape clears it and the whole list is back. */
  async search() {
    const term = searchTerm(this.searches++);
    const input = await this.session.waitForElement($('search-input'), { message: 'the search box', timeoutMs: WAIT_MS });
    await input.sendKeys(term);
    // The search is sent once typing pauses (250 ms).
    await sleep(350);
    await this.listSettled();
    await input.sendKeys(ESCAPE);
    await sleep(350);
    await this.listSettled();
  }

  /** Opens a rendered row's details, plays it, seeks on the waveform and by keys, closes. */
  async play() {
    await this.toLibrary();
    const id = await this.js(`const rows = [...document.querySelectorAll('[data-testid="recording-row"]')];
      const scroller = document.querySelector('.table-scroll').getBoundingClientRect();
      const seen = rows.filter((r) => { const b = r.getBoundingClientRect(); return b.top >= scroller.top + 40 && b.bottom <= scroller.bottom; });
      const row = seen[Math.floor(Math.random() * seen.length)];
      return row ? row.dataset.id : null;`);
    if (!id) throw new Error('no row in view to play');
    await this.click(`[data-id="${id}"] ${$('row-number')}`);
    await this.wait(async () => (await this.domText($('details-panel')))?.includes(id), `the details of ${id}`);
    await this.click($('details-play'));
    await this.wait(
      () => this.js(`const b = document.querySelector('[data-testid="player-bar"]');
        const now = document.querySelector('[data-testid="player-now"]');
        return now?.dataset.recording === arguments[0] && b?.dataset.status === 'playing';`, id),
      `${id} to play`,
    );
    // A click in the waveform seeks there; then ←/→ nudge by 5 s.
    await (await this.session.waitForElement($('player-waveform'), { message: 'the waveform' })).click();
    for (const key of ['ArrowRight', 'ArrowLeft']) {
      await this.js(`document.activeElement?.blur?.();
        document.dispatchEvent(new KeyboardEvent('keydown', { key: arguments[0], bubbles: true }));`, key);
    }
    await this.session.nextFrames(2);
    await this.closeDetails();
  }

  /** Switches to the next user through the account menu (their session is kept: no browser). */
  async switchUser() {
    const next = (this.current + 1) % this.users.length;
    const name = this.users[next];
    if (!(await this.session.find($('account-menu')))) await this.click($('account-button'));
    await this.wait(
      () => this.js(`const item = [...document.querySelectorAll('[data-testid="switch-account"]')]
          .find((e) => e.textContent.includes(arguments[0]));
        if (!item) return false;
        item.click();
        return true;`, name),
      `${name} in the account menu`,
    );
    await this.wait(async () => (await this.domText($('account-button')))?.includes(name), `switched to ${name}`);
    this.current = next;
    // Another account starts with an empty cache and the table at the top.
    this.depth = 0;
    await this.toLibrary();
  }

  /** Syncs the signed-in user against the fake, which has just listed a few new recordings. */
  async sync() {
    const expected = this.syncExpect(this.users[this.current]);
    await this.click($('sync-button'));
    await this.wait(
      async () => (await this.domText($('sync-result')))?.includes(`${expected} new`),
      `the sync to report ${expected} new`,
      5 * 60_000,
    );
    await this.toLibrary();
  }

  /** Opens and closes every view: the scopes, Stats, Audit, Settings, Clean up, Columns, the account menu. */
  async views() {
    for (const scope of ['starred', 'archived', 'held', 'all']) {
      await this.click($(`filter-scope-${scope}`));
      await this.listSettled();
    }
    await this.click($('nav-stats'));
    await this.session.waitForElement($('stats-view'), { message: 'the stats', timeoutMs: WAIT_MS });
    await this.click($('nav-audit'));
    await this.session.waitForElement($('audit-row'), { message: 'the audit rows', timeoutMs: WAIT_MS });
    await this.click($('nav-settings'));
    await this.session.waitForElement($('about-version'), { message: 'the settings', timeoutMs: WAIT_MS });
    await this.click($('open-cleanup'));
    await this.session.waitForElement('[aria-modal="true"]', { message: 'the clean-up dialog', timeoutMs: WAIT_MS });
    await this.js(`const d = document.querySelector('[aria-modal="true"]');
      [...d.querySelectorAll('button')].find((b) => /^(Cancel|Close)$/.test(b.textContent.trim())).click();`);
    await this.wait(async () => !(await this.session.find('[aria-modal="true"]')), 'the clean-up dialog to close');
    await this.click($('filter-scope-all'));
    await this.listSettled();
    for (let i = 0; i < 2; i++) await this.click(`${$('columns-menu')} summary`);
    await this.click($('account-button'));
    await this.session.waitForElement($('account-menu'), { message: 'the account menu', timeoutMs: WAIT_MS });
    await this.click($('account-button'));
    await this.wait(async () => !(await this.session.find($('account-menu'))), 'the account menu to close');
  }

  /** After a failed action: no dialog, menu or panel left open, the library shown. */
  async recover() {
    await this.js(`for (let i = 0; i < 3; i++) document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
      const d = document.querySelector('[aria-modal="true"]');
      [...(d?.querySelectorAll('button') ?? [])].find((b) => /^(Cancel|Close)$/.test(b.textContent.trim()))?.click();`);
    await this.toLibrary();
  }
}
