// The real-window measurements of ui.mjs, timed inside the page: listeners and observers
// installed over WebDriver put performance marks and measures in the page, which the bench
// reads back when the run is over. WebDriver's own round trips are never inside a figure.
//
// "Painted" is the first task after the next animation frame that follows the change in
// the DOM: the frame's rendering (style, layout, paint) has run by then.

import { setTimeout as sleep } from 'node:timers/promises';

const round1 = (x) => Math.round(x * 10) / 10;

export function quantile(values, q) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length, Math.max(1, Math.ceil(q * s.length))) - 1];
}

function spread(values) {
  return { samples: values.length, p50: round1(quantile(values, 0.5)), p95: round1(quantile(values, 0.95)), max: round1(Math.max(...values)) };
}

/**
 * What people type into the box: names (a first name, a surname, both), the digits a number
 * starts with (as typed, and as written with its country code), and words said in calls.
 * Each is typed a character at a time, at a fast typist's pace.
 */
const QUERIES = ['okafor', 'maya', 'lindqvist', 'ana ruiz', '415', '+1 312', '2125', 'refund', 'invoice', 'warranty', 'chen', 'delivery'];
const TYPING_GAP_MS = Number(process.env.BENCH_UI_TYPING_GAP_MS ?? 110);

const INSTALL_SEARCH = `
  const bench = (window.__calldeckBench ??= {});
  const s = (bench.search = { keys: [], paints: [], latencies: [] });
  let last = null;
  const isBox = (t) => t instanceof HTMLElement && t.dataset.testid === 'search-input';
  // A printable key in the box: its time, then what it made of the text.
  document.addEventListener('keydown', (e) => {
    if (!isBox(e.target) || e.key.length !== 1 || e.ctrlKey || e.altKey || e.metaKey) return;
    const i = s.keys.length;
    performance.mark('search-key-' + i);
    s.keys.push({ t: performance.now(), text: null, painted: null });
  }, true);
  document.addEventListener('input', (e) => {
    const key = s.keys.at(-1);
    if (isBox(e.target) && key && key.text === null) key.text = e.target.value.trim();
  }, true);
  const painted = (text) => {
    const at = performance.now();
    s.paints.push({ text, at });
    // Every key still waiting up to the last one that asked for this text has its answer
    // on screen (a later text replaces what the earlier keys asked for).
    let j = -1;
    s.keys.forEach((k, i) => { if (k.text === text && k.t <= at) j = i; });
    for (let i = 0; i <= j; i++) {
      const k = s.keys[i];
      if (k.painted !== null) continue;
      k.painted = at;
      performance.measure('search-keystroke-to-paint-' + i, { start: k.t, end: at });
    }
  };
  new MutationObserver((records) => {
    for (const r of records) {
      const text = r.target.getAttribute('data-shown-search');
      if (text === null || text === last) continue;
      last = text;
      requestAnimationFrame(() => setTimeout(() => painted(text), 0));
    }
  }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['data-shown-search'] });
  last = document.querySelector('[data-shown-search]')?.getAttribute('data-shown-search') ?? null;
`;

const shownSearch = (session) => session.execute(`return document.querySelector('[data-shown-search]')?.getAttribute('data-shown-search') ?? null;`);

async function waitShown(session, text) {
  await session.waitFor(async () => (await shownSearch(session)) === text, { message: `the rows for the search ${JSON.stringify(text)}`, intervalMs: 50, timeoutMs: 30_000 });
}

export async function measureSearch(session, log) {
  await session.execute(INSTALL_SEARCH);
  const input = await session.waitForElement('[data-testid="search-input"]');
  for (const query of QUERIES) {
    await input.click();
    for (const ch of query) {
      await input.sendKeys(ch);
      await sleep(TYPING_GAP_MS);
    }
    await waitShown(session, query.trim());
    await sleep(300);
    await input.sendKeys('\uE00C'); // Escape clears the box
    await waitShown(session, '');
    await sleep(300);
  }
  const measures = await session.execute(
    `return performance.getEntriesByType('measure').filter((m) => m.name.startsWith('search-keystroke-to-paint-')).map((m) => m.duration);`,
  );
  const keys = await session.execute('return window.__calldeckBench.search.keys.length;');
  if (measures.length === 0) throw new Error('no keystroke was timed to a paint (is data-shown-search in the build?)');
  const s = spread(measures);
  log(`search: ${measures.length}/${keys} keystrokes timed, p50 ${s.p50} ms, p95 ${s.p95} ms, max ${s.max} ms`);
  return {
    name: 'ui_search_keystroke_to_paint_p95_ms_250k',
    value: s.p95,
    unit: 'ms',
    target: 50,
    detail: {
      ...s,
      keystrokes: keys,
      queries: QUERIES.join(', '),
      typing_gap_ms: TYPING_GAP_MS,
      method: `release app, 250,000 recordings; ${QUERIES.length} queries typed a key at a time over WebDriver; from each printable keydown in the search box (performance.mark) until the rows answering the text it made (or a later text) were painted (the list's data-shown-search, then a frame), performance.measure`,
    },
  };
}

const INSTALL_DETAILS = `
  const bench = (window.__calldeckBench ??= {});
  const d = (bench.details = { opens: [], pending: null });
  document.addEventListener('click', (e) => {
    const row = e.target instanceof Element ? e.target.closest('[data-testid="recording-row"]') : null;
    if (!row) return;
    performance.mark('details-open-' + d.opens.length);
    d.pending = { id: row.dataset.id, t: performance.now() };
  }, true);
  new MutationObserver(() => {
    const p = d.pending;
    if (!p || document.querySelector('[data-testid="details-panel"]')?.dataset.shownId !== p.id) return;
    d.pending = null;
    requestAnimationFrame(() => setTimeout(() => {
      const i = d.opens.length;
      const m = performance.measure('details-open-to-paint-' + i, { start: p.t, end: performance.now() });
      d.opens.push({ id: p.id, ms: m.duration });
    }, 0));
  }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-shown-id'] });
`;

const OPENS = 10;

const PICK_ROW = `
  const seen = new Set(arguments[0]);
  const scroll = document.querySelector('[data-virtual-scroll]');
  const view = scroll.getBoundingClientRect();
  const head = scroll.querySelector('thead').getBoundingClientRect().bottom;
  const pick = () => [...document.querySelectorAll('[data-testid="recording-row"]')].find((row) => {
    const r = row.getBoundingClientRect();
    return !seen.has(row.dataset.id) && r.top >= head && r.bottom <= view.bottom;
  });
  let row = pick();
  if (!row) {
    scroll.scrollTop += scroll.clientHeight - 60;
    scroll.dispatchEvent(new Event('scroll'));
  }
  return row ? row.dataset.id : null;
`;

export async function measureDetails(session, log) {
  await session.execute(INSTALL_DETAILS);
  const opened = () => session.execute('return window.__calldeckBench.details.opens.length;');
  // Half opened from the table alone (the panel appears), half while another's details show.
  const fromClosed = [];
  const switched = [];
  const seen = new Set();
  for (let i = 0; i < 2 * OPENS; i++) {
    // A row fully in view not opened before (its details are not cached yet); a page down when
    // every row in view has been opened.
    let id = null;
    for (let tries = 0; !id && tries < 5; tries++) {
      id = await session.execute(PICK_ROW, [[...seen]]);
      if (!id) await session.nextFrames(3);
    }
    if (!id) throw new Error('no row in view left to open');
    seen.add(id);
    const before = await opened();
    // WebKitWebDriver will not click a <tr> itself: click its number cell, as a hand would.
    await (await session.waitForElement(`[data-testid="recording-row"][data-id="${id}"] [data-testid="row-number"]`)).click();
    await session.waitFor(async () => (await opened()) > before, { message: `details of row ${id} painted`, intervalMs: 50 });
    const ms = await session.execute('return window.__calldeckBench.details.opens.at(-1).ms;');
    (i % 2 === 0 ? fromClosed : switched).push(ms);
    await sleep(250);
    if (i % 2 === 1) {
      await session.execute(`document.querySelector('[data-testid="details-panel"] button.close')?.click();`);
      await session.waitFor(async () => !(await session.find('[data-testid="details-panel"]')), { message: 'the details closed', intervalMs: 50 });
      await sleep(250);
    }
  }
  const all = [...fromClosed, ...switched];
  const s = spread(all);
  log(`details: p50 ${s.p50} ms, p95 ${s.p95} ms (opening the panel p50 ${round1(quantile(fromClosed, 0.5))}, switching p50 ${round1(quantile(switched, 0.5))})`);
  return {
    name: 'ui_open_details_ms',
    value: s.p95,
    unit: 'ms',
    target: 30,
    detail: {
      ...s,
      opening_p50: round1(quantile(fromClosed, 0.5)),
      switching_p50: round1(quantile(switched, 0.5)),
      method: `release app, 250,000 recordings; ${all.length} rows clicked over WebDriver, each opened once (half with the panel closed, half switching from another's details); from the click (performance.mark) until the panel showed that recording's details and a frame was painted; p95`,
    },
  };
}

const FLING_PX = Number(process.env.BENCH_UI_FLING_PX ?? 700);
const SCROLL_ROWS = 100_000;
const SCROLL_LIMIT_S = Number(process.env.BENCH_UI_SCROLL_LIMIT_S ?? 300);

const START_SCROLL = `
  const [step, rows, limitMs] = arguments;
  const bench = (window.__calldeckBench ??= {});
  const el = document.querySelector('[data-virtual-scroll]');
  const rowHeight = document.querySelector('[data-testid="recording-row"]').getBoundingClientRect().height;
  const s = (bench.scroll = { deltas: [], done: false, passed: 0, waitingFrames: 0, rowHeight, ms: 0 });
  let last = null;
  let started = null;
  const frame = (ts) => {
    if (last !== null) s.deltas.push(ts - last);
    last = ts;
    started ??= ts;
    s.ms = ts - started;
    s.passed = Math.floor((el.scrollTop + el.clientHeight) / rowHeight);
    const atEnd = el.scrollTop + el.clientHeight >= el.scrollHeight - 2;
    if ((atEnd && s.passed >= rows) || s.ms > limitMs) {
      s.done = true;
      return;
    }
    // At the end of the loaded rows the fling goes on as soon as the next slice is in.
    if (atEnd) s.waitingFrames++;
    el.scrollTop += step;
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
`;

export async function measureScroll(session, log) {
  await session.execute(START_SCROLL, [FLING_PX, SCROLL_ROWS, SCROLL_LIMIT_S * 1000]);
  let state;
  for (;;) {
    await sleep(2_000);
    state = await session.execute('const s = window.__calldeckBench.scroll; return { done: s.done, passed: s.passed, ms: s.ms, frames: s.deltas.length };');
    log(`scroll: ${state.passed} rows passed after ${(state.ms / 1000).toFixed(1)} s, ${state.frames} frames`);
    if (state.done) break;
  }
  const { deltas, waitingFrames, rowHeight } = await session.execute('return window.__calldeckBench.scroll;');
  const p99 = round1(quantile(deltas, 0.99));
  const over = (ms) => deltas.filter((d) => d > ms).length;
  log(`scroll: p99 frame ${p99} ms over ${deltas.length} frames (${over(32)} over 32 ms)`);
  return {
    name: 'ui_scroll_frame_p99_ms_100k',
    value: p99,
    unit: 'ms',
    target: 32,
    detail: {
      frames: deltas.length,
      p50: round1(quantile(deltas, 0.5)),
      p95: round1(quantile(deltas, 0.95)),
      max: round1(Math.max(...deltas)),
      frames_over_32ms: over(32),
      frames_over_50ms: over(50),
      rows_passed: state.passed,
      seconds: round1(state.ms / 1000),
      frames_waiting_for_rows: waitingFrames,
      fling_px_per_frame: FLING_PX,
      row_height_px: rowHeight,
      method: `release app, 100,000 recordings; the table scrolled ${FLING_PX} px every animation frame (loading its slices of 50 as it goes, as a fling does) from the top until the 100,000th row, or ${SCROLL_LIMIT_S} s; requestAnimationFrame deltas, p99`,
    },
  };
}
