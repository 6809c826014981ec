// The installed package: the `calldeck` that `dpkg -i` (or `dpkg -x`) put in place starts
// under Xvfb and shows the sign-in screen in a window titled CallDeck.
// Run by scripts/package-test.sh through tests/e2e/run.sh, with CALLDECK_BIN the installed binary.

import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readlink } from 'node:fs/promises';
import { join } from 'node:path';

import { launchApp, repoPath, stepsOf } from '../e2e/webdriver.mjs';

const OUT = process.env.E2E_OUT_DIR ?? repoPath('target', 'e2e');
const step = stepsOf(test);

describe('the installed package', { timeout: 120_000 }, () => {
  let app;

  after(async () => {
    await app?.close();
  });

  step('starts and shows the sign-in screen', async () => {
    app = await launchApp('package');
    const { session } = app;
    await session.waitForElement('[data-testid="open-demo"]', { message: 'the sign-in screen of the installed app' });
    assert.equal(await session.command('GET', '/title'), 'CallDeck');
    const exe = await readlink(`/proc/${await app.pid()}/exe`);
    assert.equal(exe, process.env.CALLDECK_BIN, 'the process is the installed binary');
    await session.screenshot(join(OUT, '90-package-sign-in.png'));
  });
});
