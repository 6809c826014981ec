// Loopback OpenID provider for CallDeck tests: the certified `oidc-provider`
// configured to look like Auth0 (paths, trailing-slash issuer, refresh tokens
// for offline_access without prompt=consent, rotation), plus /__test control
// endpoints for key rotation.
//
//   node tests/oidc/provider.mjs [--port N]
//
// Prints exactly one JSON line on stdout when ready:
//   {"issuer":"http://127.0.0.1:PORT/","port":PORT}
// Stops on SIGTERM/SIGINT, or when stdin (if it is a pipe) reaches EOF.
import * as fs from 'node:fs';
import * as http from 'node:http';
import { parseArgs } from 'node:util';
import { calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';

// oidc-provider prints notices with console.info; stdout must carry only the
// ready line, so every console message goes to stderr.
console.info = console.log = console.error;

const { values: args } = parseArgs({ options: { port: { type: 'string', default: '0' } } });
const CLIENT_ID = process.env.OIDC_CLIENT_ID || 'calldeck-test';
const ACCESS_TTL = Number(process.env.OIDC_ACCESS_TTL || 600);
if (!Number.isInteger(ACCESS_TTL) || ACCESS_TTL <= 0) fail(`bad OIDC_ACCESS_TTL: ${process.env.OIDC_ACCESS_TTL}`);

function fail(message) {
  process.stderr.write(`provider.mjs: ${message}\n`);
  process.exit(1);
}

// ---------------------------------------------------------------------------
// Storage shared by every Provider instance. A key rotation builds a new
// Provider (keys are fixed per instance); sessions, grants, codes and refresh
// tokens must survive it, and the built-in memory adapter is per instance.
const store = new Map(); // "Model:id" -> { payload, expiresAt (ms, 0 = never) }
const sessionByUid = new Map(); // session uid -> session id
const grantMembers = new Map(); // grantId -> Set of store keys
const GRANTABLE = new Set(['AccessToken', 'AuthorizationCode', 'RefreshToken', 'DeviceCode',
  'BackchannelAuthenticationRequest', 'PreAuthorizedCode']);

class SharedMemoryAdapter {
  constructor(model) { this.model = model; }

  key(id) { return `${this.model}:${id}`; }

  async upsert(id, payload, expiresIn) {
    const key = this.key(id);
    store.set(key, { payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : 0 });
    if (this.model === 'Session') sessionByUid.set(payload.uid, id);
    if (GRANTABLE.has(this.model) && payload.grantId) {
      if (!grantMembers.has(payload.grantId)) grantMembers.set(payload.grantId, new Set());
      grantMembers.get(payload.grantId).add(key);
    }
  }

  async find(id) {
    const entry = store.get(this.key(id));
    if (!entry) return undefined;
    if (entry.expiresAt && entry.expiresAt <= Date.now()) {
      store.delete(this.key(id));
      return undefined;
    }
    return entry.payload;
  }

  async findByUid(uid) {
    const id = sessionByUid.get(uid);
    return id === undefined ? undefined : this.find(id);
  }

  async findByUserCode() { return undefined; } // device flow is not used

  async consume(id) {
    const payload = await this.find(id);
    if (payload) payload.consumed = Math.floor(Date.now() / 1000);
  }

  async destroy(id) { store.delete(this.key(id)); }

  async revokeByGrantId(grantId) {
    for (const key of grantMembers.get(grantId) ?? []) store.delete(key);
    grantMembers.delete(grantId);
  }
}

// Ends every grant at once, as an administrator revoking sessions would.
function revokeAll() {
  for (const grantId of [...grantMembers.keys()]) {
    for (const key of grantMembers.get(grantId) ?? []) store.delete(key);
    grantMembers.delete(grantId);
  }
}

// ---------------------------------------------------------------------------
// Accounts: any login name is an account.
function displayName(id) {
  return `${id.charAt(0).toUpperCase()}${id.slice(1)} Example`;
}

let issuer; // set once the port is known
async function findAccount(_ctx, id) {
  return {
    accountId: id,
    async claims() {
      return {
        sub: id,
        name: displayName(id),
        email: `${id}@example.test`,
        email_verified: true,
        picture: `${issuer}avatar/${encodeURIComponent(id)}.png`,
      };
    },
  };
}

// ---------------------------------------------------------------------------
// Signing keys: keys[0] signs (oidc-provider signs with the first matching
// key); the others are only published in the JWKS.
async function newSigningKey() {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = await exportJWK(privateKey);
  jwk.kid = await calculateJwkThumbprint(jwk);
  jwk.alg = 'RS256';
  jwk.use = 'sig';
  return jwk;
}

// Cookie signing keys must be shared too, or a rotation would drop the
// browser's session and in-flight interactions.
const COOKIE_KEYS = [`calldeck-test-${process.pid}-${Date.now()}`];

function page(title, body) {
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${title}</title></head>`
    + `<body><h1>${title}</h1>${body}</body></html>`;
}

const htmlEscape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function makeProvider(keys) {
  const provider = new Provider(issuer, {
    adapter: SharedMemoryAdapter,
    clients: [{
      client_id: CLIENT_ID,
      application_type: 'native', // loopback redirect URIs match on any port (RFC 8252 §7.3)
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: ['http://127.0.0.1/callback'],
      post_logout_redirect_uris: ['http://127.0.0.1/signed-out'],
      id_token_signed_response_alg: 'RS256',
    }],
    jwks: { keys },
    cookies: { keys: COOKIE_KEYS },
    routes: {
      authorization: '/authorize',
      token: '/oauth/token',
      jwks: '/.well-known/jwks.json',
      userinfo: '/userinfo',
      end_session: '/v2/logout',
      revocation: '/oauth/revoke',
    },
    scopes: ['openid', 'profile', 'email', 'offline_access'],
    claims: {
      openid: ['sub'],
      profile: ['name', 'picture'],
      email: ['email', 'email_verified'],
    },
    // Auth0 puts the profile/email claims in the ID token itself.
    conformIdTokenClaims: false,
    // Auth0 apps send audience=...; accepted (it does not change the tokens here).
    extraParams: ['audience'],
    pkce: { required: () => true }, // discovery lists S256 only; plain is unsupported
    findAccount,
    features: {
      devInteractions: { enabled: true }, // built-in login + consent pages
      revocation: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        // Auth0 signs out without asking; the form still needs a POST with the
        // xsrf token, so it carries logout=yes and submits itself in a real browser.
        async logoutSource(ctx, form) {
          ctx.body = page('Signing out', form.replace('</form>',
            '<input type="hidden" name="logout" value="yes"/><button type="submit">Sign out</button></form>')
            + '<script>document.forms[0].submit()</script>');
        },
        async postLogoutSuccessSource(ctx) {
          ctx.body = page('Signed out', '<p>You are signed out.</p>');
        },
      },
    },
    // Refresh tokens whenever offline_access is granted (see auth0Compat for
    // how the scope survives without the app sending prompt=consent).
    async issueRefreshToken(_ctx, client, code) {
      return client.grantTypeAllowed('refresh_token') && code.scopes.has('offline_access');
    },
    rotateRefreshToken: true, // each refresh returns a new one; reuse revokes the grant
    ttl: {
      AccessToken: ACCESS_TTL,
      IdToken: 600,
      RefreshToken: 14 * 24 * 60 * 60,
      AuthorizationCode: 60,
      Interaction: 60 * 60,
      Session: 14 * 24 * 60 * 60,
      Grant: 14 * 24 * 60 * 60,
    },
    async renderError(ctx, out) {
      ctx.type = 'html';
      ctx.body = page('Error', `<p id="error">${htmlEscape(out.error)}: ${htmlEscape(out.error_description ?? '')}</p>`);
    },
  });
  provider.on('server_error', (_ctx, err) => console.error('server_error', err));
  return { provider, handle: provider.callback() };
}

// OIDC Core drops offline_access unless prompt=consent is present; Auth0 does
// not. So the provider itself adds prompt=consent to such /authorize requests
// (the scripted browser confirms the consent page). prompt=none is left alone.
// Auth0's /v2/logout takes returnTo; oidc-provider takes post_logout_redirect_uri.
function auth0Compat(req, url) {
  if (req.method === 'GET' && url.pathname === '/authorize') {
    const scopes = (url.searchParams.get('scope') ?? '').split(' ');
    const prompts = new Set((url.searchParams.get('prompt') ?? '').split(' ').filter(Boolean));
    if (scopes.includes('offline_access') && !prompts.has('none') && !prompts.has('consent')) {
      prompts.add('consent');
      url.searchParams.set('prompt', [...prompts].join(' '));
      req.url = url.pathname + url.search;
    }
  }
  if (req.method === 'GET' && url.pathname === '/v2/logout'
      && url.searchParams.has('returnTo') && !url.searchParams.has('post_logout_redirect_uri')) {
    url.searchParams.set('post_logout_redirect_uri', url.searchParams.get('returnTo'));
    url.searchParams.delete('returnTo');
    req.url = url.pathname + url.search;
  }
}

// 1x1 grey PNG served for every avatar URL, so an <img> in the app loads.
const AVATAR = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGO4BwAAzgDNGfIGnAAAAABJRU5ErkJggg==', 'base64');

function json(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function main() {
  const port = Number(args.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`bad --port: ${args.port}`);

  let keys = [await newSigningKey()];
  let current; // { provider, handle }, swapped on rotation
  // Test controls: every token request's form fields (tests check where a refresh token
  // went), a delay before the token endpoint answers, and a switch that drops every
  // non-test connection as an unreachable host would.
  const tokenRequests = [];
  let tokenDelayMs = 0;
  let unreachable = false;

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    process.stderr.write(`${req.method} ${url.pathname}\n`); // never the query: it can hold codes
    try {
      if (url.pathname === '/__test/health' && req.method === 'GET') return json(res, 200, { ok: true });
      if (url.pathname === '/__test/token-requests' && req.method === 'GET') return json(res, 200, tokenRequests);
      if (url.pathname === '/__test/token-delay' && req.method === 'POST') {
        tokenDelayMs = Number(url.searchParams.get('ms') ?? 0);
        return json(res, 200, { ms: tokenDelayMs });
      }
      if (url.pathname === '/__test/reachable' && req.method === 'POST') {
        unreachable = url.searchParams.get('on') === 'false';
        return json(res, 200, { reachable: !unreachable });
      }
      if (url.pathname === '/__test/revoke-all' && req.method === 'POST') {
        revokeAll();
        return json(res, 200, { ok: true });
      }
      if (url.pathname === '/__test/rotate-keys' && req.method === 'POST') {
        keys = [await newSigningKey(), keys[0]];
        current = makeProvider(keys);
        return json(res, 200, { kid: keys[0].kid });
      }
      if (url.pathname === '/__test/drop-old-keys' && req.method === 'POST') {
        keys = [keys[0]];
        current = makeProvider(keys);
        return json(res, 200, { kid: keys[0].kid });
      }
      if (url.pathname.startsWith('/__test/')) return json(res, 404, { error: 'unknown test endpoint' });
      if (url.pathname.startsWith('/avatar/') && req.method === 'GET') {
        res.writeHead(200, { 'content-type': 'image/png' });
        return res.end(AVATAR);
      }
      if (unreachable) return req.socket.destroy();
      if (url.pathname === '/oauth/token' && req.method === 'POST') {
        // Read here and handed on as req.body, which oidc-provider accepts in place of the stream.
        const chunks = [];
        for await (const chunk of req) chunks.push(chunk);
        req.body = Buffer.concat(chunks).toString();
        tokenRequests.push(Object.fromEntries(new URLSearchParams(req.body)));
        if (tokenDelayMs > 0) await new Promise((r) => setTimeout(r, tokenDelayMs));
        if (unreachable) return req.socket.destroy();
      }
      auth0Compat(req, url);
      return current.handle(req, res);
    } catch (err) {
      console.error(err);
      if (!res.headersSent) json(res, 500, { error: 'test provider failure' });
      else res.end();
    }
  });

  server.on('error', (err) => fail(`cannot listen on 127.0.0.1:${port}: ${err.message}`));
  server.listen(port, '127.0.0.1', () => {
    const actual = server.address().port;
    issuer = `http://127.0.0.1:${actual}/`;
    current = makeProvider(keys);
    process.stdout.write(`${JSON.stringify({ issuer, port: actual })}\n`);
  });

  const stop = () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 1000).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // A parent that holds our stdin pipe and dies closes it: stop with it. Only
  // for pipes/sockets: /dev/null or a closed stdin would stop us at once.
  let stdin;
  try { stdin = fs.fstatSync(0); } catch { /* no stdin at all */ }
  if (stdin && (stdin.isFIFO() || stdin.isSocket())) {
    process.stdin.on('end', stop);
    process.stdin.on('error', stop);
    process.stdin.resume();
  }
}

main().catch((err) => fail(err.stack || String(err)));
