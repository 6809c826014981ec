// The native player benchmark: builds and runs crates/core/examples/bench_player.rs
// (release), which plays a WAV through calldeck-core's PlayerHandle into a mixer drained in
// real time (no sound card needed) and times the first audible sample: from disk, streamed
// from a 127.0.0.1 server at 512 kB/s, and after a seek. p95 of BENCH_PLAYER_RUNS (20)
// runs; the figures are merged by name into target/bench/results.json.
//
//   node scripts/bench/player.mjs          (scripts/bench.sh runs it; BENCH_SKIP_PLAYER=1 skips it)

import { runCoreExample } from './core-example.mjs';

const RUNS = String(Number(process.env.BENCH_PLAYER_RUNS ?? 20));
await runCoreExample('bench_player', 'player', ['--runs', RUNS]);
