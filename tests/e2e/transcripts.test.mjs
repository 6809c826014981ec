// End-to-end: transcribe a spoken demo call with the local engine (pocketsphinx), find it
// by a word from its transcript, click a transcript line and see the player jump there.
// Run with tests/e2e/run.sh.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { join } from 'node:path';

import { launchApp, pageText, repoPath, stepsOf } from './webdriver.mjs';

const OUT = process.env.E2E_OUT_DIR ?? repoPath('target', 'e2e');

const $ = (id) => `[data-testid="${id}"]`;
const step = stepsOf(test);
const seconds = (mmss) => {
  const [m, s] = mmss.trim().split(':').map(Number);
  return m * 60 + s;
};

describe('transcripts (local engine) and word search', { timeout: 180_000 }, () => {
  let session;
  let app;
  let id;
  let word;
  const { domText, waitForDomText, type, click } = pageText(() => session);

  before(async () => {
    app = await launchApp('transcripts');
    session = app.session;
  });

  after(async () => {
    await app?.close();
  });

  step('a spoken demo call is transcribed locally', async () => {
    await click($('open-demo'), 'the sign-in screen');
    await waitForDomText($('library-total'), '200', 'the demo library');
    // The newest call with audio is a spoken one.
    id = await session.waitFor(
      () =>
        session.execute(
          `const row = [...document.querySelectorAll('[data-testid="recording-row"]')].find((r) => r.querySelector('.offline-dot:not(.none)'));
           if (row) return row.dataset.id;
           document.querySelector('.table-scroll').scrollBy(0, 500);
           return null;`,
        ),
      { message: 'a rendered row with local audio' },
    );
    await click(`[data-id="${id}"] ${$('row-number')}`);
    await click($('transcribe-button'), 'the Transcribe button');
    await session.waitFor(async () => (await session.findAll($('transcript-line'))).length >= 2, {
      message: 'the transcript lines',
      timeoutMs: 120_000,
    });
    await session.screenshot(join(OUT, '50-transcript.png'));
  });

  step('a word from the transcript finds the call, with the word highlighted', async () => {
    word = await session.execute(
      `const words = [...document.querySelectorAll('[data-testid="transcript-line"]')]
         .flatMap((l) => (l.querySelector('.tline-text') ?? l).textContent.toLowerCase().match(/[a-z]{5,}/g) ?? []);
       return words.find((w) => !['agent', 'customer', 'speaker'].includes(w)) ?? null;`,
      [],
    );
    assert.ok(word, 'the transcript has a word of five letters or more');
    await type($('search-input'), word);
    await session.waitFor(
      async () => (await session.findAll($('recording-row'))).length >= 1 && !(await domText($('library-total')))?.includes('200'),
      { message: `the search for ${JSON.stringify(word)}` },
    );
    const mark = await waitForDomText(`[data-id="${id}"] ${$('transcript-match')} mark`, word, 'the highlighted word in the row');
    assert.equal(mark.toLowerCase(), word);
    await session.screenshot(join(OUT, '51-word-search.png'));
  });

  step('clicking a transcript line moves the player there', async () => {
    const lines = await session.findAll($('transcript-line'));
    const last = lines[lines.length - 1];
    const startMs = Number(await last.attribute('data-start-ms'));
    assert.ok(startMs > 2000, `the last line starts into the call (${startMs} ms)`);
    await last.click();
    const at = await session.waitFor(
      async () => {
        const [now = '0:00'] = ((await domText($('player-time'))) ?? '').split('/');
        const s = seconds(now);
        return s >= Math.floor(startMs / 1000) ? s : null;
      },
      { message: `the player at the line (${startMs} ms)` },
    );
    assert.ok(at <= startMs / 1000 + 3, `the player jumped to the line, not past it (${at} s)`);
    await waitForDomText(`${$('transcript-line')}[aria-current="true"]`, '', 'the current line highlighted');
    await session.screenshot(join(OUT, '52-transcript-seek.png'));
  });
});
