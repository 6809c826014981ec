// End-to-end: open the demo workspace and browse the library, through the real app.
// Run with tests/e2e/run.sh <absolute path to the app binary>, which provides:
//   CALLDECK_BIN   the app binary        WEBDRIVER_URL  tauri-driver's address
//   E2E_OUT_DIR    where screenshots go  E2E_WORK_DIR   scratch folder (data dirs, logs)

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { tmpdir } from 'node:os';

import { newSession, repoPath, tauriCapabilities, waitForDriver, writeLauncher } from './webdriver.mjs';

const BIN = process.env.CALLDECK_BIN;
const DRIVER = process.env.WEBDRIVER_URL ?? 'http://127.0.0.1:4444';
const OUT = process.env.E2E_OUT_DIR ?? repoPath('target', 'e2e');

const $ = (id) => `[data-testid="${id}"]`;

// The steps share one app session, in order: after a failure the later ones are skipped
// (each would otherwise wait out its timeout on a screen it never reached).
let broken = null;
function step(name, fn) {
  test(name, async (t) => {
    if (broken) return t.skip(`an earlier step failed: ${broken}`);
    try {
      await fn(t);
    } catch (error) {
      broken = name;
      throw error;
    }
  });
}
const ROWS_PER_PAGE = 50;
const DEMO_TOTAL = '200';

describe('library (demo workspace)', { timeout: 180_000 }, () => {
  let session;
  let appLog;
  let rows;

  before(async () => {
    assert.ok(BIN && isAbsolute(BIN), `CALLDECK_BIN must be the absolute path of the app binary (got ${JSON.stringify(BIN)}); use tests/e2e/run.sh`);
    const work = await mkdtemp(join(process.env.E2E_WORK_DIR ?? tmpdir(), 'library-'));
    const dataDir = join(work, 'data');
    await mkdir(dataDir);
    appLog = join(work, 'app.log');
    // A fresh data folder for this session only, and the app's stdout kept in a log.
    const launcher = await writeLauncher(join(work, 'calldeck.sh'), BIN, { CALLDECK_DATA_DIR: dataDir }, appLog);
    await waitForDriver(DRIVER);
    session = await newSession(DRIVER, tauriCapabilities(launcher));
  });

  after(async () => {
    try {
      await session?.delete();
    } finally {
      if (appLog) {
        await mkdir(OUT, { recursive: true });
        await copyFile(appLog, join(OUT, 'library-app.log')).catch(() => {});
      }
    }
  });

  step('a fresh start shows the sign-in screen, which opens the demo workspace', async () => {
    const openDemo = await session.waitForElement($('open-demo'), {
      message: 'the sign-in screen\'s "Open demo workspace" button (data-testid=open-demo)',
      describe: async () => `url ${await session.url()}, page ${(await session.source()).slice(0, 300)}`,
    });
    await openDemo.click();
  });

  step('the library lists the first 50 of the 200 demo recordings', async () => {
    await session.waitForElement($('recordings-table'), { message: 'the recordings table after opening the demo' });
    rows = await session.waitForCount($('recording-row'), ROWS_PER_PAGE, {
      message: `${ROWS_PER_PAGE} recording rows (one page) in the library`,
    });
    assert.equal(rows.length, ROWS_PER_PAGE, 'one page of the library shows 50 rows');
    const total = await session.waitForText($('library-total'), DEMO_TOTAL, {
      message: 'the library total to mention the 200 demo recordings',
    });
    assert.ok(total.includes(DEMO_TOTAL), `library-total should mention ${DEMO_TOTAL} recordings, says ${JSON.stringify(total)}`);
    await session.screenshot(join(OUT, '01-library.png'));
  });

  step('clicking a row opens its details with the same phone number', async () => {
    assert.ok(rows?.length >= 3, 'the library test must have found the rows first');
    const third = rows[2];
    const numberCell = await third.find($('row-number'));
    assert.ok(numberCell, 'every recording row has a row-number cell');
    const number = (await numberCell.text()).trim();
    assert.ok(number.length > 0, 'the third row shows a phone number');
    // WebKitWebDriver answers "element not interactable" for a click on a <tr> itself, so
    // click the row's number cell: a real click inside the row, which the row handles.
    await numberCell.click();
    const details = await session.waitForText($('details-panel'), number, {
      message: `the details panel to show the clicked row's number ${number}`,
    });
    assert.ok(details.includes(number), `the details panel should show ${number}, says ${JSON.stringify(details.slice(0, 200))}`);
    await session.screenshot(join(OUT, '02-details.png'));
  });

  step('the app logs first_paint once the library is painted', async () => {
    // The startup benchmark (scripts/bench.sh) times the process until this line.
    const log = await session.waitFor(
      async () => {
        const text = await readFile(appLog, 'utf8').catch(() => '');
        return text.includes('first_paint') ? text : null;
      },
      { message: 'a stdout line containing first_paint', timeoutMs: 5_000 },
    );
    assert.match(log, /first_paint/, 'the app prints first_paint to stdout after painting the library');
  });
});
