// End-to-end: the player belongs to the signed-in user. The demo user plays a call, then
// adds an account; while that sign-in waits in the browser (a scripted browser held back
// by a gate file, like a person taking their time) the demo user starts a call again. Then
// bob signs in: his window must never be sent a player state naming the demo's call, and
// his pause and seek must not reach it. Run with tests/e2e/run.sh.
//
// With today's UI the sign-in dialog covers the window while it waits, so the call started
// meanwhile is started with the Play button's own command (play_recording) from the page.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { freePorts, startProvider } from './oidc.mjs';
import { launchApp, pageText, repoPath, stepsOf } from './webdriver.mjs';

const OUT = process.env.E2E_OUT_DIR ?? repoPath('target', 'e2e');

const $ = (id) => `[data-testid="${id}"]`;
const step = stepsOf(test);

describe('the player belongs to the signed-in user', { timeout: 180_000 }, () => {
  let session;
  let provider;
  let app;
  let gate;
  let id;
  const { waitForDomText, click } = pageText(() => session);

  /** Runs a command as the window does; resolves with {ok} or {err: {code, message}}. */
  const command = (name, args = {}) =>
    session.executeAsync(
      `const done = arguments[arguments.length - 1];
       window.__TAURI_INTERNALS__.invoke(arguments[0], arguments[1])
         .then((ok) => done({ ok }), (err) => done({ err }));`,
      [name, args],
    );

  /** Every playerStateChanged the window was sent, with who it showed as signed in then. */
  const events = () => session.execute('return window.__playerEvents;', []);

  before(async () => {
    provider = await startProvider();
    app = await launchApp('player-owner', async (work) => {
      gate = join(work, 'browser-gate');
      const loginFile = join(work, 'login.txt');
      await writeFile(loginFile, 'bob');
      const browser = join(work, 'gated-browser.sh');
      // Signs in only once the gate file exists (or gives up after two minutes).
      await writeFile(
        browser,
        `#!/bin/sh
i=0
while [ ! -e '${gate}' ] && [ $i -lt 1200 ]; do sleep 0.1; i=$((i + 1)); done
exec '${process.execPath}' '${repoPath('tests', 'oidc', 'browser.mjs')}' "$@"
`,
      );
      return {
        CALLDECK_AUTH0_DOMAIN: provider.issuer,
        CALLDECK_AUTH0_CLIENT_ID: 'calldeck-test',
        CALLDECK_AUTH0_PORTS: (await freePorts(3)).join(','),
        CALLDECK_BROWSER: `/bin/sh ${browser}`,
        OIDC_BROWSER_LOGIN_FILE: loginFile,
      };
    });
    session = app.session;
  });

  after(async () => {
    try {
      await app?.close();
    } finally {
      provider?.stop();
    }
  });

  step('the demo user plays a call, and the window records every player event', async () => {
    await click($('open-demo'), 'the "Open demo workspace" button');
    await session.waitForElement($('recording-row'), { message: 'the demo library' });
    const listening = await session.executeAsync(
      `const done = arguments[arguments.length - 1];
       window.__playerEvents = [];
       const internals = window.__TAURI_INTERNALS__;
       const handler = internals.transformCallback((event) => {
         const state = event.payload.state;
         window.__playerEvents.push({
           shown: document.querySelector('[data-testid="signed-in-user"]')?.textContent ?? '',
           recordingId: state.recordingId,
           status: state.status,
         });
       });
       internals.invoke('plugin:event|listen', { event: 'player-state-changed', target: { kind: 'Any' }, handler })
         .then(() => done(true), (e) => done(String(e)));`,
      [],
    );
    assert.equal(listening, true, 'the page listens to player-state-changed');
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
    await click($('details-play'), 'the details Play button');
    await session.waitFor(
      async () => (await events()).some((e) => e.recordingId === id && e.status === 'playing'),
      { message: `events of ${id} playing`, describe: async () => JSON.stringify((await events()).slice(-3)) },
    );
  });

  step('a sign-in waits in the browser while the demo user starts the call again', async () => {
    await click($('account-button'));
    await click($('add-account'), 'Add account');
    await session.waitForElement($('sign-in-dialog'), { message: 'the dialog waiting for the browser' });
    const before = (await events()).length;
    const played = await command('play_recording', { recordingId: id });
    assert.equal(played.ok?.recordingId, id, `the demo user plays again while the sign-in waits: ${JSON.stringify(played)}`);
    await session.waitFor(
      async () => (await events()).slice(before).some((e) => e.recordingId === id && e.status === 'playing'),
      { message: `${id} playing during the sign-in` },
    );
    await session.screenshot(join(OUT, '50-player-owner-waiting.png'));
  });

  step("bob signs in: his window is sent nothing of the demo's call, his pause and seek reach nothing", async () => {
    await writeFile(gate, 'go');
    await waitForDomText($('signed-in-user'), 'Bob', 'bob signed in');
    for (const [name, args] of [['player_pause', {}], ['player_seek', { positionMs: 1_000 }]]) {
      const answer = await command(name, args);
      assert.equal(answer.err?.code, 'not_found', `${name} as bob answers not_found: ${JSON.stringify(answer)}`);
    }
    const state = await command('player_state');
    assert.equal(state.ok?.recordingId, null, `bob's player holds nothing: ${JSON.stringify(state)}`);
    // The refused commands publish the player's (idle) state too: once bob's window has
    // received those, whatever else it was sent since he was shown is in the record.
    await session.waitFor(async () => (await events()).some((e) => e.shown.includes('Bob')), {
      message: "events received while bob's window is shown",
    });
    const bobs = (await events()).filter((e) => e.shown.includes('Bob'));
    const leaked = bobs.filter((e) => e.recordingId !== null);
    assert.deepEqual(leaked, [], "bob's window is never sent a state naming a recording (the demo's call)");
    assert.equal(
      await session.execute(`return document.querySelector('[data-testid="player-now"]')?.dataset.recording ?? '';`, []),
      '',
      "bob's player bar holds nothing",
    );
    await session.screenshot(join(OUT, '51-player-owner-bob.png'));
  });
});
