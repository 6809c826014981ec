// Changing the sign-in settings while accounts exist, in the real window: an account of
// another provider shows as such and cannot be opened (nothing of it is sent to the
// provider set up now), and saving settings that name another provider first lists the
// accounts that will need to sign in again, saving only on a second click.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { launchApp, pageText, repoPath, stepsOf } from './webdriver.mjs';

const OUT = process.env.E2E_OUT_DIR ?? repoPath('target', 'e2e');
const $ = (id) => `[data-testid="${id}"]`;
const step = stepsOf(test);

const SETTINGS = { domain: 'https://acme.eu.auth0.com/', clientId: 'abc123', audience: null, callbackPorts: [], offlineDays: 14 };
const account = (issuer, subject, name, email) => ({
  issuer, client_id: 'abc123', subject, name, email, picture: null, avatar: null,
  last_signed_in_ms: 1765000000000, last_online_ms: 1765000000000, signed_out: false,
});

describe('sign-in settings with accounts on this computer', () => {
  let app;
  let session;
  const { waitForDomText, click } = pageText(() => session);

  before(async () => {
    app = await launchApp('auth-settings', async (work) => {
      const data = join(work, 'data');
      await writeFile(join(data, 'auth.json'), JSON.stringify(SETTINGS));
      await writeFile(join(data, 'accounts.json'), JSON.stringify([
        account(SETTINGS.domain, 'auth0|ana', 'Ana Lee', 'ana@example.com'),
        account('https://old-tenant.us.auth0.com/', 'auth0|ben', 'Ben Ortiz', 'ben@example.com'),
      ]));
      return {};
    });
    session = app.session;
  });

  after(async () => {
    await app?.close();
  });

  step('an account of another provider is shown as such, and cannot be opened', async () => {
    await waitForDomText($('known-accounts'), 'Ben Ortiz', 'the accounts on this device');
    const ben = await session.execute(
      `const b = [...document.querySelectorAll('[data-testid="known-account"]')].find((e) => e.textContent.includes('Ben'));
       return b ? { disabled: b.disabled, text: b.textContent } : null;`,
      [],
    );
    assert.ok(ben?.disabled, 'its button does nothing');
    assert.match(ben.text, /signed in with another provider \(old-tenant\.us\.auth0\.com\)/);
    await session.screenshot(join(OUT, '46-other-provider-account.png'));
  });

  step('settings naming another provider list who must sign in again before they are saved', async () => {
    await click($('change-auth-setup'));
    const domain = await session.waitForElement($('auth-domain'), { message: 'the domain field' });
    await session.execute(`document.querySelector(arguments[0]).select();`, [$('auth-domain')]);
    await domain.sendKeys('other.eu.auth0.com');
    await click($('auth-save'));
    const impact = await waitForDomText($('auth-impact'), 'Ana Lee', 'the accounts that will need to sign in again');
    assert.ok(!impact.includes('Ben'), 'an account the current settings do not open is not news');
    await session.screenshot(join(OUT, '47-settings-impact.png'));
    const saved = JSON.parse(await readFile(join(app.dataDir, 'auth.json'), 'utf8'));
    assert.equal(saved.domain, SETTINGS.domain, 'nothing is saved before the second click');
    await waitForDomText($('auth-save'), 'Save anyway', 'the second click');
    await click($('auth-save'));
    await waitForDomText($('known-accounts'), 'Ana Lee', 'back on the sign-in screen');
    const after = JSON.parse(await readFile(join(app.dataDir, 'auth.json'), 'utf8'));
    assert.equal(after.domain, 'other.eu.auth0.com');
    await waitForDomText($('known-accounts'), 'another provider (acme.eu.auth0.com)', 'ana now belongs to another provider');
    await session.screenshot(join(OUT, '48-after-settings-change.png'));
  });
});
