// The soak: `make soak` (scripts/bench/soak.mjs <release binary with test-hooks>).
//
//   soak_pss_growth_pct   the release app driven over WebDriver for SOAK_MINUTES (20): per
//                         minute-rates that make, over 20 minutes, 100k rows scrolled, 300
//                         searches, 50 plays with seeks, 20 user switches, 10 syncs against the
//                         Twilio fake and 40 rounds of opening and closing every view. PSS (and
//                         RSS) of every process of the app (itself, WebKitWebProcess,
//                         WebKitNetworkProcess, …) is sampled each minute; the figure is the
//                         worst process's PSS growth from minute SOAK_FROM_MINUTE (5, or a
//                         quarter of a shorter run) to the last, each process's beside it.
//
// Two users (alice, bob) sign in through the loopback OpenID provider (tests/oidc) and each
// syncs the same loopback Twilio fake (tests/e2e/twilio-fake.mjs) serving SOAK_ROWS (100,000)
// recordings, before the clock starts. Everything runs on a private Xvfb with a throwaway
// data folder; the result is merged into target/bench/results.json, the minutes are printed.

import { closeSync, openSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

import { signInEnv, startProvider } from '../../tests/e2e/oidc.mjs';
import { ACCOUNT_SID, AUTH_TOKEN, makeRecordings, startTwilioFake } from '../../tests/e2e/twilio-fake.mjs';
import { newSession, tauriCapabilities, waitForDriver, writeLauncher } from '../../tests/e2e/webdriver.mjs';
import { freePortPair, installExitGuard, start, startXvfb, stop } from './procs.mjs';
import { formatTable, mergeResults } from './results.mjs';
import { Driver } from './soak-drive.mjs';
import { minuteSample, minutesTable, pageProbe, sampleTree, soakEntry } from './soak-report.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const OUT = join(ROOT, 'target', 'bench');
const LOGS = join(OUT, 'logs');
const RESULTS = join(OUT, 'results.json');
const MINUTES = Number(process.env.SOAK_MINUTES ?? 20);
const FROM_MINUTE = Number(process.env.SOAK_FROM_MINUTE ?? Math.max(1, Math.round(MINUTES / 4)));
const ROWS = Number(process.env.SOAK_ROWS ?? 100_000);
/** What 20 minutes hold; a shorter or longer run keeps the same rates. */
const PER_20_MINUTES = { scroll: 100_000 / 250, search: 300, play: 50, switch: 20, sync: 10, views: 40 };
const ROWS_PER_SCROLL = 250;
/**
 * SOAK_ONLY=play,switch: only these activities, back to back with no pacing (to find which
 * one a growth comes with). The figure then measures that, not the soak.
 */
const ONLY = (process.env.SOAK_ONLY ?? '').split(',').filter(Boolean);
/** Recordings the fake lists anew before each sync, so that every sync has something to do. */
const NEW_PER_SYNC = 3;
const MAX_ERRORS = 10;
/** Memory is read this often; a minute's figure is the median of its readings (GC comes in waves). */
const SAMPLE_EVERY_S = 10;

const log = (message) => process.stderr.write(`soak: ${new Date().toISOString().slice(11, 19)} ${message}\n`);
const $ = (id) => `[data-testid="${id}"]`;

/** Signs `login` in (the scripted browser reads the login file), connects Twilio and syncs everything. */
async function signInAndSync(session, driver, loginFile, login, name, first) {
  await writeFile(loginFile, login);
  if (first) await driver.click($('sign-in'));
  else {
    await driver.click($('account-button'));
    await driver.click($('add-account'));
  }
  await driver.wait(async () => (await driver.domText($('account-button')))?.includes(name), `${name} signed in`);
  await driver.click($('nav-settings'));
  await (await session.waitForElement($('twilio-account-sid'), { message: 'the Twilio form' })).sendKeys(ACCOUNT_SID);
  await (await session.waitForElement($('twilio-secret'), { message: 'the Twilio secret' })).sendKeys(AUTH_TOKEN);
  await driver.click($('twilio-connect'));
  await driver.wait(async () => (await driver.domText($('twilio-settings')))?.includes('Connected'), 'Twilio connected');
  const started = Date.now();
  await driver.click($('sync-button'));
  await driver.wait(async () => (await driver.domText($('sync-result')))?.includes(`${ROWS} new`), `${name}'s first sync of ${ROWS}`, 15 * 60_000);
  log(`${name}: first sync of ${ROWS} recordings in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  await driver.toLibrary();
}

/** Drives the window until `endAt`, each activity kept at its rate; returns what was done. */
async function drive(driver, session, endAt, startedAt) {
  const done = Object.fromEntries(Object.keys(PER_20_MINUTES).map((k) => [k, 0]));
  const errors = [];
  const actions = {
    scroll: () => driver.scroll(ROWS_PER_SCROLL),
    search: () => driver.search(),
    play: () => driver.play(),
    switch: () => driver.switchUser(),
    sync: () => driver.sync(),
    views: () => driver.views(),
  };
  while (Date.now() < endAt) {
    const share = (Date.now() - startedAt) / (20 * 60_000);
    // The activity furthest behind its rate goes next (each may run one ahead).
    let next = null;
    let worst = 0;
    for (const [name, total] of Object.entries(PER_20_MINUTES)) {
      if (ONLY.length > 0 && !ONLY.includes(name)) continue;
      const behind = ONLY.length > 0 ? 1e9 - done[name] : total * share + 1 - done[name];
      if (behind > worst) [next, worst] = [name, behind];
    }
    if (!next) {
      await sleep(200);
      continue;
    }
    try {
      await actions[next]();
      done[next] += 1;
    } catch (error) {
      errors.push(`${next}: ${error.message}`);
      log(`${next} failed (${errors.length}): ${error.message}`);
      await session.screenshot(join(LOGS, `soak-error-${errors.length}.png`)).catch(() => {});
      if (errors.length >= MAX_ERRORS) throw new Error(`${errors.length} actions failed; the last: ${error.message}`);
      done[next] += 1;
      await driver.recover().catch((e) => log(`recovery failed: ${e.message}`));
    }
  }
  return { done, errors, rowsScrolled: driver.rowsScrolled };
}

async function main() {
  const bin = process.argv[2];
  if (!bin || !isAbsolute(bin)) throw new Error('usage: node scripts/bench/soak.mjs <absolute path to a release binary built with --features test-hooks>');
  const unknown = ONLY.filter((a) => !(a in PER_20_MINUTES));
  if (unknown.length > 0) throw new Error(`SOAK_ONLY names no activity: ${unknown.join(', ')} (there are ${Object.keys(PER_20_MINUTES).join(', ')})`);
  if (!(MINUTES >= 2) || !(FROM_MINUTE >= 0 && FROM_MINUTE < MINUTES)) {
    throw new Error(`SOAK_MINUTES (${MINUTES}) must be at least 2 and SOAK_FROM_MINUTE (${FROM_MINUTE}) below it`);
  }
  installExitGuard();
  await mkdir(LOGS, { recursive: true });
  const work = await mkdtemp(join(tmpdir(), 'calldeck-soak-'));
  const keep = process.env.SOAK_KEEP_WORK === '1';
  if (!keep) process.on('exit', () => rmSync(work, { recursive: true, force: true }));
  const dataDir = join(work, 'data');
  await mkdir(dataDir);
  const loginFile = join(work, 'login.txt');
  await writeFile(loginFile, 'alice');

  const recordings = makeRecordings(ROWS);
  const fake = await startTwilioFake(recordings, 1000);
  const provider = await startProvider();
  let xvfb;
  let driverProc;
  let session;
  let result;
  try {
    xvfb = await startXvfb();
    const env = { ...process.env, DISPLAY: xvfb.display, GDK_BACKEND: 'x11', CALLDECK_DATA_DIR: join(work, 'default-data') };
    delete env.WAYLAND_DISPLAY;
    const port = await freePortPair();
    const driverLog = openSync(join(LOGS, 'soak-tauri-driver.log'), 'w');
    driverProc = start('tauri-driver', ['--port', String(port), '--native-port', String(port + 1), '--native-host', '127.0.0.1'], {
      env,
      stdio: ['ignore', driverLog, driverLog],
    });
    closeSync(driverLog);
    const url = `http://127.0.0.1:${port}`;
    await waitForDriver(url);
    const launcher = await writeLauncher(join(work, 'calldeck.sh'), bin, {
      CALLDECK_DATA_DIR: dataDir,
      CALLDECK_TWILIO_BASE_URL: fake.baseUrl,
      ...(await signInEnv(provider.issuer, loginFile)),
    }, join(LOGS, 'soak-app.log'));
    session = await newSession(url, tauriCapabilities(launcher));
    const appPid = Number((await readFile(`${launcher}.pid`, 'utf8')).trim());

    // Each user's next sync finds what the fake listed since their last one.
    const unseen = new Map([['Alice', 0], ['Bob', 0]]);
    const syncExpect = (user) => {
      for (let i = 0; i < NEW_PER_SYNC; i++) {
        const [r] = makeRecordings(1, Date.now() - 1_000);
        const n = recordings.length + 1;
        recordings.unshift({ ...r, sid: `RE${String(n).padStart(32, 'f')}`, call_sid: `CA${String(n).padStart(32, 'f')}` });
      }
      for (const name of unseen.keys()) unseen.set(name, unseen.get(name) + NEW_PER_SYNC);
      const expected = unseen.get(user);
      unseen.set(user, 0);
      return expected;
    };
    const driver = new Driver(session, { users: ['Alice', 'Bob'], syncExpect, log });
    log(`app pid ${appPid}; signing in alice and bob, each syncing ${ROWS} recordings`);
    await signInAndSync(session, driver, loginFile, 'alice', 'Alice', true);
    await signInAndSync(session, driver, loginFile, 'bob', 'Bob', false);
    driver.current = 1;
    await driver.switchUser();

    log(`driving for ${MINUTES} minutes; memory read every ${SAMPLE_EVERY_S} s`);
    const startedAt = Date.now();
    const endAt = startedAt + MINUTES * 60_000;
    const raw = [];
    const samples = [];
    const sampler = (async () => {
      for (let i = 0; i <= (MINUTES * 60) / SAMPLE_EVERY_S; i++) {
        await sleep(Math.max(0, startedAt + i * SAMPLE_EVERY_S * 1000 - Date.now()));
        raw.push(sampleTree(appPid, (i * SAMPLE_EVERY_S) / 60));
        if ((i * SAMPLE_EVERY_S) % 60 !== 0) continue;
        const s = minuteSample(raw, (i * SAMPLE_EVERY_S) / 60);
        s.page = await pageProbe(session).catch((e) => ({ error: e.message }));
        samples.push(s);
        log(`minute ${s.minute}: ${s.processes.map((p) => `${p.name} ${p.pss_mb} MB (own ${p.anon_pss_mb})`).join(', ')}; other WebKit processes ${s.other_webkit_processes}; page ${JSON.stringify(s.page)}`);
      }
    })();
    const driven = await drive(driver, session, endAt, startedAt);
    await sampler;
    await session.screenshot(join(LOGS, 'soak-end.png')).catch(() => {});
    result = { samples, driven };
  } finally {
    await session?.delete().catch((e) => log(`ending the session: ${e.message}`));
    if (driverProc) await stop(driverProc);
    if (xvfb) await stop(xvfb.handle);
    provider.stop();
    await fake.close();
    if (keep) log(`scratch kept in ${work}`);
    else await rm(work, { recursive: true, force: true });
  }

  const entry = soakEntry(result.samples, result.driven, { minutes: MINUTES, fromMinute: FROM_MINUTE, rows: ROWS });
  if (ONLY.length > 0) {
    // Not the soak: shown, kept in its own file, never merged into the benchmark's results.
    const file = join(LOGS, `soak-only-${ONLY.join('-')}.json`);
    await writeFile(file, `${JSON.stringify(entry, null, 2)}\n`);
    process.stdout.write(`${minutesTable(result.samples, FROM_MINUTE, 'anon_pss_mb', 'own (anonymous) PSS')}\n\nSOAK_ONLY=${ONLY.join(',')}: ${JSON.stringify(entry.detail.actions)}; written to ${file}\n`);
    return;
  }
  const all = await mergeResults(RESULTS, [entry]);
  const tables = [minutesTable(result.samples, FROM_MINUTE), minutesTable(result.samples, FROM_MINUTE, 'anon_pss_mb', 'own (anonymous) PSS')];
  process.stdout.write(`${tables.join('\n\n')}\n\n${formatTable(all.filter((e) => e.name === entry.name))}\n\nwritten to ${RESULTS}; logs in ${LOGS}\n`);
}

main().catch((error) => {
  log(`failed: ${error.message}`);
  process.exitCode = 1;
});
