// Scripted "system browser" for CallDeck tests: completes a login at the test
// provider (provider.mjs) with no human, like a person clicking through it.
//
// CLI:    node tests/oidc/browser.mjs <url> [--login NAME]
//   /authorize URL: logs in as NAME (else the trimmed content of the file named
//   by $OIDC_BROWSER_LOGIN_FILE, else "alice"), confirms consent and GETs the
//   redirect to the app's loopback redirect_uri.
//   Any other URL (e.g. /v2/logout?...): GETs it, following redirects and
//   submitting the self-submitting sign-out form.
//   Exit 0 on success; 1 with a one-line reason on stderr on failure.
// Module: completeLogin(authorizeUrl, { login, followCallback, browser }) -> { callbackUrl, status, body }
//         visit(url, { browser }) -> { url, status, body }
//         newBrowser() -> a browser (cookie jar) to share between calls, e.g. to
//         sign in, sign out and sign in again in one browser session; by default
//         each call uses a fresh one (so each CLI run starts signed out).
import * as fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const REQUEST_TIMEOUT_MS = 10_000;
const RUN_TIMEOUT_MS = 60_000;
const MAX_STEPS = 25; // redirects + form posts; a login needs about 8
const PASSWORD = 'any-password'; // the provider accepts any password

// ---------------------------------------------------------------------------
// Cookie jar (RFC 6265 subset): host-only cookies, Path matching, expiry.
// Like a real browser, cookies do not depend on the port.
class CookieJar {
  #cookies = new Map(); // "host|path|name" -> { host, path, name, value, expires }

  store(url, response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq < 1) continue;
      const cookie = {
        host: url.hostname,
        path: defaultPath(url.pathname),
        name: pair.slice(0, eq).trim(),
        value: pair.slice(eq + 1).trim(),
        expires: Infinity,
      };
      for (const attr of attrs) {
        const [k, ...v] = attr.split('=');
        const key = k.trim().toLowerCase();
        const val = v.join('=').trim();
        if (key === 'path' && val.startsWith('/')) cookie.path = val;
        else if (key === 'max-age') cookie.expires = Date.now() + Number(val) * 1000;
        else if (key === 'expires' && cookie.expires === Infinity) cookie.expires = Date.parse(val);
      }
      const id = `${cookie.host}|${cookie.path}|${cookie.name}`;
      if (cookie.expires <= Date.now()) this.#cookies.delete(id);
      else this.#cookies.set(id, cookie);
    }
  }

  header(url) {
    const now = Date.now();
    return [...this.#cookies.values()]
      .filter((c) => c.host === url.hostname && c.expires > now && pathMatches(url.pathname, c.path))
      .sort((a, b) => b.path.length - a.path.length)
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
  }
}

function defaultPath(path) {
  const slash = path.lastIndexOf('/');
  return slash <= 0 ? '/' : path.slice(0, slash);
}

function pathMatches(requestPath, cookiePath) {
  return requestPath === cookiePath
    || (requestPath.startsWith(cookiePath)
      && (cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/'));
}

// ---------------------------------------------------------------------------
// HTML forms, parsed just well enough for the provider's own pages.
const decode = (s) => s.replace(/&(amp|lt|gt|quot|#39|#(\d+));/g, (m, name, code) => (
  code ? String.fromCharCode(Number(code)) : { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" }[name]));

function attributes(tag) {
  const attrs = {};
  for (const m of tag.matchAll(/([\w:.-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g)) {
    attrs[m[1].toLowerCase()] = decode(m[2] ?? m[3] ?? m[4] ?? '');
  }
  return attrs;
}

function parseForms(html) {
  return [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)].map(([, tag, inner]) => {
    const attrs = attributes(tag);
    const fields = [...inner.matchAll(/<input\b([^>]*?)\/?>/gi)].map(([, t]) => attributes(t));
    return { action: attrs.action ?? '', method: (attrs.method ?? 'get').toUpperCase(), fields };
  });
}

// A one-line description of a page we did not expect (error pages put the
// reason in <p id="error">, see renderError in provider.mjs).
function describe(html) {
  const text = (re) => html.match(re)?.[1].replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim();
  return decode(text(/<p id="error">([\s\S]*?)<\/p>/i) ?? text(/<title>([\s\S]*?)<\/title>/i)
    ?? html.slice(0, 120).replace(/\s+/g, ' '));
}

// ---------------------------------------------------------------------------
class Browser {
  jar = new CookieJar();

  // Bounds one completeLogin/visit run.
  startRun() { this.runSignal = AbortSignal.timeout(RUN_TIMEOUT_MS); }

  // One request, no redirect following. form: URLSearchParams for a POST.
  async request(url, form) {
    const target = new URL(url);
    const headers = { 'user-agent': 'calldeck-test-browser' };
    const cookie = this.jar.header(target);
    if (cookie) headers.cookie = cookie;
    if (form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const signal = AbortSignal.any([this.runSignal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]);
    const what = `${form ? 'POST' : 'GET'} ${target.origin}${target.pathname}`; // no query: it holds codes
    let response;
    let body;
    try {
      response = await fetch(target, { method: form ? 'POST' : 'GET', headers, body: form, redirect: 'manual', signal });
      body = await response.text();
    } catch (err) {
      if (this.runSignal.aborted) throw new Error(`whole run exceeded ${RUN_TIMEOUT_MS / 1000} s at ${what}`);
      if (signal.aborted) throw new Error(`${what} timed out after ${REQUEST_TIMEOUT_MS / 1000} s`);
      throw new Error(`${what} failed: ${err.cause?.code ?? err.cause?.message ?? err.message}`);
    }
    this.jar.store(target, response);
    const location = response.headers.get('location');
    return {
      url: target.href,
      what,
      status: response.status,
      body,
      // 301/302/303 after a POST become GETs, as in browsers; 307/308 keep the method.
      redirect: location && response.status >= 300 && response.status < 400
        ? { url: new URL(location, target).href, keepsMethod: [307, 308].includes(response.status) }
        : undefined,
    };
  }

  // The request that submitting `form` (found on the page at pageUrl) makes.
  submit(pageUrl, form, values) {
    const data = new URLSearchParams();
    for (const field of form.fields) {
      if (!field.name || field.type === 'submit') continue;
      data.append(field.name, values[field.name] ?? field.value ?? '');
    }
    const url = new URL(form.action || pageUrl, pageUrl).href;
    if (form.method === 'POST') return { url, form: data };
    const get = new URL(url);
    get.search = data.toString();
    return { url: get.href };
  }
}

function isRedirectTarget(url, redirectUri) {
  const u = new URL(url);
  return `${u.origin}${u.pathname}` === `${redirectUri.origin}${redirectUri.pathname}`;
}

export function newBrowser() { return new Browser(); }

export async function completeLogin(authorizeUrl, { login = 'alice', followCallback = true, browser = new Browser() } = {}) {
  const start = new URL(authorizeUrl);
  const redirectParam = start.searchParams.get('redirect_uri');
  if (!redirectParam) throw new Error('authorize URL has no redirect_uri');
  const redirectUri = new URL(redirectParam);
  browser.startRun();
  const values = { login, password: PASSWORD };

  let next = { url: start.href };
  for (let step = 0; step < MAX_STEPS; step += 1) {
    if (isRedirectTarget(next.url, redirectUri)) {
      if (!followCallback) return { callbackUrl: next.url };
      const res = await browser.request(next.url);
      return { callbackUrl: next.url, status: res.status, body: res.body };
    }
    const res = await browser.request(next.url, next.form);
    if (res.redirect) {
      next = { url: res.redirect.url, form: res.redirect.keepsMethod ? next.form : undefined };
      continue;
    }
    // The login page (login + password) and the consent page (Continue).
    const form = res.status === 200 && parseForms(res.body).find((f) => f.method === 'POST');
    if (!form) throw new Error(`${res.what} answered ${res.status}: ${describe(res.body)}`);
    next = browser.submit(res.url, form, values);
  }
  throw new Error(`no redirect to ${redirectUri.origin}${redirectUri.pathname} after ${MAX_STEPS} steps`);
}

// GET a URL like a browser: follow redirects and submit the provider's
// self-submitting forms (POST forms with only hidden fields: the sign-out
// page), until a page without one.
export async function visit(url, { browser = new Browser() } = {}) {
  browser.startRun();
  let next = { url: new URL(url).href };
  for (let step = 0; step < MAX_STEPS; step += 1) {
    const res = await browser.request(next.url, next.form);
    if (res.redirect) {
      next = { url: res.redirect.url, form: res.redirect.keepsMethod ? next.form : undefined };
      continue;
    }
    const form = res.status === 200 && parseForms(res.body)
      .find((f) => f.method === 'POST' && f.fields.every((i) => i.type === 'hidden' || i.type === 'submit'));
    if (form) {
      next = browser.submit(res.url, form, {});
      continue;
    }
    if (res.status >= 400) throw new Error(`${res.what} answered ${res.status}: ${describe(res.body)}`);
    return { url: res.url, status: res.status, body: res.body };
  }
  throw new Error(`still redirecting after ${MAX_STEPS} steps`);
}

function loginName(cliLogin) {
  if (cliLogin) return cliLogin;
  const file = process.env.OIDC_BROWSER_LOGIN_FILE;
  if (file) {
    const name = fs.readFileSync(file, 'utf8').trim();
    if (!name) throw new Error(`login file ${file} is empty`);
    return name;
  }
  return 'alice';
}

async function main() {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { login: { type: 'string' } } });
  if (positionals.length !== 1) throw new Error('usage: browser.mjs <url> [--login NAME]');
  const url = new URL(positionals[0]);
  if (url.pathname === '/authorize') {
    const login = loginName(values.login);
    const { callbackUrl, status } = await completeLogin(url.href, { login });
    const cb = new URL(callbackUrl);
    const error = cb.searchParams.get('error');
    process.stderr.write(`browser.mjs: signed in as ${login}; ${cb.origin}${cb.pathname}`
      + `${error ? ` (error=${error})` : ''} answered ${status}\n`);
  } else {
    const res = await visit(url.href);
    const final = new URL(res.url);
    process.stderr.write(`browser.mjs: ${final.origin}${final.pathname} answered ${res.status}\n`);
  }
}

const invokedDirectly = process.argv[1]
  && import.meta.url === pathToFileURL(fs.realpathSync(process.argv[1])).href;
if (invokedDirectly) {
  main().then(() => process.exit(0), (err) => {
    process.stderr.write(`browser.mjs: ${String(err.message ?? err).split('\n')[0]}\n`);
    process.exit(1);
  });
}
