// Proves provider.mjs + browser.mjs work with no app:  node --test tests/oidc/selftest.mjs
// A tiny http server stands in for the app's loopback /callback listener.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { once } from 'node:events';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { completeLogin, newBrowser, visit } from './browser.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const AUDIENCE = 'https://api.calldeck.test';

// Starts provider.mjs; resolves with its ready line once printed.
async function startProvider(env = {}) {
  const child = spawn(process.execPath, [path.join(HERE, 'provider.mjs')], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'], // stdin held open: EOF would stop it
  });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const line = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve(out.slice(0, out.indexOf('\n')));
    });
    child.on('exit', (code) => reject(new Error(`provider exited ${code}: ${stderr}`)));
  });
  return { child, ready: JSON.parse(line), stderr: () => stderr };
}

async function stopProvider(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM'); // our own child, by its PID
  await once(child, 'exit');
}

let provider; // { child, ready }
let issuer;
let discovery;
let listener; // stand-in for the app: { port, hits: [URL] }

before(async () => {
  provider = await startProvider();
  issuer = provider.ready.issuer;
  discovery = await (await fetch(new URL('.well-known/openid-configuration', issuer))).json();

  const hits = [];
  const server = http.createServer((req, res) => {
    hits.push(new URL(req.url, 'http://127.0.0.1'));
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<p>Signed in to CallDeck. You can close this tab.</p>');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  listener = { server, port: server.address().port, hits };
});

after(async () => {
  listener?.server.close();
  if (provider) await stopProvider(provider.child);
});

const b64url = (buf) => Buffer.from(buf).toString('base64url');

// An authorize URL the way the app builds it (PKCE S256, state, nonce, audience).
function authorizeRequest({ scope = 'openid profile email offline_access', port = listener.port,
  host = '127.0.0.1', clientId = 'calldeck-test', iss = issuer, extra = {} } = {}) {
  const verifier = b64url(crypto.randomBytes(32));
  const state = b64url(crypto.randomBytes(16));
  const nonce = b64url(crypto.randomBytes(16));
  const redirectUri = `http://${host}:${port}/callback`;
  const url = new URL('authorize', iss);
  url.search = new URLSearchParams({
    client_id: clientId,
    response_type: 'code',
    redirect_uri: redirectUri,
    scope,
    state,
    nonce,
    audience: AUDIENCE,
    code_challenge: b64url(crypto.createHash('sha256').update(verifier).digest()),
    code_challenge_method: 'S256',
    ...extra,
  }).toString();
  return { url: url.href, verifier, state, nonce, redirectUri, clientId };
}

async function tokenRequest(params, iss = issuer) {
  const res = await fetch(new URL('oauth/token', iss), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params),
  });
  return { status: res.status, body: await res.json() };
}

const exchange = (req, code, iss) => tokenRequest({
  grant_type: 'authorization_code', client_id: req.clientId, code, redirect_uri: req.redirectUri,
  code_verifier: req.verifier,
}, iss);

const refresh = (refreshToken, clientId = 'calldeck-test', iss = issuer) => tokenRequest({
  grant_type: 'refresh_token', client_id: clientId, refresh_token: refreshToken,
}, iss);

async function currentJwks(iss = issuer) {
  return (await fetch(new URL('.well-known/jwks.json', iss))).json();
}

// Full login as `login`: browser + callback check + code exchange.
async function signIn(login = 'alice', opts = {}) {
  const req = authorizeRequest(opts);
  const result = await completeLogin(req.url, { login });
  const cb = new URL(result.callbackUrl);
  assert.equal(cb.searchParams.get('state'), req.state);
  assert.equal(cb.searchParams.get('iss'), opts.iss ?? issuer);
  const code = cb.searchParams.get('code');
  assert.ok(code, `no code in callback: ${cb.search}`);
  const tokens = await exchange(req, code, opts.iss);
  assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
  return { req, result, code, tokens: tokens.body };
}

async function verifyIdToken(idToken, { nonce, clientId = 'calldeck-test', iss = issuer } = {}) {
  const { payload, protectedHeader } = await jwtVerify(idToken, createLocalJWKSet(await currentJwks(iss)), {
    issuer: iss, audience: clientId, algorithms: ['RS256'],
  });
  if (nonce) assert.equal(payload.nonce, nonce);
  return { payload, kid: protectedHeader.kid };
}

test('discovery: Auth0 paths, issuer with trailing slash, S256 only', () => {
  assert.match(issuer, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  assert.equal(discovery.issuer, issuer);
  assert.equal(discovery.authorization_endpoint, `${issuer}authorize`);
  assert.equal(discovery.token_endpoint, `${issuer}oauth/token`);
  assert.equal(discovery.jwks_uri, `${issuer}.well-known/jwks.json`);
  assert.equal(discovery.userinfo_endpoint, `${issuer}userinfo`);
  assert.equal(discovery.end_session_endpoint, `${issuer}v2/logout`);
  assert.deepEqual(discovery.code_challenge_methods_supported, ['S256']);
  for (const s of ['openid', 'profile', 'email', 'offline_access']) assert.ok(discovery.scopes_supported.includes(s));
});

test('health endpoint', async () => {
  assert.equal((await fetch(new URL('__test/health', issuer))).status, 200);
});

test('login on an arbitrary loopback port: verified id_token with profile claims, refresh token, userinfo', async () => {
  const { req, result, tokens } = await signIn('alice');
  // the browser delivered the callback to the app's listener and got its page
  assert.equal(result.status, 200);
  assert.match(result.body, /Signed in to CallDeck/);
  assert.equal(listener.hits.at(-1).pathname, '/callback');

  assert.ok(tokens.refresh_token, 'refresh token issued without the app sending prompt=consent');
  assert.equal(tokens.token_type, 'Bearer');
  assert.equal(tokens.expires_in, 600);
  assert.deepEqual(tokens.scope.split(' ').sort(), ['email', 'offline_access', 'openid', 'profile']);

  const { payload } = await verifyIdToken(tokens.id_token, { nonce: req.nonce });
  assert.equal(payload.sub, 'alice');
  assert.equal(payload.name, 'Alice Example');
  assert.equal(payload.email, 'alice@example.test');
  assert.equal(payload.email_verified, true);
  assert.equal(payload.picture, `${issuer}avatar/alice.png`);
  assert.equal((await fetch(payload.picture)).headers.get('content-type'), 'image/png');

  const info = await (await fetch(discovery.userinfo_endpoint, {
    headers: { authorization: `Bearer ${tokens.access_token}` },
  })).json();
  assert.equal(info.sub, 'alice');
  assert.equal(info.email, 'alice@example.test');
});

test('replaying an authorization code fails with invalid_grant', async () => {
  const { req, code } = await signIn('carol');
  const again = await exchange(req, code);
  assert.equal(again.status, 400);
  assert.equal(again.body.error, 'invalid_grant');
});

test('PKCE is required: wrong verifier and missing challenge are rejected', async () => {
  const req = authorizeRequest();
  const { callbackUrl } = await completeLogin(req.url, { login: 'dave', followCallback: false });
  const code = new URL(callbackUrl).searchParams.get('code');
  const bad = await exchange({ ...req, verifier: b64url(crypto.randomBytes(32)) }, code);
  assert.equal(bad.body.error, 'invalid_grant');

  const noPkce = new URL(authorizeRequest().url);
  noPkce.searchParams.delete('code_challenge');
  noPkce.searchParams.delete('code_challenge_method');
  const res = await completeLogin(noPkce.href, { followCallback: false });
  // the error goes back to the app's redirect URI, as in Auth0
  assert.equal(new URL(res.callbackUrl).searchParams.get('error'), 'invalid_request');
});

test('no offline_access: no refresh token', async () => {
  const { tokens } = await signIn('erin', { scope: 'openid profile email' });
  assert.equal(tokens.refresh_token, undefined);
});

test('refresh rotates the refresh token; reusing the old one fails and revokes the grant', async () => {
  const { tokens } = await signIn('frank');
  const first = await refresh(tokens.refresh_token);
  assert.equal(first.status, 200, JSON.stringify(first.body));
  assert.ok(first.body.refresh_token);
  assert.notEqual(first.body.refresh_token, tokens.refresh_token);
  assert.ok(first.body.access_token);
  const { payload } = await verifyIdToken(first.body.id_token);
  assert.equal(payload.name, 'Frank Example');

  const reused = await refresh(tokens.refresh_token);
  assert.equal(reused.status, 400);
  assert.equal(reused.body.error, 'invalid_grant');
  // reuse detection revoked the whole grant, so the rotated token is dead too
  const after = await refresh(first.body.refresh_token);
  assert.equal(after.body.error, 'invalid_grant');
});

test('redirect URIs: any port on 127.0.0.1, but not localhost nor another path', async () => {
  for (const [opts, what] of [[{ host: 'localhost' }, 'localhost'], [{}, 'other path']]) {
    const req = authorizeRequest(opts);
    const url = what === 'other path' ? req.url.replace('%2Fcallback', '%2Fother') : req.url;
    await assert.rejects(completeLogin(url, { followCallback: false }), /redirect_uri did not match/);
  }
});

test('key rotation: new logins signed with the new key, old refresh tokens still work, drop-old-keys', async () => {
  const before = await signIn('grace');
  const oldKid = decodeProtectedHeader(before.tokens.id_token).kid;

  const rotated = await (await fetch(new URL('__test/rotate-keys', issuer), { method: 'POST' })).json();
  assert.ok(rotated.kid);
  assert.notEqual(rotated.kid, oldKid);
  assert.deepEqual((await currentJwks()).keys.map((k) => k.kid), [rotated.kid, oldKid]);
  // a token signed before the rotation still verifies while the old key is listed
  await verifyIdToken(before.tokens.id_token);

  const after = await signIn('heidi');
  assert.equal((await verifyIdToken(after.tokens.id_token, { nonce: after.req.nonce })).kid, rotated.kid);

  const refreshed = await refresh(before.tokens.refresh_token);
  assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
  assert.equal(decodeProtectedHeader(refreshed.body.id_token).kid, rotated.kid);

  await fetch(new URL('__test/drop-old-keys', issuer), { method: 'POST' });
  assert.deepEqual((await currentJwks()).keys.map((k) => k.kid), [rotated.kid]);
  await assert.rejects(verifyIdToken(before.tokens.id_token), { code: 'ERR_JWKS_NO_MATCHING_KEY' });
  const again = await refresh(refreshed.body.refresh_token);
  assert.equal(again.status, 200, JSON.stringify(again.body));
});

test('browser session: SSO on a second login; Auth0 /v2/logout with returnTo ends it', async () => {
  const browser = newBrowser();
  const signInWith = async (login) => {
    const req = authorizeRequest();
    const { callbackUrl } = await completeLogin(req.url, { login, browser, followCallback: false });
    const tokens = (await exchange(req, new URL(callbackUrl).searchParams.get('code'))).body;
    return (await verifyIdToken(tokens.id_token, { nonce: req.nonce })).payload.sub;
  };
  assert.equal(await signInWith('judy'), 'judy');
  assert.equal(await signInWith('other'), 'judy', 'the provider session skips the login page');

  const url = new URL('v2/logout', issuer);
  url.search = new URLSearchParams({
    client_id: 'calldeck-test', returnTo: `http://127.0.0.1:${listener.port}/signed-out`,
  }).toString();
  const res = await visit(url.href, { browser });
  assert.equal(new URL(res.url).pathname, '/signed-out');
  assert.equal(listener.hits.at(-1).pathname, '/signed-out');
  assert.equal(await signInWith('kim'), 'kim', 'signed out: the login page is shown again');

  // without a provider session (a fresh browser) logout still redirects
  await visit(url.href);
  assert.equal(listener.hits.at(-1).pathname, '/signed-out');
});

function runBrowserCli(args, env = {}) {
  const child = spawn(process.execPath, [path.join(HERE, 'browser.mjs'), ...args], {
    env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  return once(child, 'exit').then(([code]) => ({ code, stderr }));
}

test('browser CLI: --login, OIDC_BROWSER_LOGIN_FILE, one-line failure', async () => {
  let req = authorizeRequest();
  let run = await runBrowserCli([req.url, '--login', 'bob']);
  assert.equal(run.code, 0, run.stderr);
  let code = listener.hits.at(-1).searchParams.get('code');
  let tokens = (await exchange(req, code)).body;
  assert.equal((await verifyIdToken(tokens.id_token)).payload.name, 'Bob Example');

  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'oidc-')), 'login');
  fs.writeFileSync(file, 'mallory\n');
  req = authorizeRequest();
  run = await runBrowserCli([req.url], { OIDC_BROWSER_LOGIN_FILE: file });
  assert.equal(run.code, 0, run.stderr);
  code = listener.hits.at(-1).searchParams.get('code');
  tokens = (await exchange(req, code)).body;
  assert.equal((await verifyIdToken(tokens.id_token)).payload.sub, 'mallory');
  fs.rmSync(path.dirname(file), { recursive: true });

  run = await runBrowserCli([authorizeRequest({ clientId: 'nope' }).url]);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /^browser\.mjs: .*invalid_client.*\n$/);
});

test('env OIDC_CLIENT_ID and OIDC_ACCESS_TTL; a closed stdin stops the provider', async () => {
  const other = await startProvider({ OIDC_CLIENT_ID: 'other-client', OIDC_ACCESS_TTL: '5' });
  try {
    const iss = other.ready.issuer;
    const { tokens } = await signIn('ivan', { clientId: 'other-client', iss });
    assert.equal(tokens.expires_in, 5);
    await verifyIdToken(tokens.id_token, { clientId: 'other-client', iss });
    assert.doesNotMatch(other.stderr(), /[?&](code|state)=/, 'request log has no query strings');
    other.child.stdin.end();
    const [code] = await once(other.child, 'exit');
    assert.equal(code, 0);
  } finally {
    await stopProvider(other.child);
  }
});
