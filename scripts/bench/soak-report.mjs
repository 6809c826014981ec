// The soak's samples and figure: PSS and RSS of every process of the app, each minute, and
// soak_pss_growth_pct, the worst process's growth between two minutes.

import { readFileSync } from 'node:fs';
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

/** `{ minute, at, processes: [{ name, pid, pss_mb, rss_mb }] }` for the app and every descendant. */
export function sampleTree(appPid, minute) {
  const pids = [appPid, ...descendants(appPid).map((d) => d.pid)];
  const processes = pids
    .map(memoryOf)
    .filter(Boolean)
    .map((p) => ({ name: nameOf(p.pid, p.name), pid: p.pid, pss_mb: p.pssKb === null ? null : mb(p.pssKb), rss_mb: mb(p.rssKb) }));
  return { minute, at: new Date().toISOString(), processes };
}

const key = (p) => `${p.name} (${p.pid})`;

/** Each process seen at both minutes, with its growth between them; the largest first. */
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
        rss_mb_from: b.rss_mb,
        rss_mb_to: p.rss_mb,
        rss_growth_pct: pct(b.rss_mb, p.rss_mb),
      };
    })
    .sort((a, b) => (b.growth_pct ?? -Infinity) - (a.growth_pct ?? -Infinity));
}

const sum = (sample, field) => round1(sample.processes.reduce((t, p) => t + (p[field] ?? 0), 0));

/** The results.json entry. */
export function soakEntry(samples, driven, { minutes, fromMinute, rows }) {
  const processes = growth(samples, fromMinute, minutes);
  // A process of a few MB (a sandbox's bwrap) moves by whole pages: its percentage says nothing.
  const counted = processes.filter((p) => (p.pss_mb_from ?? 0) >= 5);
  const worst = counted[0] ?? null;
  const first = samples.find((s) => s.minute === fromMinute);
  const last = samples.find((s) => s.minute === minutes);
  return {
    name: 'soak_pss_growth_pct',
    value: worst?.growth_pct ?? null,
    unit: '%',
    target: 15,
    detail: {
      worst_process: worst ? worst.name : null,
      minutes,
      from_minute: fromMinute,
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
      method: `the release app (built with test-hooks, to reach the Twilio fake) driven over WebDriver for ${minutes} min with two signed-in users of ${rows} recordings each; PSS from /proc/<pid>/smaps_rollup of the app and every descendant, sampled each minute; value = the largest PSS growth from minute ${fromMinute} to minute ${minutes} among processes of 5 MB or more`,
    },
  };
}

/** Every process's PSS each minute, as a text table (minutes down, processes across). */
export function minutesTable(samples, fromMinute) {
  const keys = [];
  for (const s of samples) for (const p of s.processes) if (!keys.includes(key(p))) keys.push(key(p));
  const head = ['minute', ...keys, 'all PSS', 'all RSS'];
  const rows = samples.map((s) => {
    const by = new Map(s.processes.map((p) => [key(p), p]));
    return [
      `${s.minute}${s.minute === fromMinute ? ' *' : ''}`,
      ...keys.map((k) => (by.has(k) ? `${by.get(k).pss_mb ?? '?'}` : '')),
      `${sum(s, 'pss_mb')}`,
      `${sum(s, 'rss_mb')}`,
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r) => r.map((v, i) => (i === 0 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join('  ');
  return ['PSS in MB per process and minute (* = the minute growth is measured from)', line(head), ...rows.map(line)].join('\n');
}
