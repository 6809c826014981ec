// End-to-end: the native player in the real window. Open the demo, play a recording with
// local audio from its details, pause, seek on the waveform, change speed.
// Run with tests/e2e/run.sh, like library.test.mjs. Xvfb has no sound card: the player
// then plays silently on its own clock, and says that no output device was found.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { join } from 'node:path';

import { setTimeout as sleep } from 'node:timers/promises';

import { launchApp, repoPath, stepsOf } from './webdriver.mjs';

const OUT = process.env.E2E_OUT_DIR ?? repoPath('target', 'e2e');

const $ = (id) => `[data-testid="${id}"]`;
const NO_DEVICE = 'No audio output device found; playback runs silently';

const step = stepsOf(test);

/** "1:02" or "1:02:03" as seconds. */
const seconds = (text) => text.trim().split(':').reduce((total, part) => total * 60 + Number(part), 0);

describe('player (demo workspace)', { timeout: 180_000 }, () => {
  let session;
  let app;
  let id;

  /** The DOM text of the first element matching `css` ('' when there is none). */
  const domText = async (css) =>
    (await session.execute(`return document.querySelector(arguments[0])?.textContent.trim() ?? '';`, [css])) ?? '';

  /** The player's time as {at, total} in seconds. */
  const playerTime = async () => {
    const [at = '0:00', total = '0:00'] = (await domText($('player-time'))).split('/');
    return { at: seconds(at), total: seconds(total) };
  };

  const status = () => session.execute(`return document.querySelector('[data-testid="player-bar"]')?.dataset.status ?? null;`);

  before(async () => {
    app = await launchApp('player');
    session = app.session;
  });

  after(async () => {
    await app?.close();
  });

  step('opens the demo workspace', async () => {
    await (await session.waitForElement($('open-demo'), { message: 'the "Open demo workspace" button' })).click();
    await session.waitForElement($('recording-row'), { message: 'recording rows after opening the demo' });
    await session.waitForElement($('player-bar'), {
      message: 'the player bar along the bottom of the window',
      describe: async () => session.execute(`return document.querySelector('.app')?.lastElementChild?.outerHTML.slice(0, 300) ?? document.body.innerHTML.slice(0, 300);`),
    });
  });

  step('plays a recording with local audio from its details', async () => {
    // Scroll until a row with local audio (the green dot) is rendered.
    id = await session.waitFor(
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
    await session.waitFor(async () => (await domText($('details-panel'))).includes(id), { message: `the details of ${id}` });
    const number = await domText(`${$('details-panel')} h2`);
    await (await session.waitForElement($('details-play'), { message: 'the details Play button' })).click();
    await session.waitFor(
      async () => (await session.execute(`return document.querySelector('[data-testid="player-now"]')?.dataset.recording;`)) === id,
      { message: `the player bar to hold ${id}` },
    );
    await session.waitFor(async () => (await domText($('player-now'))).includes(number), {
      message: `the player bar to show the number ${number}`,
      describe: async () => JSON.stringify(await domText($('player-now'))),
    });
    const first = await playerTime();
    assert.ok(first.total > 0, `the player knows the duration: ${JSON.stringify(first)}`);
    await session.waitFor(async () => (await playerTime()).at >= first.at + 2, {
      message: 'the elapsed time to advance by 2 s while playing',
      timeoutMs: 10_000,
      describe: async () => `${await domText($('player-time'))}, status ${await status()}`,
    });
    const error = await session.waitFor(async () => (await domText($('player-error'))) || null, {
      message: 'the no-device line (Xvfb has no sound card)',
    });
    assert.equal(error, NO_DEVICE, 'the player says that it plays silently, without an output device');
    assert.equal(await status(), 'playing');
    await session.screenshot(join(OUT, '20-player-playing.png'));
  });

  step('pause stops the time', async () => {
    await (await session.find($('player-play'))).click();
    await session.waitFor(async () => (await status()) === 'paused', { message: 'the player to pause' });
    const paused = await playerTime();
    await sleep(1_500);
    assert.deepEqual(await playerTime(), paused, 'the time must not move while paused');
  });

  step('a click in the middle of the waveform seeks to about half-way', async () => {
    // WebDriver clicks an element at its centre.
    await (await session.find($('player-waveform'))).click();
    const half = (await playerTime()).total / 2;
    const landed = await session.waitFor(
      async () => {
        const { at } = await playerTime();
        return Math.abs(at - half) <= Math.max(2, half * 0.05) ? at : null;
      },
      { message: `the time to jump to about ${half} s`, describe: async () => domText($('player-time')) },
    );
    assert.ok(Math.abs(landed - half) <= Math.max(2, half * 0.05));
    assert.equal(await status(), 'paused', 'seeking while paused stays paused');
  });

  step('changing speed to 1.5× plays faster and says pitch follows', async () => {
    await (await session.find(`${$('player-speed')} option[value="1.5"]`)).click();
    await session.waitFor(
      async () => (await session.execute(`return document.querySelector('[data-testid="player-speed"]').value;`)) === '1.5',
      { message: 'the speed select to read 1.5' },
    );
    await session.waitFor(async () => (await domText($('player-pitch'))).includes('Pitch changes with speed'), {
      message: 'the pitch note',
    });
    await (await session.find($('player-play'))).click();
    await session.waitFor(async () => (await status()) === 'playing', { message: 'playing again' });
    const from = await playerTime();
    await sleep(2_000);
    const to = await playerTime();
    // 2 s at 1.5× is 3 s of recording; whole seconds shown, so allow one either way.
    assert.ok(to.at - from.at >= 2 && to.at - from.at <= 4, `1.5× for 2 s moved ${from.at} -> ${to.at}`);
    await session.screenshot(join(OUT, '20-player.png'));
  });
});
