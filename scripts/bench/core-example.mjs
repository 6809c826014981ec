// Runs one of calldeck-core's benchmark examples (release, with test-support), reads the
// figures it wrote to target/bench/<name>.json, merges them by name into
// target/bench/results.json and prints them. Shared by library.mjs, sync.mjs and player.mjs.

import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { formatTable, mergeResults } from './results.mjs';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const OUT = join(ROOT, 'target', 'bench');

/**
 * `example` is e.g. "bench_sync"; `args` go to the example after `--out <figures>`;
 * `figuresName` names the figures file when one example runs twice (default: the example's).
 */
export async function runCoreExample(example, label, args = [], figuresName = example.replace(/^bench_/, '')) {
  const figures = join(OUT, `${figuresName}.json`);
  const run = spawnSync(
    'cargo',
    ['run', '--release', '--locked', '-p', 'calldeck-core', '--example', example, '--features', 'test-support', '--', '--out', figures, ...args],
    { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] },
  );
  if (run.status !== 0) {
    process.stderr.write(`bench: the ${label} benchmark failed (${run.error?.message ?? `exit ${run.status}`})\n`);
    process.exit(1);
  }
  const entries = JSON.parse(await readFile(figures, 'utf8'));
  if (!Array.isArray(entries) || entries.some((e) => typeof e?.name !== 'string' || typeof e?.value !== 'number')) {
    process.stderr.write(`bench: ${figures} is not a list of {name, value, ...}\n`);
    process.exit(1);
  }
  await mergeResults(join(OUT, 'results.json'), entries);
  process.stdout.write(`${formatTable(entries)}\n\nmerged into ${join(OUT, 'results.json')}\n\n`);
}
