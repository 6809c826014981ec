// Processes for the benchmarks: start them in their own process group, find their
// descendants through /proc, and stop exactly those (by PID), never anything else.

import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** Every process tree started here and not yet stopped: { pid, snapshot() }. */
const running = new Set();

/** `{ state, start }` of a PID from /proc/<pid>/stat, or null if it is gone. */
export function procIdentity(pid) {
  let stat;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name (field 2) may contain spaces and parentheses: split after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0], ppid: Number(fields[1]), start: fields[19] };
}

/** True if `pid` still runs as the process identified by `start` (zombies count as gone). */
export function stillRunning(pid, start) {
  const id = procIdentity(pid);
  return id !== null && id.state !== 'Z' && id.state !== 'X' && (start === undefined || id.start === start);
}

/** Every live descendant of `root` as `{ pid, start }`, found by walking PPid links in /proc. */
export function descendants(root) {
  const parent = new Map();
  const identity = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const id = procIdentity(entry);
    if (!id) continue;
    parent.set(Number(entry), id.ppid);
    identity.set(Number(entry), id);
  }
  const found = [];
  for (const [pid, id] of identity) {
    if (id.state === 'Z') continue;
    let p = parent.get(pid);
    while (p !== undefined && p !== root && p > 1) p = parent.get(p);
    if (p === root) found.push({ pid, start: id.start });
  }
  return found;
}

/** Sends `signal` to a PID, ignoring "no such process". */
function signalPid(pid, signal) {
  try {
    process.kill(pid, signal);
  } catch (error) {
    if (error.code !== 'ESRCH') throw error;
  }
}

/**
 * Starts `command` in a new process group (its PID is the group id). Returns
 * `{ pid, child, exited }`; `exited` resolves with the exit code or signal.
 */
export function start(command, args, options = {}) {
  const child = spawn(command, args, { ...options, detached: true });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${command}`);
  const selfStart = procIdentity(pid)?.start;
  const handle = {
    pid,
    child,
    command,
    selfStart,
    exited: new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal))),
    // Whatever the process has started so far, refreshed every time we look.
    known: new Map(),
  };
  child.once('error', () => {});
  running.add(handle);
  return handle;
}

function remember(handle) {
  for (const d of descendants(handle.pid)) handle.known.set(d.pid, d.start);
}

/** Stops a process started by `start`, its process group and every descendant it had. */
export async function stop(handle, { graceMs = 5_000 } = {}) {
  if (!running.has(handle)) return;
  remember(handle);
  const alive = () => {
    const left = [...handle.known].filter(([pid, start]) => stillRunning(pid, start)).map(([pid]) => pid);
    if (handle.child.exitCode === null && handle.child.signalCode === null) left.push(handle.pid);
    return left;
  };
  const kill = (signal) => {
    // The group first (the app and its WebKit processes share it), then stragglers that
    // left the group (setsid) but are still descendants we saw.
    if (handle.child.exitCode === null && handle.child.signalCode === null) signalPid(-handle.pid, signal);
    for (const [pid, start] of handle.known) if (stillRunning(pid, start)) signalPid(pid, signal);
  };
  kill('SIGTERM');
  const deadline = Date.now() + graceMs;
  while (alive().length > 0 && Date.now() < deadline) await sleep(50);
  if (alive().length > 0) {
    process.stderr.write(`bench: ${handle.command} (${handle.pid}) and its processes needed SIGKILL: ${alive().join(' ')}\n`);
    kill('SIGKILL');
    while (alive().length > 0) await sleep(50);
  }
  await handle.exited;
  running.delete(handle);
}

/** Last resort on exit or a signal: SIGKILL whatever we started that still runs. */
export function killAllNow() {
  for (const handle of running) {
    try {
      remember(handle);
    } catch {
      // /proc unreadable: the group kill below still applies.
    }
    if (handle.child.exitCode === null && handle.child.signalCode === null) signalPid(-handle.pid, 'SIGKILL');
    for (const [pid, start] of handle.known) if (stillRunning(pid, start)) signalPid(pid, 'SIGKILL');
  }
  running.clear();
}

let guarded = false;
/** Makes sure nothing we started outlives this process, however it ends. */
export function installExitGuard() {
  if (guarded) return;
  guarded = true;
  process.on('exit', killAllNow);
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]]) {
    process.on(signal, () => {
      process.stderr.write(`bench: ${signal}, stopping what it started\n`);
      killAllNow();
      process.exit(code);
    });
  }
}

/** Starts Xvfb on a display it picks itself (-displayfd) and returns `{ handle, display }`. */
export async function startXvfb({ screen = '1280x800x24', timeoutMs = 10_000 } = {}) {
  const handle = start('Xvfb', ['-displayfd', '3', '-nolisten', 'tcp', '-screen', '0', screen], {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  });
  let errors = '';
  handle.child.stderr.on('data', (d) => (errors += d));
  const display = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`Xvfb reported no display within ${timeoutMs} ms: ${errors}`)), timeoutMs);
    handle.child.stdio[3].on('data', (d) => {
      out += d;
      const m = /^(\d+)\n/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(`:${m[1]}`);
      }
    });
    handle.exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`Xvfb exited (${code}): ${errors}`));
    });
  });
  handle.child.stdio[3].destroy();
  return { handle, display };
}

function listens(port) {
  return new Promise((resolve) => {
    const server = net.createServer().once('error', () => resolve(0));
    server.listen(port, '127.0.0.1', () => {
      const p = server.address().port;
      server.close(() => resolve(p));
    });
  });
}

/** A free 127.0.0.1 port P with P+1 free too (tauri-driver and WebKitWebDriver). */
export async function freePortPair() {
  for (let i = 0; i < 50; i++) {
    const p = await listens(0);
    if (p && p < 65535 && (await listens(p + 1))) return p;
  }
  throw new Error('no free pair of ports on 127.0.0.1');
}

/**
 * kB figures from /proc for one PID, or null if it is gone: `{ name, rssKb, pssKb, anonKb,
 * privateKb }`. Anonymous memory (heaps, the JS heap, stacks) is what the process itself
 * allocated; the rest of its PSS is its share of mapped files, mostly shared libraries, whose
 * share depends on how many other processes on the machine map them.
 */
export function memoryOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const name = /^Name:\s*(.*)$/m.exec(status)?.[1] ?? '?';
    const rssKb = Number(/^VmRSS:\s*(\d+) kB$/m.exec(status)?.[1] ?? 0);
    let pssKb = null;
    let anonKb = null;
    let privateKb = null;
    try {
      const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      const kb = (field) => Number(new RegExp(`^${field}:\\s*(\\d+) kB$`, 'm').exec(rollup)?.[1] ?? 0);
      pssKb = kb('Pss');
      anonKb = kb('Anonymous');
      privateKb = kb('Private_Clean') + kb('Private_Dirty');
    } catch {
      // Kernels without smaps_rollup: PSS unknown.
    }
    return { pid, name, rssKb, pssKb, anonKb, privateKb };
  } catch {
    return null;
  }
}
