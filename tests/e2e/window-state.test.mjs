// End-to-end: the window comes back where it was left. The window is moved and resized on
// the X display (xdotool, as a window manager would), CallDeck is killed with SIGKILL (no
// exit hook runs), and the next start opens the window at that size and place.
// Run with tests/e2e/run.sh.

import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { launchApp, repoPath, stepsOf } from './webdriver.mjs';

const OUT = process.env.E2E_OUT_DIR ?? repoPath('target', 'e2e');
const $ = (id) => `[data-testid="${id}"]`;

function xdotool(...args) {
  return new Promise((resolve, reject) => {
    execFile('xdotool', args, { timeout: 10_000 }, (error, stdout) => {
      if (error && error.code !== 1) return reject(error);
      resolve(error ? [] : stdout.split('\n').filter(Boolean));
    });
  });
}

/** The app's one visible window on the display. */
async function windowOf(session, pid) {
  return session.waitFor(async () => (await xdotool('search', '--onlyvisible', '--pid', String(pid)))[0] ?? null, {
    message: `the window of process ${pid}`,
  });
}

/** {x, y, width, height} of an X window, as xdotool reads it. */
async function geometry(id) {
  const lines = await xdotool('getwindowgeometry', '--shell', id);
  const value = Object.fromEntries(lines.map((l) => l.split('=')).map(([k, v]) => [k, Number(v)]));
  return { x: value.X, y: value.Y, width: value.WIDTH, height: value.HEIGHT };
}

const step = stepsOf(test);

describe('window state', { timeout: 120_000 }, () => {
  let first;
  let second;
  const wanted = { x: 73, y: 41, width: 1100, height: 700 };

  after(async () => {
    await first?.close().catch(() => {});
    await second?.close().catch(() => {});
  });

  step('the window is moved and resized, and the size and place are saved as they change', async () => {
    first = await launchApp('window-state');
    const { session } = first;
    await session.waitForElement($('open-demo'), { message: 'the sign-in screen' });
    const id = await windowOf(session, await first.pid());
    await xdotool('windowsize', id, String(wanted.width), String(wanted.height));
    await xdotool('windowmove', id, String(wanted.x), String(wanted.y));
    const file = join(first.dataDir, 'window-state.json');
    const saved = await session.waitFor(
      async () => {
        const state = JSON.parse(await readFile(file, 'utf8').catch(() => '{}')).main;
        return state && state.width === wanted.width && state.x === wanted.x ? state : null;
      },
      { message: `the moved and resized window in ${file}`, describe: () => readFile(file, 'utf8').catch((e) => e.message) },
    );
    assert.equal(saved.height, wanted.height);
    assert.equal(saved.y, wanted.y);
  });

  step('killed with SIGKILL, CallDeck opens its window there again', async () => {
    const { dataDir } = first;
    process.kill(await first.pid(), 'SIGKILL');
    await first.close().catch(() => {});
    first = null;
    second = await launchApp('window-state-again', { CALLDECK_DATA_DIR: dataDir });
    const { session } = second;
    await session.waitForElement($('open-demo'), { message: 'the sign-in screen after the restart' });
    const id = await windowOf(session, await second.pid());
    const now = await session.waitFor(
      async () => {
        const g = await geometry(id);
        return g.width === wanted.width && g.height === wanted.height && g.x === wanted.x && g.y === wanted.y ? g : null;
      },
      { message: `the window at ${JSON.stringify(wanted)}`, describe: async () => JSON.stringify(await geometry(id)) },
    );
    assert.deepEqual(now, wanted);
    await session.screenshot(join(OUT, '60-window-restored.png'));
  });
});
