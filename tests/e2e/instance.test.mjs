// End-to-end: one CallDeck per data folder. A second start of the built app, with the same
// data folder and display, must not open a second window or touch the library: with a
// session D-Bus it hands its arguments to the running app, which comes to the front, and
// exits; with no session D-Bus it says in a sentence that CallDeck is already running and
// exits with status 1. Windows are counted and focus is read on the X display (xdotool).
// Run with tests/e2e/run.sh.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';

import { launchApp, repoPath, stepsOf } from './webdriver.mjs';

const OUT = process.env.E2E_OUT_DIR ?? repoPath('target', 'e2e');
const BIN = process.env.CALLDECK_BIN;
/** How long a second start may take to give way (it builds no window, so seconds at most). */
const EXIT_WAIT_MS = 30_000;

const $ = (id) => `[data-testid="${id}"]`;

/** Runs xdotool; resolves with its output lines, or [] when it found nothing (status 1). */
function xdotool(...args) {
  return new Promise((resolve, reject) => {
    execFile('xdotool', args, { timeout: 10_000 }, (error, stdout) => {
      if (error && error.code !== 1) return reject(error);
      resolve(error ? [] : stdout.split('\n').filter(Boolean));
    });
  });
}

/** The visible windows a process has on the display (by _NET_WM_PID). */
const windowsOf = (pid) => xdotool('search', '--onlyvisible', '--pid', String(pid));

/** Every visible window named CallDeck on the display. */
const callDeckWindows = () => xdotool('search', '--onlyvisible', '--name', '^CallDeck$');

/** The window that has the keyboard focus, or null when none does (focus on the root). */
const focusedWindow = async () => (await xdotool('getwindowfocus').catch(() => []))[0] ?? null;

/** Polls `probe` until it returns something truthy; fails with `what` after `ms`. */
async function until(probe, what, ms = 20_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * Starts the app binary directly (not through WebDriver) with `env` on top of this
 * process's environment. Resolves `exited` with {code, signal, stdout, stderr}; `stop()`
 * ends it by its PID if it still runs.
 */
function startApp(env, args = []) {
  const child = spawn(BIN, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(10_000, null, { ref: false })]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    return exited;
  };
  return { child, pid: child.pid, exited, stop, output: () => ({ stdout, stderr }) };
}

/** Waits for a second start to end; it is stopped (and the test fails) if it does not. */
async function ended(second) {
  const result = await Promise.race([second.exited, sleep(EXIT_WAIT_MS, null, { ref: false })]);
  if (result) return result;
  const windows = await windowsOf(second.pid);
  await second.stop();
  const { stderr } = second.output();
  assert.fail(
    `the second start was still running after ${EXIT_WAIT_MS / 1000} s with ${windows.length} ` +
      `window(s) of its own; its stderr: ${stderr.slice(-500)}`,
  );
}

/** A private session bus for the first test, so it never depends on the caller's. */
async function startBus() {
  const child = spawn('dbus-daemon', ['--session', '--nofork', '--print-address=1'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const address = await new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`dbus-daemon exited with ${code}`)));
  });
  return { address: address.trim(), stop: () => child.kill('SIGTERM') };
}

describe('a second start with a session D-Bus', { timeout: 180_000 }, () => {
  const step = stepsOf(test);
  let app;
  let bus;
  let firstPid;
  let firstWindow;
  let second;

  before(async () => {
    bus = await startBus();
    app = await launchApp('instance', { DBUS_SESSION_BUS_ADDRESS: bus.address });
    firstPid = await app.pid();
  });

  after(async () => {
    try {
      await second?.stop();
      await app?.close();
    } finally {
      bus?.stop();
    }
  });

  step('the first start shows one window', async () => {
    await app.session.waitForElement($('open-demo'), { message: 'the sign-in screen' });
    const windows = await until(async () => {
      const w = await windowsOf(firstPid);
      return w.length ? w : null;
    }, 'the first window on the display');
    assert.equal(windows.length, 1, `one window: ${windows}`);
    firstWindow = windows[0];
    // Nobody has the focus yet (no window manager gives it); the second start must.
    const [root] = await xdotool('search', '--maxdepth', '0', '--name', '.*');
    await xdotool('windowfocus', root);
    assert.notEqual(await focusedWindow(), firstWindow, 'the first window is not focused before the second start');
  });

  step('a second start hands over its arguments and exits; the first window comes to the front', async () => {
    second = startApp(
      { CALLDECK_DATA_DIR: app.dataDir, DBUS_SESSION_BUS_ADDRESS: bus.address },
      ['--from-the-second-start'],
    );
    const result = await ended(second);
    assert.equal(result.code, 0, `the second start gave way cleanly: ${JSON.stringify(result)}`);
    assert.ok(alive(firstPid), 'the first app still runs');
    assert.deepEqual(await windowsOf(firstPid), [firstWindow], 'still the same one window');
    assert.deepEqual(await callDeckWindows(), [firstWindow], 'no other CallDeck window on the display');
    await until(async () => (await focusedWindow()) === firstWindow, 'the first window to get the focus');
    const log = await until(async () => {
      const text = await readFile(app.appLog, 'utf8');
      return text.includes('started again') ? text : null;
    }, 'the first app to note the second start in its log');
    assert.match(log, /started again.*arguments=1/, 'the first app received the second start\'s argument');
    // The window still answers.
    await app.session.waitForElement($('open-demo'), { message: 'the sign-in screen, still there' });
    await mkdir(OUT, { recursive: true });
    await app.session.screenshot(join(OUT, '80-second-start-focused.png'));
  });
});

describe('a second start with no session D-Bus', { timeout: 120_000 }, () => {
  const step = stepsOf(test);
  let first;
  let second;
  let work;
  const env = () => ({
    CALLDECK_DATA_DIR: join(work, 'data'),
    // A session bus address where no bus is: what a box without a session D-Bus looks like
    // to the app (and nothing is auto-launched, as it could be with the variable unset).
    DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(work, 'no-bus-here')}`,
  });

  before(async () => {
    work = join(process.env.E2E_WORK_DIR ?? '/tmp', `instance-nobus-${process.pid}`);
    await mkdir(join(work, 'data'), { recursive: true });
  });

  after(async () => {
    await second?.stop();
    const done = await first?.stop();
    if (done) console.log(`first app (no D-Bus) stderr tail: ${done.stderr.slice(-800)}`);
  });

  step('the first start runs, with its window', async () => {
    first = startApp(env());
    await until(async () => {
      if (!alive(first.pid)) throw new Error(`the app exited without a bus: ${first.output().stderr.slice(-800)}`);
      return (await windowsOf(first.pid)).length === 1;
    }, 'the window of the app started without a session D-Bus', 60_000);
  });

  step('a second start says CallDeck is already running, and exits with status 1', async () => {
    second = startApp(env(), ['--from-the-second-start']);
    const result = await ended(second);
    assert.equal(result.code, 1, `exit status 1: ${JSON.stringify(result)}`);
    assert.match(result.stderr, /CallDeck is already running/, `a sentence on stderr: ${result.stderr}`);
    assert.ok(alive(first.pid), 'the first app still runs');
    assert.equal((await windowsOf(first.pid)).length, 1, 'the first app keeps its one window');
    assert.equal((await callDeckWindows()).length, 1, 'the second start opened no window');
  });
});
