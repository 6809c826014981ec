// The sync and downloads benchmark: builds and runs crates/core/examples/bench_sync/
// (release), which starts the loopback Twilio fake (crates/core/tests/support/twilio_fake/) in a child
// process, syncs 10,000 recordings and their calls, reruns, downloads 500 files, and runs the
// peer — the official `twilio` Python SDK (PyPI, installed into target/bench/venv) listing
// the same recordings from the same fake (scripts/bench/twilio_peer.py). Then again with
// `--latency`: the fake answers like a remote API (its LatencyModel), and the example syncs
// 100,000 recordings (the SDK's listing of them the peer), downloads 10,000 files of 100 KB,
// and syncs 1,000,000 (several minutes; BENCH_SKIP_SYNC_1M=1 skips that one). Its figures
// are merged by name into target/bench/results.json.
//
//   node scripts/bench/sync.mjs          (scripts/bench.sh runs it; BENCH_SKIP_SYNC=1 skips it)
//
// Without python3 (with venv) or PyPI, the figures are still measured, with "peer": null.

import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

import { OUT, ROOT, runCoreExample } from './core-example.mjs';

const VENV = join(OUT, 'venv');
const PYTHON = join(VENV, 'bin', 'python');
// The SDK version the peer figures were taken with; bump deliberately.
const TWILIO_SDK = 'twilio==9.13.0';

const log = (message) => process.stderr.write(`bench: ${message}\n`);

/** The venv's python with the twilio SDK, or null (the peer is then skipped). */
function peerPython() {
  const quiet = { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] };
  if (!existsSync(PYTHON)) {
    const venv = spawnSync('python3', ['-m', 'venv', VENV], quiet);
    if (venv.status !== 0) {
      log(`no peer: python3 -m venv failed (${venv.error?.message ?? `exit ${venv.status}`}); on Debian: apt-get install python3-venv`);
      return null;
    }
  }
  const has = spawnSync(PYTHON, ['-c', `import twilio, sys; sys.exit(twilio.__version__ != "${TWILIO_SDK.split('==')[1]}")`], { cwd: ROOT, stdio: 'ignore' });
  if (has.status !== 0) {
    const pip = spawnSync(PYTHON, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', TWILIO_SDK], quiet);
    if (pip.status !== 0) {
      log(`no peer: pip install ${TWILIO_SDK} failed (${pip.error?.message ?? `exit ${pip.status}`})`);
      return null;
    }
  }
  return PYTHON;
}

const python = peerPython();
const peerArgs = python ? ['--peer-python', python, '--peer-script', join(ROOT, 'scripts', 'bench', 'twilio_peer.py')] : [];
await runCoreExample('bench_sync', 'sync', peerArgs);
const skip1m = process.env.BENCH_SKIP_SYNC_1M === '1' ? ['--skip-1m'] : [];
log(`the latency figures: 100k sync, the SDK's listing, 10k downloads${skip1m.length ? '' : ', 1M sync'} (progress below)`);
await runCoreExample('bench_sync', 'sync (latency)', [...peerArgs, '--latency', ...skip1m], 'sync-latency');
