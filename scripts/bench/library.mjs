// The recording library benchmark: builds and runs crates/core/examples/bench_library.rs
// (release), which generates its data once under target/bench/data/ (1M recordings with a
// 250k-recording user, and 100k), measures the library's hot commands through calldeck-core
// and writes its figures; they are merged by name into target/bench/results.json.
//
//   node scripts/bench/library.mjs          (scripts/bench.sh runs it; BENCH_LIBRARY_ITERATIONS=200)

import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { formatTable, mergeResults } from './results.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const OUT = join(ROOT, 'target', 'bench');
const FIGURES = join(OUT, 'library.json');
const ITERATIONS = String(Number(process.env.BENCH_LIBRARY_ITERATIONS ?? 200));

const run = spawnSync(
  'cargo',
  ['run', '--release', '--locked', '-p', 'calldeck-core', '--example', 'bench_library', '--features', 'test-support', '--', '--out', FIGURES, '--iterations', ITERATIONS],
  { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] },
);
if (run.status !== 0) {
  process.stderr.write(`bench: the library benchmark failed (${run.error?.message ?? `exit ${run.status}`})\n`);
  process.exit(1);
}
const entries = JSON.parse(await readFile(FIGURES, 'utf8'));
if (!Array.isArray(entries) || entries.some((e) => typeof e?.name !== 'string' || typeof e?.value !== 'number')) {
  process.stderr.write(`bench: ${FIGURES} is not a list of {name, value, ...}\n`);
  process.exit(1);
}
await mergeResults(join(OUT, 'results.json'), entries);
process.stdout.write(`${formatTable(entries)}\n\nmerged into ${join(OUT, 'results.json')}\n\n`);
