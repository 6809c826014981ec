// The soak's samples and figure: PSS and RSS of every process of the app, each minute, and
// soak_pss_growth_pct, the worst process's growth between two minutes.

import { readdirSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';

import { descendants, memoryOf } from './procs.mjs';

const round1 = (x) => Math.round(x * 10) / 10;
const mb = (kb) => round1(kb / 1024);

/** A process's name from its command line (Name in /proc/<pid>/status is cut at 15 characters). */
function nameOf(pid, fallback) {
  try {
    const first = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0];
    return first ? basename(first) : fallback;
  } catch {
    return fallback;
  }
}

/**
 * The kB of `smaps_rollup` a process's PSS splits into: `Pss_Anon` + `Pss_Shmem` (what it
 * allocated itself, where a leak shows) and `Pss_File` (mapped files: code, fonts, which other
 * processes mapping the same libraries take shares of), or null on kernels without them.
 */
function pssParts(pid) {
  try {
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const field = (name) => Number(new RegExp(`^${name}:\\s*(\\d+) kB$`, 'm').exec(rollup)?.[1] ?? NaN);
    const anon = field('Pss_Anon') + field('Pss_Shmem');
    const file = field('Pss_File');
    return Number.isNaN(anon) || Number.isNaN(file) ? null : { anon, file };
  } catch {
    return null;
  }
}

/** WebKit processes on this machine that are not the app's: they take shares of WebKit's libraries. */
function otherWebKit(ours) {
  let n = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || ours.has(Number(entry))) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').startsWith('WebKit')) n += 1;
    } catch {
      // Gone meanwhile.
    }
  }
  return n;
}

/**
 * `{ minute, at, other_webkit_processes, processes: [{ name, pid, pss_mb, anon_pss_mb,
 * file_pss_mb, rss_mb }] }` for the app and every descendant.
 */
export function sampleTree(appPid, minute) {
  const pids = [appPid, ...descendants(appPid).map((d) => d.pid)];
  const processes = pids
    .map(memoryOf)
    .filter(Boolean)
    .map((p) => {
      const parts = pssParts(p.pid);
      return {
        name: nameOf(p.pid, p.name),
        pid: p.pid,
        pss_mb: p.pssKb === null ? null : mb(p.pssKb),
        anon_pss_mb: parts ? mb(parts.anon) : null,
        file_pss_mb: parts ? mb(parts.file) : null,
        rss_mb: mb(p.rssKb),
      };
    });
  return { minute, at: new Date().toISOString(), other_webkit_processes: otherWebKit(new Set(pids)), processes };
}

const key = (p) => `${p.name} (${p.pid})`;

function median(values) {
  const v = values.filter((x) => x !== null && x !== undefined).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : round1((v[mid - 1] + v[mid]) / 2);
}

/**
 * Minute `minute`'s sample: each process's median of the readings taken in the minute up to
 * it (the one reading at minute 0), so that a garbage collection just before or after the
 * minute does not decide its figure.
 */
export function minuteSample(raw, minute) {
  const within = raw.filter((r) => r.minute > minute - 1 && r.minute <= minute);
  const last = within.at(-1);
  const processes = last.processes.map((p) => {
    const readings = within.map((r) => r.processes.find((q) => key(q) === key(p))).filter(Boolean);
    const of = (field) => median(readings.map((q) => q[field]));
    return { name: p.name, pid: p.pid, pss_mb: of('pss_mb'), anon_pss_mb: of('anon_pss_mb'), file_pss_mb: of('file_pss_mb'), rss_mb: of('rss_mb'), readings: readings.length };
  });
  return { minute, at: new Date().toISOString(), other_webkit_processes: median(within.map((r) => r.other_webkit_processes)), processes };
}

/**
 * What the page holds: its elements, and the query cache's queries, rows and mutations (the
 * QueryClient found through React's fiber tree from #root; null if it is not found).
 */
export function pageProbe(session) {
  return session.execute(`const root = document.getElementById('root');
    const start = root[Object.keys(root).find((k) => k.startsWith('__reactContainer$'))];
    let client = null;
    for (const stack = [start]; stack.length && !client; ) {
      const f = stack.pop();
      if (!f) continue;
      if (f.memoizedProps?.client?.getQueryCache) client = f.memoizedProps.client;
      stack.push(f.sibling, f.child);
    }
    const queries = client ? client.getQueryCache().getAll() : [];
    const rows = queries.reduce((n, q) => n + (q.state.data?.pages ?? []).reduce((m, p) => m + (p.items?.length ?? 0), 0), 0);
    return {
      elements: document.getElementsByTagName('*').length,
      queries: client ? queries.length : null,
      cached_rows: client ? rows : null,
      mutations: client ? client.getMutationCache().getAll().length : null,
    };`);
}

/** Each process seen at both minutes, with its growth between them; the largest own growth first. */
export function growth(samples, fromMinute, toMinute) {
  const from = samples.find((s) => s.minute === fromMinute);
  const to = samples.find((s) => s.minute === toMinute);
  if (!from || !to) throw new Error(`no sample at minute ${from ? toMinute : fromMinute}`);
  const before = new Map(from.processes.map((p) => [key(p), p]));
  const pct = (a, b) => (a > 0 ? round1(((b - a) / a) * 100) : null);
  return to.processes
    .filter((p) => before.has(key(p)))
    .map((p) => {
      const b = before.get(key(p));
      return {
        name: p.name,
        pid: p.pid,
        pss_mb_from: b.pss_mb,
        pss_mb_to: p.pss_mb,
        growth_pct: pct(b.pss_mb, p.pss_mb),
        anon_pss_mb_from: b.anon_pss_mb,
        anon_pss_mb_to: p.anon_pss_mb,
        anon_growth_pct: b.anon_pss_mb === null || p.anon_pss_mb === null ? null : pct(b.anon_pss_mb, p.anon_pss_mb),
        rss_mb_from: b.rss_mb,
        rss_mb_to: p.rss_mb,
        rss_growth_pct: pct(b.rss_mb, p.rss_mb),
      };
    })
    .sort((a, b) => (b.anon_growth_pct ?? b.growth_pct ?? -Infinity) - (a.anon_growth_pct ?? a.growth_pct ?? -Infinity));
}

const sum = (sample, field) => round1(sample.processes.reduce((t, p) => t + (p[field] ?? 0), 0));

/**
 * The results.json entry. The value is the largest growth of a process's own PSS (Pss_Anon +
 * Pss_Shmem: what it allocated, where a leak shows). Whole PSS is beside it: its file-backed
 * part (WebKit's and GTK's libraries) is split among every process mapping them, so it moves
 * when other apps start or stop (a process with a flat RSS moved 38 % in a run here).
 */
export function soakEntry(samples, driven, { minutes, fromMinute, rows }) {
  const processes = growth(samples, fromMinute, minutes);
  // A process of a few MB (a sandbox's bwrap) moves by whole pages: its percentage says nothing.
  const counted = processes.filter((p) => (p.pss_mb_from ?? 0) >= 5);
  const worst = counted[0] ?? null;
  const worstPss = counted.reduce((w, p) => (w === null || (p.growth_pct ?? -Infinity) > (w.growth_pct ?? -Infinity) ? p : w), null);
  const first = samples.find((s) => s.minute === fromMinute);
  const last = samples.find((s) => s.minute === minutes);
  return {
    name: 'soak_pss_growth_pct',
    value: worst?.anon_growth_pct ?? worst?.growth_pct ?? null,
    unit: '%',
    target: 15,
    detail: {
      worst_process: worst ? worst.name : null,
      worst_pss_growth_pct: worstPss?.growth_pct ?? null,
      worst_pss_process: worstPss?.name ?? null,
      minutes,
      from_minute: fromMinute,
      anon_pss_mb_all_from: sum(first, 'anon_pss_mb'),
      anon_pss_mb_all_to: sum(last, 'anon_pss_mb'),
      pss_mb_all_from: sum(first, 'pss_mb'),
      pss_mb_all_to: sum(last, 'pss_mb'),
      rss_mb_all_from: sum(first, 'rss_mb'),
      rss_mb_all_to: sum(last, 'rss_mb'),
      library_rows: rows,
      rows_scrolled: driven.rowsScrolled,
      actions: driven.done,
      failed_actions: driven.errors.length,
      errors: driven.errors,
      processes,
      samples,
      method: `the release app (built with test-hooks, to reach the Twilio fake) driven over WebDriver for ${minutes} min by two signed-in users of ${rows} recordings each; /proc/<pid>/smaps_rollup of the app and every descendant read every 10 s, a minute's figure the median of its readings; value = the largest growth of own PSS (Pss_Anon + Pss_Shmem, what the process allocated) from minute ${fromMinute} to minute ${minutes} among processes of 5 MB or more; worst_pss_growth_pct the same for whole PSS, whose file-backed part (shared libraries) shrinks and grows as other processes, such as another app's WebKit (other_webkit_processes in each sample), map the same files`,
    },
  };
}

/** Every process's `field` (PSS unless said) each minute, as a text table (minutes down, processes across). */
export function minutesTable(samples, fromMinute, field = 'pss_mb', title = 'PSS') {
  const keys = [];
  for (const s of samples) for (const p of s.processes) if (!keys.includes(key(p))) keys.push(key(p));
  const head = ['minute', ...keys, `all ${title}`, 'all RSS', 'other WebKit'];
  const rows = samples.map((s) => {
    const by = new Map(s.processes.map((p) => [key(p), p]));
    return [
      `${s.minute}${s.minute === fromMinute ? ' *' : ''}`,
      ...keys.map((k) => (by.has(k) ? `${by.get(k)[field] ?? '?'}` : '')),
      `${sum(s, field)}`,
      `${sum(s, 'rss_mb')}`,
      `${s.other_webkit_processes ?? ''}`,
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r) => r.map((v, i) => (i === 0 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join('  ');
  return [`${title} in MB per process and minute (* = the minute growth is measured from; other WebKit = WebKit processes of other apps then)`, line(head), ...rows.map(line)].join('\n');
}
