// Starting the release app for a benchmark: straight from a spawn until its stdout says
// `first_paint` (and a start-up figure of several such starts), or under tauri-driver for a
// WebDriver session. Shared by bench.mjs and ui.mjs.

import { closeSync, createWriteStream, openSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';

import { newSession, tauriCapabilities, waitForDriver, writeLauncher } from '../../tests/e2e/webdriver.mjs';
import { freePortPair, start, stop } from './procs.mjs';

const FIRST_PAINT_TIMEOUT_MS = 30_000;
const stripAnsi = (s) => s.replace(/\x1b\[[0-9;]*m/g, '');

/**
 * Starts `bin` directly and resolves once its stdout shows `first_paint` of the library, with
 * `{ handle, ms, appMs }` (wall time from spawn; the app's own since_start figure). The app's
 * output goes to `logFile`. The caller stops `handle`.
 */
export async function startUntilFirstPaint(bin, env, logFile) {
  const log = createWriteStream(logFile);
  const t0 = performance.now();
  const handle = start(bin, [], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  handle.child.stderr.pipe(log, { end: false });
  handle.child.once('close', () => log.end());
  const lines = createInterface({ input: handle.child.stdout });
  try {
    return await new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no first_paint on stdout within ${FIRST_PAINT_TIMEOUT_MS} ms (see ${logFile})`)),
        FIRST_PAINT_TIMEOUT_MS,
      );
      lines.on('line', (raw) => {
        const ms = performance.now() - t0;
        log.write(`${raw}\n`);
        const line = stripAnsi(raw);
        if (!line.includes('first_paint')) return;
        clearTimeout(timer);
        const view = /view=(\w+)/.exec(line)?.[1];
        if (view && view !== 'Library') {
          reject(new Error(`the app painted ${view} first, not the library: the session was not restored (${line.trim()})`));
          return;
        }
        const appMs = Number(/since_start=(?:Some\()?(\d+)/.exec(line)?.[1] ?? NaN);
        resolve({ handle, ms, appMs: Number.isNaN(appMs) ? null : appMs, trace: parseTrace(line) });
      });
      handle.exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`the app exited (${code}) before first_paint (see ${logFile})`));
      });
    });
  } catch (error) {
    await stop(handle);
    throw error;
  }
}

const round1 = (x) => Math.round(x * 10) / 10;

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** The median of each mark over the starts, in the order of a start. */
function medianTrace(traces) {
  const names = [...new Set(traces.flatMap((t) => Object.keys(t)))];
  const medians = names.map((name) => [name, median(traces.map((t) => t[name]).filter((v) => v !== undefined))]);
  return Object.fromEntries(medians.sort((a, b) => a[1] - b[1]));
}

/**
 * A start-up figure: `warmUps` unmeasured starts, then `runs` measured ones, each until the
 * first paint; the value is their median wall time, with every start and each mark's median
 * in the detail. `envOf(i)` gives start i's environment and `logOf(i)` its log file (i counts
 * from 0, warm-ups first); `say(message)` reports progress.
 */
export async function startupFigure(bin, { name, target, runs, warmUps = 0, envOf, logOf, say, method }) {
  const samples = [];
  const appSamples = [];
  const traces = [];
  for (let i = 0; i < warmUps + runs; i++) {
    const { handle, ms, appMs, trace } = await startUntilFirstPaint(bin, await envOf(i), logOf(i));
    await stop(handle);
    const warmUp = i < warmUps;
    say(`${name}: start ${warmUp ? 'warm-up' : `${i - warmUps + 1}/${runs}`}: first paint after ${ms.toFixed(1)} ms (app says ${appMs ?? '?'} ms)`);
    if (!warmUp) {
      samples.push(round1(ms));
      appSamples.push(appMs);
      traces.push(trace);
    }
    await sleep(500);
  }
  const trace = medianTrace(traces);
  say(`${name}: start-up trace (median ms since run()): ${Object.entries(trace).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  return {
    name,
    value: round1(median(samples)),
    unit: 'ms',
    target,
    detail: {
      runs,
      min: Math.min(...samples),
      max: Math.max(...samples),
      samples_ms: samples,
      app_since_start_ms: appSamples,
      trace_median_ms: trace,
      method,
    },
  };
}

/**
 * Runs `fn(session)` with the app started by tauri-driver on `env.DISPLAY`, keeping its data
 * in `env.CALLDECK_DATA_DIR`; the driver's log and the app's go to `logs`. Ends the session
 * (which closes the app) and the driver, whatever `fn` does.
 */
export async function withAppSession(bin, env, { work, logs, name }, fn) {
  const port = await freePortPair();
  const driverLog = openSync(join(logs, `${name}-tauri-driver.log`), 'w');
  const driver = start('tauri-driver', ['--port', String(port), '--native-port', String(port + 1), '--native-host', '127.0.0.1'], {
    env,
    stdio: ['ignore', driverLog, driverLog],
  });
  closeSync(driverLog);
  try {
    const url = `http://127.0.0.1:${port}`;
    await waitForDriver(url);
    const launcher = await writeLauncher(join(work, `${name}.sh`), bin, { CALLDECK_DATA_DIR: env.CALLDECK_DATA_DIR }, join(logs, `${name}-app.log`));
    const session = await newSession(url, tauriCapabilities(launcher));
    try {
      return await fn(session);
    } finally {
      await session.delete();
    }
  } finally {
    await stop(driver);
  }
}

/** The start-up trace of a first_paint line (`trace=name=+12 name=+34 ...`) as `{ name: ms }`. */
function parseTrace(line) {
  const marks = {};
  for (const [, name, ms] of line.matchAll(/(\w+)=\+(\d+)/g)) marks[name] = Number(ms);
  return marks;
}
