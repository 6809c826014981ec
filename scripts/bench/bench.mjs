// CallDeck benchmarks: scripts/bench.sh <release binary>
//
//   startup_to_first_paint_ms   wall time from spawning the app until its stdout line with
//                               `first_paint` (the library, from a restored demo session);
//                               median of BENCH_RUNS (5) starts
//   idle_pss_mb_all_processes   PSS summed over the app and all its descendants (WebKit
//                               processes), BENCH_IDLE_SETTLE_S (10) s after the library shows
//   idle_rss_mb_all_processes   RSS of the same processes, beside it
//
// The app's starts run on a private D-Bus session bus (bench.sh), as on a desktop. Each
// start's trace (the first_paint line's marks) goes to the log, and their medians into the
// detail of startup_to_first_paint_ms.
//
// Everything runs on a private Xvfb with a throwaway CALLDECK_DATA_DIR; the results are
// merged by name into target/bench/results.json and printed as a table.

import { accessSync, constants, rmSync, statSync } from 'node:fs';
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { tmpdir } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

import { startUntilFirstPaint as appStartUntilFirstPaint, startupFigure, withAppSession } from './app.mjs';
import { descendants, installExitGuard, memoryOf, startXvfb, stop } from './procs.mjs';
import { formatTable, mergeResults } from './results.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const OUT = join(ROOT, 'target', 'bench');
const LOGS = join(OUT, 'logs');
const RESULTS = join(OUT, 'results.json');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SETTLE_S = Number(process.env.BENCH_IDLE_SETTLE_S ?? 10);
const MB = 1024 * 1024;

const log = (message) => process.stderr.write(`bench: ${message}\n`);
const round1 = (x) => Math.round(x * 10) / 10;

/** Opens the demo once over WebDriver, so that later starts restore it straight to the library. */
async function warmUp(env, work) {
  await withAppSession(BIN, env, { work, logs: LOGS, name: 'warmup' }, async (session) => {
    const openDemo = await session.waitForElement('[data-testid="open-demo"]', { message: 'the sign-in screen (open-demo) on a fresh data dir' });
    await openDemo.click();
    // The table is virtualised: it renders the rows in view, so wait for the total instead.
    await session.waitForText('[data-testid="library-total"]', '200', { message: 'the library (200 recordings) after opening the demo' });
    await session.nextFrames(2);
  });
}

const startUntilFirstPaint = (env, logName) => appStartUntilFirstPaint(BIN, env, join(LOGS, logName));

const benchStartup = (env) =>
  startupFigure(BIN, {
    name: 'startup_to_first_paint_ms',
    target: 400,
    runs: RUNS,
    envOf: () => env,
    logOf: (i) => join(LOGS, `startup-${i + 1}.log`),
    say: log,
    method: 'median wall time from spawn to the stdout line with first_paint (library of a restored demo session), Xvfb 1280x800, after one warm-up run',
  });

/** Idle memory of the app and its WebKit processes: PSS (the figure) and RSS beside it. */
async function benchIdleMemory(env) {
  const { handle } = await startUntilFirstPaint(env, 'idle.log');
  try {
    await sleep(SETTLE_S * 1000);
    const pids = [handle.pid, ...descendants(handle.pid).map((d) => d.pid)];
    const processes = pids.map(memoryOf).filter(Boolean);
    const mb = (kb) => (kb === null ? null : round1((kb * 1024) / MB));
    const sum = (field) => (processes.every((p) => p[field] !== null) ? processes.reduce((t, p) => t + p[field], 0) : null);
    for (const p of processes) {
      log(`idle: ${p.name} (${p.pid}) PSS ${mb(p.pssKb) ?? '?'} MB (anonymous ${mb(p.anonKb) ?? '?'}), RSS ${mb(p.rssKb)} MB`);
    }
    const perProcess = processes.map((p) => ({
      name: p.name,
      pss_mb: mb(p.pssKb),
      anonymous_mb: mb(p.anonKb),
      private_mb: mb(p.privateKb),
      rss_mb: mb(p.rssKb),
    }));
    const pss = sum('pssKb');
    if (pss === null) throw new Error('this kernel has no /proc/<pid>/smaps_rollup: PSS cannot be measured');
    const common = { process_count: processes.length, settle_s: SETTLE_S, processes: perProcess };
    return [
      {
        name: 'idle_pss_mb_all_processes',
        value: mb(pss),
        unit: 'MB',
        target: 200,
        detail: {
          ...common,
          rss_mb: mb(sum('rssKb')),
          anonymous_mb: mb(sum('anonKb')),
          method: `Pss from smaps_rollup summed over the app and all descendants ${SETTLE_S} s after first_paint of the restored library (MB = 2^20 bytes). Shared pages are split between the processes mapping them, machine-wide: shared libraries count less when other WebKit processes run. anonymous_mb is the memory the processes allocated themselves`,
        },
      },
      {
        name: 'idle_rss_mb_all_processes',
        value: mb(sum('rssKb')),
        unit: 'MB',
        detail: { ...common, method: 'VmRSS summed over the same processes: every shared library counts once per process' },
      },
    ];
  } finally {
    await stop(handle);
  }
}

const BIN = process.argv[2];

async function main() {
  if (!BIN || !isAbsolute(BIN)) throw new Error('usage: scripts/bench.sh <absolute path to the release binary>');
  accessSync(BIN, constants.X_OK);
  if (!statSync(BIN).isFile()) throw new Error(`${BIN} is not a file`);
  if (!(RUNS >= 1)) throw new Error(`BENCH_RUNS must be at least 1, is ${process.env.BENCH_RUNS}`);

  installExitGuard();
  await mkdir(LOGS, { recursive: true });
  const work = await mkdtemp(join(tmpdir(), 'calldeck-bench-'));
  const keep = process.env.BENCH_KEEP_WORK === '1';
  // Also on a signal (the guard exits the process): no scratch data left behind.
  if (!keep) process.on('exit', () => rmSync(work, { recursive: true, force: true }));
  const dataDir = join(work, 'data');
  await mkdir(dataDir);
  const entries = [];
  let xvfb;
  try {
    xvfb = await startXvfb();
    log(`Xvfb (pid ${xvfb.handle.pid}) on ${xvfb.display}, data in ${dataDir}`);
    const env = { ...process.env, DISPLAY: xvfb.display, CALLDECK_DATA_DIR: dataDir, GDK_BACKEND: 'x11' };
    delete env.WAYLAND_DISPLAY;

    log('warm-up: opening the demo workspace once over WebDriver');
    await warmUp(env, work);
    entries.push(await benchStartup(env));
    log(`idle memory: starting the app and waiting ${SETTLE_S} s`);
    entries.push(...(await benchIdleMemory(env)));
  } finally {
    if (xvfb) await stop(xvfb.handle);
    if (keep) log(`scratch kept in ${work}`);
    else await rm(work, { recursive: true, force: true });
  }

  const all = await mergeResults(RESULTS, entries);
  process.stdout.write(`${formatTable(all)}\n\nwritten to ${RESULTS}; logs in ${LOGS}\n`);
}

main().catch((error) => {
  log(`failed: ${error.message}`);
  process.exitCode = 1;
});
