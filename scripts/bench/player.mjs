// The native player benchmark: builds and runs crates/core/examples/bench_player.rs
// (release), which plays a WAV through calldeck-core's PlayerHandle into a mixer drained in
// real time (no sound card needed) and times the first audible sample: from disk, streamed
// from a 127.0.0.1 server at 512 kB/s, and after a seek. p95 of BENCH_PLAYER_RUNS (20)
// runs; the figures are merged by name into target/bench/results.json.
//
//   node scripts/bench/player.mjs          (scripts/bench.sh runs it; BENCH_SKIP_PLAYER=1 skips it)

import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { formatTable, mergeResults } from './results.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const OUT = join(ROOT, 'target', 'bench');
const FIGURES = join(OUT, 'player.json');
const RUNS = String(Number(process.env.BENCH_PLAYER_RUNS ?? 20));

const run = spawnSync(
  'cargo',
  ['run', '--release', '--locked', '-p', 'calldeck-core', '--example', 'bench_player', '--features', 'test-support', '--', '--out', FIGURES, '--runs', RUNS],
  { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] },
);
if (run.status !== 0) {
  process.stderr.write(`bench: the player benchmark failed (${run.error?.message ?? `exit ${run.status}`})\n`);
  process.exit(1);
}
const entries = JSON.parse(await readFile(FIGURES, 'utf8'));
if (!Array.isArray(entries) || entries.some((e) => typeof e?.name !== 'string' || typeof e?.value !== 'number')) {
  process.stderr.write(`bench: ${FIGURES} is not a list of {name, value, ...}\n`);
  process.exit(1);
}
await mergeResults(join(OUT, 'results.json'), entries);
process.stdout.write(`${formatTable(entries)}\n\nmerged into ${join(OUT, 'results.json')}\n\n`);
