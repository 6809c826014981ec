// End-to-end: Auth0 sign-in in the real window against a real OpenID provider on loopback
// (tests/oidc: oidc-provider with Auth0's paths). The app opens its "system browser", which
// here is the scripted browser tests/oidc/browser.mjs: it signs in as whoever the login file
// names. Two users, each with their own library; sign-out; switching shows no frame of the
// other user's data. Run with tests/e2e/run.sh.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { ACCOUNT_SID, AUTH_TOKEN, makeRecordings, startTwilioFake } from './twilio-fake.mjs';
import { signInEnv, startProvider } from './oidc.mjs';
import { launchApp, pageText, repoPath, stepsOf } from './webdriver.mjs';

const OUT = process.env.E2E_OUT_DIR ?? repoPath('target', 'e2e');
const ALICE_CALLS = 5;

const $ = (id) => `[data-testid="${id}"]`;
const step = stepsOf(test);

describe('Auth0 sign-in with two users (loopback OpenID provider)', { timeout: 180_000 }, () => {
  let session;
  let provider;
  let fake;
  let app;
  let loginFile;
  const { domText, waitForDomText, type, click } = pageText(() => session);
  const aliceCalls = makeRecordings(ALICE_CALLS);
  const signInAs = (name) => writeFile(loginFile, name);

  before(async () => {
    provider = await startProvider();
    fake = await startTwilioFake(aliceCalls);
    app = await launchApp('auth', async (work) => {
      loginFile = join(work, 'login.txt');
      await signInAs('alice');
      return {
        CALLDECK_TWILIO_BASE_URL: fake.baseUrl,
        ...(await signInEnv(provider.issuer, loginFile)),
      };
    });
    session = app.session;
  });

  after(async () => {
    try {
      await app?.close();
    } finally {
      provider?.stop();
      await fake?.close();
    }
  });

  step('the sign-in screen offers Auth0 and the demo', async () => {
    await session.waitForElement($('sign-in'), { message: 'the Sign in with Auth0 button' });
    assert.ok(await session.find($('open-demo')), 'the demo workspace stays available');
    await session.screenshot(join(OUT, '40-sign-in.png'));
  });

  step('alice signs in through the browser and sees her (empty) library', async () => {
    await click($('sign-in'));
    await waitForDomText($('account-button'), 'Alice', 'alice signed in');
    await waitForDomText($('library-total'), '0', "alice's new library");
  });

  step('alice connects Twilio and syncs her calls', async () => {
    await click($('nav-settings'), 'the Settings link');
    await type($('twilio-account-sid'), ACCOUNT_SID);
    await type($('twilio-secret'), AUTH_TOKEN);
    await click($('twilio-connect'));
    await waitForDomText($('twilio-settings'), 'Connected', 'the connected state');
    await click($('sync-button'));
    await waitForDomText($('sync-result'), `${ALICE_CALLS} new`, 'the sync result');
    await click($('filter-scope-all'));
    await waitForDomText($('library-total'), String(ALICE_CALLS), "alice's synced library");
    await session.waitForElement(`[data-id="${aliceCalls[0].sid}"]`, { message: "alice's first call in the table" });
    await session.screenshot(join(OUT, '41-alice-library.png'));
  });

  step('alice signs out: back to the sign-in screen, her account still listed', async () => {
    await click($('account-button'));
    await session.screenshot(join(OUT, '42-account-menu.png'));
    await click($('sign-out'));
    await session.waitForElement($('sign-in'), { message: 'the sign-in screen after sign-out' });
    await waitForDomText('body', 'Alice', 'alice among the accounts on this device');
    const page = await session.source();
    assert.ok(!page.includes(aliceCalls[0].number), "none of alice's calls is on the sign-in screen");
  });

  step('bob signs in and sees only his own library', async () => {
    await signInAs('bob');
    await click($('sign-in'));
    await waitForDomText($('account-button'), 'Bob', 'bob signed in');
    await waitForDomText($('library-total'), '0', "bob's library has none of alice's calls");
    assert.equal(await session.find(`[data-id="${aliceCalls[0].sid}"]`), null, "alice's call is not in bob's table");
    await click($('nav-settings'), 'the Settings link');
    const settings = await waitForDomText($('twilio-settings'), 'Connect', "bob's Twilio settings");
    assert.ok(!settings.includes(ACCOUNT_SID), "bob does not get alice's Twilio connection");
  });

  step('alice is added back, then switching to bob shows no frame of her calls', async () => {
    await signInAs('alice');
    await click($('account-button'));
    await click($('add-account'));
    await waitForDomText($('account-button'), 'Alice', 'alice signed in again');
    await click($('filter-scope-all'));
    await waitForDomText($('library-total'), String(ALICE_CALLS), "alice's library is back");
    // Watch every DOM change from now on: a frame where bob is shown with any of alice's
    // calls on screen is a leak.
    await session.execute(
      `window.__leak = null;
       const sids = arguments[0];
       new MutationObserver(() => {
         const who = document.querySelector('[data-testid="account-button"]')?.textContent ?? '';
         if (!who.includes('Bob')) return;
         const seen = sids.find((s) => document.querySelector('[data-id="' + s + '"]'));
         if (seen && !window.__leak) window.__leak = seen;
       }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });`,
      [aliceCalls.map((c) => c.sid)],
    );
    if (!(await session.find($('account-menu')))) await click($('account-button'));
    await session.screenshot(join(OUT, '43-account-menu-two-users.png'));
    await session.waitFor(
      () =>
        session.execute(
          `const item = [...document.querySelectorAll('[data-testid="switch-account"]')]
             .find((e) => e.textContent.includes('Bob'));
           if (!item) return null;
           item.click();
           return true;`,
          [],
        ),
      { message: 'bob in the account menu' },
    );
    await waitForDomText($('account-button'), 'Bob', 'switched to bob');
    // Bob's window opens on the view he left it on (Settings, above): his library is a click away.
    await click($('filter-scope-all'));
    await waitForDomText($('library-total'), '0', "bob's library");
    assert.equal(await session.execute('return window.__leak;', []), null, 'no frame showed bob with alice\'s calls');
    await session.screenshot(join(OUT, '44-switched-to-bob.png'));
  });

  step('the page never holds a token', async () => {
    const page = await session.source();
    assert.ok(!/refresh_token|access_token|eyJ[A-Za-z0-9_-]{20,}\./.test(page), 'no token or JWT in the page');
    assert.ok((await domText($('account-button')))?.includes('bob@example.test'), 'the email is shown');
  });
});
