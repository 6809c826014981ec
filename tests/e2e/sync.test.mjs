// End-to-end: connect Twilio (a loopback fake) in Settings and press "Sync from Twilio".
// Run with tests/e2e/run.sh, like library.test.mjs.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { ACCOUNT_SID, AUTH_TOKEN, makeRecordings, startTwilioFake } from './twilio-fake.mjs';
import { launchApp, pageText, repoPath, stepsOf } from './webdriver.mjs';

const OUT = process.env.E2E_OUT_DIR ?? repoPath('target', 'e2e');
const NEW_RECORDINGS = 12;

const $ = (id) => `[data-testid="${id}"]`;

const step = stepsOf(test);

describe('sync from Twilio (loopback fake)', { timeout: 120_000 }, () => {
  let session;
  let fake;
  let app;
  const recordings = makeRecordings(NEW_RECORDINGS);

  const { domText, waitForDomText, type, click } = pageText(() => session);

  before(async () => {
    fake = await startTwilioFake(recordings);
    app = await launchApp('sync', { CALLDECK_TWILIO_BASE_URL: fake.baseUrl });
    session = app.session;
  });

  after(async () => {
    try {
      await app?.close();
    } finally {
      await fake?.close();
    }
  });

  step('open the demo workspace and go to Settings', async () => {
    await (await session.waitForElement($('open-demo'), { message: 'the sign-in screen' })).click();
    await waitForDomText($('library-total'), '200', 'the demo library');
    await (await session.waitForElement($('nav-settings'), { message: 'the Settings link' })).click();
    await session.waitForElement($('twilio-settings'), { message: 'the Twilio settings page' });
  });

  step('wrong credentials are refused with a clear message', async () => {
    await type($('twilio-account-sid'), ACCOUNT_SID);
    await type($('twilio-secret'), 'definitely-wrong');
    await (await session.find($('twilio-connect'))).click();
    const message = await waitForDomText('[data-testid="twilio-settings"] [role="alert"]', 'did not accept', 'the refusal');
    assert.ok(!message.includes('definitely-wrong'), 'the error never repeats the secret');
  });

  step('right credentials connect, and the secret is not shown again', async () => {
    await type($('twilio-secret'), AUTH_TOKEN);
    await (await session.find($('twilio-connect'))).click();
    const text = await waitForDomText($('twilio-settings'), 'Connected', 'the connected state');
    assert.ok(text.includes(ACCOUNT_SID), 'the account SID is shown');
    const page = await session.source();
    assert.ok(!page.includes(AUTH_TOKEN), 'the auth token is nowhere on the page after saving');
    await session.screenshot(join(OUT, '30-twilio-connected.png'));
  });

  step('Sync from Twilio brings the new recordings into the library', async () => {
    await (await session.find($('sync-button'))).click();
    const result = await waitForDomText($('sync-result'), `${NEW_RECORDINGS} new`, 'the sync result summary');
    assert.match(result, /Synced 12/, `the summary counts what was synced: ${result}`);
    await (await session.find($("filter-scope-all"))).click();
    await waitForDomText($('library-total'), String(200 + NEW_RECORDINGS), 'the library total after the sync');
    await session.screenshot(join(OUT, '31-synced.png'));
  });

  step('a second sync finds nothing new', async () => {
    await (await session.find($('sync-button'))).click();
    await waitForDomText($('sync-result'), '0 new', 'the rerun summary');
    const total = await domText($('library-total'));
    assert.ok(total.includes(String(200 + NEW_RECORDINGS)), `a rerun adds nothing: ${total}`);
  });

  step('a recording that is not downloaded plays streamed from Twilio, then is offline', async () => {
    const { sid } = recordings[0];
    const cell = await session.waitForElement(`[data-id="${sid}"] ${$('row-number')}`, { message: `the synced row ${sid}` });
    await cell.click();
    await waitForDomText($('details-panel'), 'Not downloaded', 'the details of a recording that is not on this computer');
    await (await session.waitForElement($('details-play'), { message: 'the details Play button' })).click();
    const playing = await session.waitFor(
      async () => {
        const time = (await domText($('player-time'))) ?? '';
        const at = time.split('/')[0]?.trim() ?? '';
        return at && at !== '0:00' ? time : null;
      },
      { message: 'the streamed recording to play (time advancing)', describe: async () => JSON.stringify(await domText($('player-time'))) },
    );
    assert.match(playing, /\d:\d\d/, `the player shows the time: ${playing}`);
    await waitForDomText($('details-panel'), 'Available offline', 'the streamed audio to be kept for offline listening');
    await session.screenshot(join(OUT, '32-streamed.png'));
  });

  step('downloading "All" goes through the queue beside the sync button, with Pause and Resume', async () => {
    fake.setMediaDelay(1_500);
    await (await session.find($('nav-settings'))).click();
    await (await session.waitForElement('#download-policy option[value="all"]', { message: 'the All policy' })).click();
    // Saving the policy queues what it wants at once; the app works the queue by itself.
    await waitForDomText($('download-queue-progress'), 'Downloading', 'the queue at work');
    await session.screenshot(join(OUT, '33-download-queue.png'));
    await click(`${$('download-queue')} button`, 'Pause');
    await waitForDomText($('download-queue-progress'), 'Downloads paused', 'the paused queue');
    await click(`${$('download-queue')} button`, 'Resume');
    fake.setMediaDelay(0);
    await session.waitFor(
      async () => ((await domText($('download-queue-progress'))) === null ? true : null),
      { message: 'the queue to be worked through', timeoutMs: 60_000, describe: async () => JSON.stringify(await domText($('download-queue'))) },
    );
    await (await session.find($('filter-scope-all'))).click();
    const { sid } = recordings[1];
    await (await session.waitForElement(`[data-id="${sid}"] ${$('row-number')}`, { message: `the row ${sid}` })).click();
    await waitForDomText($('details-panel'), 'Available offline', 'a queued recording downloaded');
  });

  step('Settings → About shows the version and diagnostics with no secret in them', async () => {
    await (await session.find($('nav-settings'))).click();
    await waitForDomText($('about-version'), 'CallDeck ', 'the About section');
    const folder = await domText($('about-log-folder'));
    assert.ok(folder.endsWith('/logs'), `the log folder is shown: ${folder}`);
    const report = await domText($('about-report'));
    assert.match(report, /SQLite 3\./, `the report names SQLite: ${report}`);
    assert.match(report, /WebKitGTK \d/, `the report names WebKitGTK: ${report}`);
    for (const secret of [AUTH_TOKEN, 'definitely-wrong', ...recordings.map((r) => r.number)]) {
      assert.ok(!report.includes(secret), `the report holds ${secret}`);
    }
    await session.execute('document.querySelector(arguments[0]).scrollIntoView()', [$('about-settings')]);
    await session.screenshot(join(OUT, '34-about.png'));
  });

  step('the log file holds the run, and no secret, token or full phone number', async () => {
    const dir = join(app.dataDir, 'logs');
    const names = await readdir(dir);
    assert.ok(names.includes('calldeck.log'), `the log file exists in ${dir}: ${names}`);
    const text = (await Promise.all(names.map((n) => readFile(join(dir, n), 'utf8')))).join('\n');
    assert.match(text, /CallDeck started/, 'the start is logged');
    assert.match(text, /synced|sync/i, 'the sync is logged');
    const numbers = [...recordings.map((r) => r.number), '+14155550000'];
    for (const secret of [AUTH_TOKEN, 'definitely-wrong', ...numbers, ...numbers.map((n) => n.slice(2))]) {
      assert.ok(!text.includes(secret), `the log holds ${secret}`);
    }
  });
});
