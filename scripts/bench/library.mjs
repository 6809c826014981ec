// The recording library benchmark: builds and runs crates/core/examples/bench_library/
// (release), which generates its data once under target/bench/data/ (one user's own 1M
// recordings; 1M of 31 users with a 250k-recording user; and 100k), measures the library's
// hot commands through calldeck-core and writes its figures; they are merged by name into
// target/bench/results.json.
//
//   node scripts/bench/library.mjs          (scripts/bench.sh runs it; BENCH_LIBRARY_ITERATIONS=200)

import { runCoreExample } from './core-example.mjs';

const ITERATIONS = String(Number(process.env.BENCH_LIBRARY_ITERATIONS ?? 200));
await runCoreExample('bench_library', 'library', ['--iterations', ITERATIONS]);
