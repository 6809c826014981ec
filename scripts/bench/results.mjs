// target/bench/results.json: a JSON list of {name, value, unit, target[, peer, ratio, detail]}
// shared by every benchmark. Each one merges its entries by name and keeps the others'.

import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Reads the list (empty if the file does not exist; an error if it is not a list). */
export async function readResults(file) {
  let text;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (error.code === 'ENOENT') return [];
    throw error;
  }
  let list;
  try {
    list = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file} is not valid JSON (${error.message}); fix or remove it, other benchmarks' figures are in it`);
  }
  if (!Array.isArray(list)) throw new Error(`${file} should hold a JSON list of results`);
  return list;
}

/** Replaces entries with the same name in place, appends new ones; writes atomically. */
export async function mergeResults(file, entries) {
  const list = await readResults(file);
  for (const entry of entries) {
    const at = list.findIndex((e) => e?.name === entry.name);
    if (at >= 0) list[at] = entry;
    else list.push(entry);
  }
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(list, null, 2)}\n`);
  await rename(tmp, file);
  return list;
}

function cell(value) {
  if (value === undefined || value === null) return '';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(Math.abs(value) < 10 ? 2 : 1);
  return String(value);
}

/** A one-line summary of an entry's `detail` (an object or a string); lists and `method` are left to the JSON. */
function summary(detail) {
  if (detail === undefined || detail === null) return '';
  if (typeof detail !== 'object') return String(detail);
  return Object.entries(detail)
    .filter(([k, v]) => k !== 'method' && (v === null || typeof v !== 'object'))
    .map(([k, v]) => `${k}=${cell(v)}`)
    .join(' ');
}

/** The entries as an aligned text table. */
export function formatTable(list) {
  const columns = ['name', 'value', 'unit', 'target', 'peer', 'ratio', 'detail'];
  const numeric = new Set(['value', 'target', 'peer', 'ratio']);
  const rows = list.map((e) => columns.map((c) => (c === 'detail' ? summary(e?.detail) : cell(e?.[c]))));
  const widths = columns.map((c, i) => Math.max(c.length, ...rows.map((r) => r[i].length)));
  const line = (r) =>
    r
      .map((v, i) => (i === r.length - 1 ? v : numeric.has(columns[i]) ? v.padStart(widths[i]) : v.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(columns), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
