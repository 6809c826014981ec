// What the hand feels, in the real window: the release app under Xvfb with a big library,
// driven over WebDriver and timed inside the page (performance marks, requestAnimationFrame).
//
//   startup_first_rows_ms_250k                spawn until the first rows of a 250k library are
//                                             painted (the app's `first_paint` on stdout), median
//   ui_search_keystroke_to_paint_p95_ms_250k  a keystroke in the search box until the rows of
//                                             what it made of the text are painted, p95
//   ui_open_details_ms                        a click on a row until its details are painted, p95
//   ui_scroll_frame_p99_ms_100k               requestAnimationFrame deltas while flinging
//                                             through 100k rows, p99
//
//   node scripts/bench/ui.mjs <absolute path to the release binary>   (scripts/bench.sh runs it)
//
// The libraries come from calldeck-core's bench_ui_data example (the library benchmark's
// generator, the demo session restored at start), made once under target/bench/data/ and
// copied to a scratch folder for each run, so nothing the app writes carries over.

import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';

import { startupFigure, withAppSession } from './app.mjs';
import { OUT, ROOT } from './core-example.mjs';
import { installExitGuard, startXvfb, stop } from './procs.mjs';
import { formatTable, mergeResults } from './results.mjs';
import { measureDetails, measureScroll, measureSearch } from './ui-page.mjs';

const LOGS = join(OUT, 'logs');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const BIN = process.argv[2];
// BENCH_UI_ONLY=search,details (of startup, search, details, scroll) runs only those.
const ONLY = new Set((process.env.BENCH_UI_ONLY ?? 'startup,search,details,scroll').split(',').map((s) => s.trim()));

/** Waits for the library's total to read `count` (however the locale groups its digits). */
async function waitForTotal(session, count) {
  const total = () => session.execute(`return document.querySelector('[data-testid="library-total"]')?.textContent ?? '';`);
  await session.waitFor(async () => (await total()).replace(/\D/g, '') === String(count), {
    message: `the restored library of ${count} recordings`,
    timeoutMs: 60_000,
    describe: total,
  });
  await session.waitForElement('[data-testid="recording-row"]');
}

const log = (message) => process.stderr.write(`bench ui: ${message}\n`);

/** The cached app data folder with `recordings` in the demo user's library (made if missing). */
function libraryDir(name, recordings) {
  const run = spawnSync(
    'cargo',
    ['run', '--release', '--locked', '-p', 'calldeck-core', '--example', 'bench_ui_data', '--features', 'test-support', '--',
      '--dir', join(OUT, 'data', name), '--recordings', String(recordings)],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' },
  );
  if (run.status !== 0) throw new Error(`bench_ui_data failed (${run.error?.message ?? `exit ${run.status}`})`);
  return run.stdout.trim().split('\n').at(-1);
}

/** A fresh copy of a cached library, so each measurement starts from the same files. */
async function freshCopy(source, work, name) {
  const dir = join(work, name);
  await rm(dir, { recursive: true, force: true });
  await cp(source, dir, { recursive: true });
  return dir;
}

// One start unmeasured: it reads the library's files into the page cache, as any start
// after the first finds them. Each start gets a fresh copy of the library.
const benchFirstRows = (env, source, work) =>
  startupFigure(BIN, {
    name: 'startup_first_rows_ms_250k',
    target: 600,
    runs: RUNS,
    warmUps: 1,
    envOf: async () => ({ ...env, CALLDECK_DATA_DIR: await freshCopy(source, work, 'first-rows') }),
    logOf: (i) => join(LOGS, `ui-first-rows-${i}.log`),
    say: log,
    method: 'median wall time from spawning the release app until its stdout line with first_paint (the library with its first rows painted) on a restored library of 250,000 recordings, Xvfb 1280x800, after one warm-up start',
  });

async function main() {
  if (!BIN || !isAbsolute(BIN)) throw new Error('usage: node scripts/bench/ui.mjs <absolute path to the release binary>');
  if (!(RUNS >= 1)) throw new Error(`BENCH_RUNS must be at least 1, is ${process.env.BENCH_RUNS}`);
  installExitGuard();
  await mkdir(LOGS, { recursive: true });
  log('the 250k and 100k libraries (generated once under target/bench/data/)');
  const big = libraryDir('ui-250k', 250_000);
  const mid = libraryDir('ui-100k', 100_000);
  const work = await mkdtemp(join(tmpdir(), 'calldeck-bench-ui-'));
  const keep = process.env.BENCH_KEEP_WORK === '1';
  const entries = [];
  let xvfb;
  try {
    xvfb = await startXvfb();
    const env = { ...process.env, DISPLAY: xvfb.display, GDK_BACKEND: 'x11' };
    delete env.WAYLAND_DISPLAY;

    if (ONLY.has('startup')) entries.push(await benchFirstRows(env, big, work));

    const bigDir = await freshCopy(big, work, 'ui-250k');
    if (ONLY.has('search') || ONLY.has('details')) await withAppSession(BIN, { ...env, CALLDECK_DATA_DIR: bigDir }, { work, logs: LOGS, name: 'ui-250k' }, async (session) => {
      await waitForTotal(session, 250_000);
      await session.screenshot(join(OUT, 'ui-250k.png'));
      if (ONLY.has('search')) entries.push(await measureSearch(session, log));
      if (ONLY.has('details')) entries.push(await measureDetails(session, log));
    });

    const midDir = await freshCopy(mid, work, 'ui-100k');
    if (ONLY.has('scroll')) await withAppSession(BIN, { ...env, CALLDECK_DATA_DIR: midDir }, { work, logs: LOGS, name: 'ui-100k' }, async (session) => {
      await waitForTotal(session, 100_000);
      entries.push(await measureScroll(session, log));
    });
  } finally {
    if (xvfb) await stop(xvfb.handle);
    if (keep) log(`scratch kept in ${work}`);
    else await rm(work, { recursive: true, force: true });
  }
  await mergeResults(join(OUT, 'results.json'), entries);
  process.stdout.write(`${formatTable(entries)}\n\nmerged into ${join(OUT, 'results.json')}; screenshot ${join(OUT, 'ui-250k.png')}\n\n`);
}

main().catch((error) => {
  log(`failed: ${error.message}`);
  process.exitCode = 1;
});
