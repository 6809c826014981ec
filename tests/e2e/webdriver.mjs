// A tiny W3C WebDriver client over fetch, for driving CallDeck through tauri-driver.
// Node 20 built-ins only: no npm dependencies.
//
//   const s = await newSession(url, tauriCapabilities(launcher));
//   const button = await s.waitForElement('[data-testid="open-demo"]');
//   await button.click();
//   await s.screenshot('target/e2e/shot.png');
//   await s.delete();

import { chmod, copyFile, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

/** The W3C key under which an element reference travels. */
export const ELEMENT_KEY = 'element-6066-11e4-a52e-4f735466cecf';

/** Default time a `waitFor` polls before it gives up. */
export const DEFAULT_WAIT_MS = 20_000;

/** Default time a single HTTP command may take (session creation starts the app). */
const DEFAULT_REQUEST_MS = 60_000;

/** An error answer from the remote end (`{"value":{"error":...,"message":...}}`). */
export class WebDriverError extends Error {
  constructor(method, path, status, value) {
    const error = value?.error ?? `HTTP ${status}`;
    super(`WebDriver ${method} ${path} failed: ${error}${value?.message ? `: ${value.message}` : ''}`);
    this.name = 'WebDriverError';
    this.error = error;
    this.status = status;
    this.value = value;
  }
}

/** Sends one WebDriver command and returns the `value` of its answer. */
export async function request(baseUrl, method, path, body, { timeoutMs = DEFAULT_REQUEST_MS } = {}) {
  const init = { method, signal: AbortSignal.timeout(timeoutMs), headers: {} };
  if (body !== undefined) {
    init.headers['content-type'] = 'application/json; charset=utf-8';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(new URL(path, baseUrl), init);
  } catch (cause) {
    throw new Error(`WebDriver ${method} ${path}: no answer from ${baseUrl} (${cause.message})`, { cause });
  }
  const text = await response.text();
  let json;
  try {
    json = text ? JSON.parse(text) : {};
  } catch {
    throw new WebDriverError(method, path, response.status, { error: 'invalid answer', message: text.slice(0, 300) });
  }
  if (!response.ok) {
    throw new WebDriverError(method, path, response.status, json.value);
  }
  return json.value;
}

/** Polls `GET /status` until the driver answers (it need not be `ready`: a session may exist). */
export async function waitForDriver(baseUrl, timeoutMs = DEFAULT_WAIT_MS) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      return await request(baseUrl, 'GET', '/status', undefined, { timeoutMs: 2_000 });
    } catch (error) {
      last = error;
    }
    await sleep(100);
  }
  throw new Error(`WebDriver at ${baseUrl} did not answer /status within ${timeoutMs} ms (${last?.message})`);
}

/** Capabilities that make tauri-driver launch `application` (absolute path) with `args`. */
export function tauriCapabilities(application, args = []) {
  return { alwaysMatch: { 'tauri:options': { application, args } } };
}

/**
 * Writes an executable shell launcher that starts `bin` with extra environment
 * variables and its stdout/stderr appended to `logFile`. WebKitWebDriver starts the
 * application with the driver's own environment, so this is how one session gets its
 * own CALLDECK_DATA_DIR (and how a test can read the app's log). `exec` keeps the PID,
 * which the launcher writes to `<path>.pid` (so a test can find the app's windows).
 */
export async function writeLauncher(path, bin, env = {}, logFile = '/dev/null') {
  const quote = (s) => `'${String(s).replaceAll("'", `'\\''`)}'`;
  const lines = ['#!/bin/sh', `echo $$ >${quote(`${path}.pid`)}`];
  for (const [key, value] of Object.entries(env)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new Error(`bad environment variable name: ${key}`);
    lines.push(`export ${key}=${quote(value)}`);
  }
  lines.push(`exec ${quote(bin)} "$@" >>${quote(logFile)} 2>&1`, '');
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, lines.join('\n'));
  await chmod(path, 0o755);
  return path;
}

/** Creates a session (this launches the app) and returns a `Session`. */
export async function newSession(baseUrl, capabilities, { timeoutMs = DEFAULT_REQUEST_MS } = {}) {
  const value = await request(baseUrl, 'POST', '/session', { capabilities }, { timeoutMs });
  if (!value?.sessionId) throw new Error(`WebDriver POST /session returned no sessionId: ${JSON.stringify(value)}`);
  return new Session(baseUrl, value.sessionId, value.capabilities);
}

/** Transient errors a wait keeps polling through (the UI re-renders under our feet). */
const RETRYABLE = new Set(['no such element', 'stale element reference', 'element not interactable', 'element click intercepted']);

export class Session {
  constructor(baseUrl, id, capabilities = {}) {
    this.baseUrl = baseUrl;
    this.id = id;
    this.capabilities = capabilities;
    this.deleted = false;
  }

  /** A command under `/session/{id}`. */
  command(method, path, body, options) {
    return request(this.baseUrl, method, `/session/${this.id}${path}`, body, options);
  }

  /** All elements matching a CSS selector (under `from`, an `Element`, if given). */
  async findAll(css, from) {
    const prefix = from ? `/element/${from.id}` : '';
    const value = await this.command('POST', `${prefix}/elements`, { using: 'css selector', value: css });
    return value.map((ref) => new Element(this, ref[ELEMENT_KEY]));
  }

  /** The first element matching a CSS selector, or null. */
  async find(css, from) {
    const prefix = from ? `/element/${from.id}` : '';
    try {
      const ref = await this.command('POST', `${prefix}/element`, { using: 'css selector', value: css });
      return new Element(this, ref[ELEMENT_KEY]);
    } catch (error) {
      if (error instanceof WebDriverError && error.error === 'no such element') return null;
      throw error;
    }
  }

  /** Runs `script` (a function body; `arguments` holds `args`) in the page. */
  execute(script, args = []) {
    return this.command('POST', '/execute/sync', { script, args });
  }

  /** Runs `script` in the page; it finishes by calling `arguments[arguments.length - 1](result)`. */
  executeAsync(script, args = []) {
    return this.command('POST', '/execute/async', { script, args });
  }

  /** Waits until the page has painted `count` more frames (so a screenshot is current). */
  nextFrames(count = 2) {
    return this.executeAsync(
      `const done = arguments[arguments.length - 1];
       let left = arguments[0];
       const step = () => (--left <= 0 ? done(true) : requestAnimationFrame(step));
       requestAnimationFrame(step);`,
      [count],
    );
  }

  /**
   * Takes a screenshot after two animation frames and writes it as PNG to `file`. WebKit's
   * automation answers a screenshot after the page's next presentation update, and a page
   * drawn without accelerated compositing sends none while idle (the sign-in screen waited
   * 60 s for one): a repaint that changes no pixel, scheduled just after the request, is
   * that update.
   */
  async screenshot(file) {
    await this.nextFrames(2);
    await this.execute(
      `setTimeout(() => {
         const s = document.documentElement.style;
         s.outline = s.outline ? '' : '1px solid transparent';
       }, 100);`,
    );
    const base64 = await this.command('GET', '/screenshot');
    const png = Buffer.from(base64, 'base64');
    if (png.length < 8 || png.readUInt32BE(0) !== 0x89504e47) {
      throw new Error(`screenshot for ${file} is not a PNG (${png.length} bytes)`);
    }
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, png);
    return file;
  }

  source() {
    return this.command('GET', '/source');
  }

  url() {
    return this.command('GET', '/url');
  }

  /**
   * Polls `probe` until it returns a truthy value and returns that value. Transient
   * WebDriver errors (stale or missing elements) count as "not yet". On timeout throws
   * an error naming `message`, the last observed state (`describe()`, if given) and
   * the last error.
   */
  async waitFor(probe, { message = 'condition', timeoutMs = DEFAULT_WAIT_MS, intervalMs = 200, describe } = {}) {
    const started = Date.now();
    let lastError;
    for (;;) {
      try {
        const value = await probe();
        if (value) return value;
        lastError = undefined;
      } catch (error) {
        if (!(error instanceof WebDriverError && RETRYABLE.has(error.error))) throw error;
        lastError = error;
      }
      if (Date.now() - started >= timeoutMs) break;
      await sleep(intervalMs);
    }
    let state = '';
    if (describe) {
      try {
        state = `; last state: ${await describe()}`;
      } catch (error) {
        state = `; last state unavailable (${error.message})`;
      }
    }
    const last = lastError ? `; last error: ${lastError.message}` : '';
    throw new Error(`Timed out after ${(timeoutMs / 1000).toFixed(1)} s waiting for ${message}${state}${last}`);
  }

  /** Waits for an element matching `css` and returns it. */
  waitForElement(css, options = {}) {
    return this.waitFor(() => this.find(css), { message: `an element matching ${css}`, ...options });
  }

  /** Waits until exactly `count` elements match `css` and returns them. */
  async waitForCount(css, count, options = {}) {
    let seen = 0;
    return this.waitFor(
      async () => {
        const found = await this.findAll(css);
        seen = found.length;
        return found.length === count ? found : null;
      },
      { message: `${count} elements matching ${css}`, describe: async () => `${seen} found`, ...options },
    );
  }

  /** Waits until the element matching `css` has text containing `needle`; returns the text. */
  async waitForText(css, needle, options = {}) {
    let seen = '(no such element)';
    return this.waitFor(
      async () => {
        const element = await this.find(css);
        if (!element) return null;
        seen = await element.text();
        return seen.includes(needle) ? seen : null;
      },
      { message: `${css} to contain ${JSON.stringify(needle)}`, describe: async () => JSON.stringify(seen.slice(0, 300)), ...options },
    );
  }

  /** Ends the session (this closes the app). Safe to call twice. */
  async delete() {
    if (this.deleted) return;
    this.deleted = true;
    await request(this.baseUrl, 'DELETE', `/session/${this.id}`);
  }
}

export class Element {
  constructor(session, id) {
    this.session = session;
    this.id = id;
  }

  click() {
    return this.session.command('POST', `/element/${this.id}/click`, {});
  }

  text() {
    return this.session.command('GET', `/element/${this.id}/text`);
  }

  /** Types `text` into the element (W3C Element Send Keys); `\uE00C` is Escape, `\uE007` Enter. */
  sendKeys(text) {
    return this.session.command('POST', `/element/${this.id}/value`, { text });
  }

  attribute(name) {
    return this.session.command('GET', `/element/${this.id}/attribute/${encodeURIComponent(name)}`);
  }

  find(css) {
    return this.session.find(css, this);
  }

  findAll(css) {
    return this.session.findAll(css, this);
  }
}

/** Where a path relative to the repository root lives (this file is tests/e2e/webdriver.mjs). */
export function repoPath(...parts) {
  return join(fileURLToPath(new URL('../../', import.meta.url)), ...parts);
}

/**
 * node:test steps that build on each other: once one fails, the rest are skipped with the
 * name of the one that broke, instead of failing for the same reason again.
 */
export function stepsOf(test) {
  let broken = null;
  return (name, fn) =>
    test(name, async (t) => {
      if (broken) return t.skip(`an earlier step failed: ${broken}`);
      try {
        await fn(t);
      } catch (error) {
        broken = name;
        throw error;
      }
    });
}

/** Reading and waiting on the page's text; `session()` gives the live session. */
export function pageText(session) {
  const domText = (css) =>
    session().execute(`const e = document.querySelector(arguments[0]); return e ? e.textContent : null;`, [css]);
  const waitForDomText = (css, needle, message) => {
    let seen = null;
    return session().waitFor(
      async () => {
        seen = await domText(css);
        return seen?.includes(needle) ? seen : null;
      },
      { message: message ?? `${css} to contain ${JSON.stringify(needle)}`, describe: async () => JSON.stringify(seen) },
    );
  };
  const type = async (css, text) => {
    const input = await session().waitForElement(css, { message: css });
    await input.sendKeys(text);
  };
  const click = async (css, message) => (await session().waitForElement(css, { message: message ?? css })).click();
  return { domText, waitForDomText, type, click };
}

/**
 * Starts the app for one test file, as tests/e2e/run.sh sets it up: a scratch folder with a
 * fresh data folder, a launcher with `env` (or `env(work)`, for settings that need the
 * scratch folder) and the app's output in a log, then a WebDriver session. `close()` ends
 * the session and copies the log to target/e2e/<name>-app.log.
 */
export async function launchApp(name, env = {}) {
  const bin = process.env.CALLDECK_BIN;
  if (!bin || !isAbsolute(bin)) {
    throw new Error(`CALLDECK_BIN must be the absolute path of the app binary (got ${JSON.stringify(bin)}); use tests/e2e/run.sh`);
  }
  const driver = process.env.WEBDRIVER_URL ?? 'http://127.0.0.1:4444';
  const out = process.env.E2E_OUT_DIR ?? repoPath('target', 'e2e');
  const work = await mkdtemp(join(process.env.E2E_WORK_DIR ?? tmpdir(), `${name}-`));
  const dataDir = join(work, 'data');
  await mkdir(dataDir);
  const appLog = join(work, 'app.log');
  const extra = typeof env === 'function' ? await env(work) : env;
  const launcher = await writeLauncher(join(work, 'calldeck.sh'), bin, { CALLDECK_DATA_DIR: dataDir, ...extra }, appLog);
  await waitForDriver(driver);
  const session = await newSession(driver, tauriCapabilities(launcher));
  const close = async () => {
    try {
      await session.delete();
    } finally {
      await mkdir(out, { recursive: true });
      await copyFile(appLog, join(out, `${name}-app.log`)).catch(() => {});
    }
  };
  const pid = async () => Number((await readFile(`${launcher}.pid`, 'utf8')).trim());
  return { session, work, dataDir, appLog, launcher, pid, close };
}
