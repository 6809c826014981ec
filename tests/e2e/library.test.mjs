// End-to-end: open the demo workspace and browse the library, through the real app.
// Run with tests/e2e/run.sh <absolute path to the app binary>, which provides:
//   CALLDECK_BIN   the app binary        WEBDRIVER_URL  tauri-driver's address
//   E2E_OUT_DIR    where screenshots go  E2E_WORK_DIR   scratch folder (data dirs, logs)

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

import { launchApp, repoPath, stepsOf } from './webdriver.mjs';

const OUT = process.env.E2E_OUT_DIR ?? repoPath('target', 'e2e');

const $ = (id) => `[data-testid="${id}"]`;

// The steps share one app session, in order: after a failure the later ones are skipped
// (each would otherwise wait out its timeout on a screen it never reached).
const step = stepsOf(test);
// The table is virtualised: it renders the rows in view (plus a few), not all 200.
const MIN_RENDERED_ROWS = 10;
const DEMO_TOTAL = '200';

/** "4:12" or "1:02:03" as seconds. */
const seconds = (text) => text.trim().split(':').reduce((total, part) => total * 60 + Number(part), 0);

describe('library (demo workspace)', { timeout: 180_000 }, () => {
  let session;
  let app;
  let rows;
  let exportDir;

  /** The texts of every rendered cell matching `css`, in row order. */
  const cellTexts = (css) =>
    session.execute(`return [...document.querySelectorAll(arguments[0])].map((e) => e.textContent.trim());`, [css]);

  /**
   * Waits until the element matching `css` has DOM text containing `needle`. WebKitWebDriver's
   * visible-text command fails on some content (clipped cells, form controls), so read textContent.
   */
  const waitForDomText = (css, needle, options = {}) => {
    let seen = '(no such element)';
    return session.waitFor(
      async () => {
        const [text] = await cellTexts(css);
        seen = text ?? '(no such element)';
        return text?.includes(needle) ? text : null;
      },
      { message: `${css} to contain ${JSON.stringify(needle)}`, describe: async () => JSON.stringify(seen.slice(0, 300)), ...options },
    );
  };

  /** The library total ("200 recordings") as a number. */
  const total = async () => Number((await (await session.find($('library-total'))).text()).replace(/\D/g, ''));

  /** Waits for a toast that contains `needle`; returns its text. */
  const toast = (needle, message) =>
    session.waitFor(
      async () => {
        const texts = await cellTexts($('toast'));
        return texts.find((t) => t.includes(needle)) ?? null;
      },
      { message: message ?? `a toast saying ${JSON.stringify(needle)}`, describe: async () => JSON.stringify(await cellTexts($('toast'))) },
    );

  before(async () => {
    app = await launchApp('library', async (work) => {
      // Every save/folder dialog of the app answers with this folder (see src-tauri host.rs).
      exportDir = join(work, 'exports');
      await mkdir(exportDir);
      return { CALLDECK_EXPORT_DIR: exportDir };
    });
    session = app.session;
  });

  after(async () => {
    await app?.close();
  });

  step('a fresh start shows the sign-in screen, which opens the demo workspace', async () => {
    const openDemo = await session.waitForElement($('open-demo'), {
      message: 'the sign-in screen\'s "Open demo workspace" button (data-testid=open-demo)',
      describe: async () => `url ${await session.url()}, page ${(await session.source()).slice(0, 300)}`,
    });
    await openDemo.click();
  });

  step('the library shows a virtualised window of the 200 demo recordings', async () => {
    await session.waitForElement($('recordings-table'), { message: 'the recordings table after opening the demo' });
    let seen = 0;
    rows = await session.waitFor(
      async () => {
        const found = await session.findAll($('recording-row'));
        seen = found.length;
        return found.length >= MIN_RENDERED_ROWS ? found : null;
      },
      { message: `at least ${MIN_RENDERED_ROWS} rendered recording rows`, describe: async () => `${seen} rows` },
    );
    assert.ok(rows.length < 200, `a virtualised table renders a window, not all rows (rendered ${rows.length})`);
    const totalText = await waitForDomText($('library-total'), DEMO_TOTAL, {
      message: 'the library total to mention the 200 demo recordings',
    });
    assert.ok(totalText.includes(DEMO_TOTAL), `library-total should mention ${DEMO_TOTAL}, says ${JSON.stringify(totalText)}`);
    await session.screenshot(join(OUT, '01-library.png'));
  });

  step('clicking a row opens its details with the same phone number', async () => {
    assert.ok(rows?.length >= 3, 'the library test must have found the rows first');
    // Found afresh: a virtualised table may have re-rendered its window since.
    const numberCell = (await session.findAll(`${$('recording-row')} ${$('row-number')}`))[2];
    assert.ok(numberCell, 'every recording row has a row-number cell');
    // WebKitWebDriver's visible-text of a clipped (overflow: hidden) table cell is empty: read the DOM's.
    const number = (await cellTexts(`${$('recording-row')} ${$('row-number')}`))[2] ?? '';
    assert.ok(number.length > 0, 'the third row shows a phone number');
    // WebKitWebDriver answers "element not interactable" for a click on a <tr> itself, so
    // click the row's number cell: a real click inside the row, which the row handles.
    await numberCell.click();
    const details = await waitForDomText($('details-panel'), number, {
      message: `the details panel to show the clicked row's number ${number}`,
    });
    assert.ok(details.includes(number), `the details panel should show ${number}, says ${JSON.stringify(details.slice(0, 200))}`);
    await session.screenshot(join(OUT, '02-details.png'));
  });

  step('the app logs first_paint once the library is painted', async () => {
    // The startup benchmark (scripts/bench.sh) times the process until this line.
    const log = await session.waitFor(
      async () => {
        const text = await readFile(app.appLog, 'utf8').catch(() => '');
        return text.includes('first_paint') ? text : null;
      },
      { message: 'a stdout line containing first_paint', timeoutMs: 5_000 },
    );
    assert.match(log, /first_paint/, 'the app prints first_paint to stdout after painting the library');
  });

  step('the Starred filter lists only starred recordings', async () => {
    await (await session.find($('details-panel') + ' [aria-label="Close details"]'))?.click();
    await (await session.waitForElement($('filter-scope-starred'))).click();
    await session.waitFor(
      async () => {
        const n = await total();
        const stars = await session.execute(
          `return [...document.querySelectorAll('[data-testid="recording-row"] [data-testid="star-toggle"]')].map((b) => b.getAttribute('aria-pressed'));`,
        );
        return n > 0 && n < 200 && stars.length > 0 && stars.every((p) => p === 'true');
      },
      { message: 'the Starred view: fewer than 200 recordings, every row starred' },
    );
    await session.screenshot(join(OUT, '03-filter.png'));
    await (await session.find($('filter-scope-all'))).click();
    await waitForDomText($('library-total'), `${DEMO_TOTAL} recordings`, { message: 'All again after the Starred filter' });
  });

  step('searching part of a number finds that call', async () => {
    const [firstNumber] = await cellTexts($('row-number'));
    assert.ok(firstNumber, 'the first row has a number');
    const digits = firstNumber.replace(/\D/g, '');
    const part = digits.slice(-7);
    const search = await session.find($('search-input'));
    await search.click();
    await search.sendKeys(part);
    await session.waitFor(
      async () => {
        const numbers = await cellTexts($('row-number'));
        return (await total()) < 200 && numbers.includes(firstNumber) && numbers.every((n) => n.replace(/\D/g, '').includes(part));
      },
      { message: `search ${part} to list ${firstNumber} and only matching numbers`, describe: async () => JSON.stringify(await cellTexts($('row-number'))) },
    );
    await session.screenshot(join(OUT, '04-search.png'));
    await (await session.find($('clear-filters'))).click();
    await waitForDomText($('library-total'), `${DEMO_TOTAL} recordings`, { message: 'all recordings after clearing the search' });
  });

  step('sorting by duration puts the longest calls first', async () => {
    await (await session.find($('sort-duration'))).click();
    const durations = await session.waitFor(
      async () => {
        const sorted = await session.execute(`return document.querySelector('[data-testid="sort-duration"]').closest('th').getAttribute('aria-sort');`);
        const secs = (await cellTexts($('row-duration'))).map(seconds);
        const descending = secs.length >= MIN_RENDERED_ROWS && secs.every((d, i) => i === 0 || secs[i - 1] >= d);
        return sorted === 'descending' && descending ? secs : null;
      },
      { message: 'rows in descending duration', describe: async () => JSON.stringify(await cellTexts($('row-duration'))) },
    );
    assert.ok(durations[0] >= durations.at(-1));
    await session.screenshot(join(OUT, '05-sort.png'));
    await (await session.find($('sort-date'))).click();
    await session.waitFor(
      async () => (await session.execute(`return document.querySelector('[data-testid="sort-date"]').closest('th').getAttribute('aria-sort');`)) === 'descending',
      { message: 'back to newest first' },
    );
  });

  step('starring a recording from its row', async () => {
    const id = await session.execute(
      `const row = [...document.querySelectorAll('[data-testid="recording-row"]')].find((r) => r.querySelector('[data-testid="star-toggle"]').getAttribute('aria-pressed') === 'false');
       return row ? row.dataset.id : null;`,
    );
    assert.ok(id, 'some rendered row is not starred yet');
    await (await session.find(`[data-id="${id}"] ${$('star-toggle')}`)).click();
    await session.waitFor(
      async () => (await (await session.find(`[data-id="${id}"] ${$('star-toggle')}`)).attribute('aria-pressed')) === 'true',
      { message: `recording ${id} to show as starred` },
    );
    await session.screenshot(join(OUT, '06-star.png'));
  });

  step('bulk-archiving two selected rows', async () => {
    const ids = await session.execute(
      `return [...document.querySelectorAll('[data-testid="recording-row"]:not(.archived)')].slice(0, 2).map((r) => r.dataset.id);`,
    );
    assert.equal(ids.length, 2, 'two rendered rows are not archived');
    for (const id of ids) await (await session.find(`[data-id="${id}"] ${$('row-checkbox')}`)).click();
    await waitForDomText($('bulk-bar'), '2 selected', { message: 'the bulk bar for two rows' });
    await session.screenshot(join(OUT, '07-bulk-selected.png'));
    await (await session.find($('bulk-archive'))).click();
    await toast('Archived 2 recordings');
    await session.waitFor(
      async () => {
        const archived = await session.execute(
          `return arguments[0].map((id) => document.querySelector('[data-id="' + id + '"]')?.classList.contains('archived') ?? false);`,
          [ids],
        );
        return archived.every(Boolean);
      },
      { message: 'both rows to show as archived' },
    );
    await session.screenshot(join(OUT, '07-bulk-archive.png'));
  });

  let exported;
  step('exporting a recording with local audio writes a file to the chosen folder', async () => {
    // Scroll until a row with local audio (the green dot) is rendered.
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
    await waitForDomText($('details-panel'), id, { message: `the details of ${id}` });
    await (await session.waitForElement($('export-button'))).click();
    await toast('Exported');
    const files = await session.waitFor(
      async () => {
        const names = await readdir(exportDir);
        return names.length > 0 ? names : null;
      },
      { message: `a file in ${exportDir}` },
    );
    assert.equal(files.length, 1, `one file exported, found ${files.join(', ')}`);
    assert.ok(files[0].includes(id), `the file name names the recording: ${files[0]}`);
    assert.ok((await stat(join(exportDir, files[0]))).size > 0, 'the exported file has content');
    exported = id;
    await session.screenshot(join(OUT, '08-export.png'));
  });

  step('deleting the recording after confirming', async () => {
    assert.ok(exported, 'the export step opened a recording');
    const before = await total();
    await (await session.find($('delete-button'))).click();
    await (await session.waitForElement($('confirm-button'), { message: 'the delete confirmation' })).click();
    await toast('Recording deleted');
    await session.waitFor(async () => (await total()) === before - 1, { message: `the total to drop to ${before - 1}` });
    assert.equal(await session.find(`[data-id="${exported}"]`), null, 'the deleted row is gone');
    await session.screenshot(join(OUT, '09-delete.png'));
  });

  step('the cleanup dialog previews before it acts', async () => {
    await (await session.find($('open-cleanup'))).click();
    const text = await waitForDomText($('cleanup-preview'), 'would be cleaned up', { message: 'the cleanup preview' });
    assert.match(text, /\d+ recordings would be cleaned up/);
    await session.screenshot(join(OUT, '10-cleanup.png'));
    await (await session.find(`${$('cleanup-dialog')} button:not([data-testid])`)).click();
    await session.waitFor(async () => (await session.find($('cleanup-dialog'))) === null, { message: 'the dialog to close' });
  });

  step('stats and audit views', async () => {
    await (await session.find($('nav-stats'))).click();
    await waitForDomText($('stats-total'), '199', { message: 'stats after one delete' });
    await session.screenshot(join(OUT, '11-stats.png'));
    await (await session.find($('nav-audit'))).click();
    await session.waitForElement($('audit-row'), { message: 'audit entries' });
    const ops = (await cellTexts(`${$('audit-row')} td:nth-child(2)`)).join(' | ');
    assert.match(ops, /delete/i, `the audit log lists the delete: ${ops}`);
    await session.screenshot(join(OUT, '12-audit.png'));
  });
});
