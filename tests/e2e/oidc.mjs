// The loopback OpenID provider (tests/oidc/provider.mjs) for end-to-end tests, and free
// ports for the app's callback listener.

import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { createServer } from 'node:net';

import { repoPath } from './webdriver.mjs';

/** Starts tests/oidc/provider.mjs; resolves with its issuer and a stop function. */
export async function startProvider() {
  const child = spawn(process.execPath, [repoPath('tests', 'oidc', 'provider.mjs'), '--port', '0'], {
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  const line = await new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`provider.mjs exited with ${code}`)));
  });
  const { issuer } = JSON.parse(line);
  return { issuer, stop: () => child.kill('SIGTERM') };
}

/** Distinct ports free a moment ago on 127.0.0.1, for the app's callback listener. */
export async function freePorts(n) {
  const servers = await Promise.all(
    Array.from({ length: n }, () => new Promise((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => resolve(s));
    })),
  );
  const ports = servers.map((s) => s.address().port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

/**
 * What the app needs to sign in against the loopback provider at `issuer` through the
 * scripted browser, which signs in as the user named in `loginFile` (written by the test).
 */
export async function signInEnv(issuer, loginFile) {
  return {
    CALLDECK_AUTH0_DOMAIN: issuer,
    CALLDECK_AUTH0_CLIENT_ID: 'calldeck-test',
    CALLDECK_AUTH0_AUDIENCE: 'https://api.calldeck.test',
    CALLDECK_AUTH0_PORTS: (await freePorts(3)).join(','),
    CALLDECK_BROWSER: `${process.execPath} ${repoPath('tests', 'oidc', 'browser.mjs')}`,
    OIDC_BROWSER_LOGIN_FILE: loginFile,
  };
}
