// End to end in real Chromium against the real server process: a counselor and a client's avatar app hold a
// session. The steps build on each other (one client, one session), so they run in order.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { apiLogin, demo, launchBrowser, screenshot, startServer } from './harness.mjs';
import { watchPage } from './setup.mjs';
import { axeProblems } from './axe.mjs';

const T = 20_000; // generous wait for anything the UI should show

describe('counselor console and avatar client', { timeout: 300_000 }, () => {
  let server, browser, counselorCtx, avatarCtx, counselor, avatar;
  const alias = `Heron ${Date.now().toString(36).slice(-4)}`;
  let pairingCode = '';
  let sessionId = '';
  const pageErrors = [];

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    counselorCtx = await browser.newContext({ viewport: { width: 1360, height: 860 } });
    avatarCtx = await browser.newContext({ viewport: { width: 1180, height: 820 }, locale: 'en-US' });
    counselor = await counselorCtx.newPage();
    avatar = await avatarCtx.newPage();
    for (const [name, p] of [['console', counselor], ['avatar', avatar]]) watchPage(p, name, pageErrors);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('counselor signs in, creates a client, a pairing code and a session', async () => {
    await counselor.goto(`${server.baseUrl}/`);
    await screenshot(counselor, 'console-sign-in');
    await counselor.fill('#username', demo.username);
    await counselor.fill('#password', demo.password);
    await counselor.click('#login-button');
    await counselor.locator('#current-user').waitFor({ timeout: T });
    await counselor.locator('#caseload-table').waitFor({ timeout: T });
    await screenshot(counselor, 'console-overview');

    await counselor.fill('#new-client-alias', alias);
    await counselor.selectOption('#new-client-language', 'en');
    await counselor.click('#create-client');
    await counselor.locator('#client-alias', { hasText: alias }).waitFor({ timeout: T });
    await counselor.click('#record-consent');
    await counselor.fill('#consent-scope', 'remote sessions via avatar app');
    await counselor.click('#consent-save');
    await counselor.locator('#consents', { hasText: 'remote sessions via avatar app' }).waitFor({ timeout: T });

    await counselor.click('#pairing-code');
    await counselor.selectOption('#pairing-kind', 'avatar');
    await counselor.click('#make-code');
    const code = counselor.locator('#pairing-code-value');
    await code.waitFor({ timeout: T });
    pairingCode = await code.getAttribute('data-code');
    assert.match(pairingCode, /^[A-Z0-9-]{4,16}$/i, 'a short code that can be read aloud');
    await screenshot(counselor, 'console-pairing-code');
    await counselor.keyboard.press('Escape');

    await counselor.click('#new-session');
    await counselor.click('#create-session');
    await counselor.locator('#session-room').waitFor({ timeout: T });
    sessionId = await counselor.locator('#session-room').getAttribute('data-session-id');
    assert.ok(sessionId, 'the room shows the new session');
    await counselor.locator('#presence li[data-role="counselor"][data-present="true"]').waitFor({ timeout: T });
  });

  it('the avatar page pairs with the code once and joins the session', async () => {
    await avatar.goto(`${server.baseUrl}/avatar`);
    await avatar.locator('#pair-code').waitFor({ timeout: T });
    await screenshot(avatar, 'avatar-pair');
    await avatar.fill('#pair-code', pairingCode);
    await avatar.click('#pair-button');
    await avatar.locator(`#stage[data-session-id="${sessionId}"]`).waitFor({ timeout: T });
    const stored = await avatar.evaluate(() => JSON.parse(localStorage.getItem('hikiconsult.device') ?? 'null'));
    assert.ok(stored?.accessToken, 'the device token is kept');
    await counselor.locator('#presence li[data-role="client"][data-present="true"]').waitFor({ timeout: T });
  });

  it('text goes both ways, and a reaction reaches the counselor', async () => {
    await counselor.fill('#chat-input', 'Hello, nice to meet you. Take your time.');
    await counselor.press('#chat-input', 'Enter');
    await avatar.locator('#log li[data-kind="text"]', { hasText: 'Hello, nice to meet you.' }).waitFor({ timeout: T });

    await avatar.fill('#message-input', 'Hi. I am here.');
    await avatar.click('#send-button');
    await counselor.locator('#room-log li[data-kind="text"][data-role="client"]', { hasText: 'Hi. I am here.' }).waitFor({ timeout: T });

    await avatar.click('button[data-reaction="thanks"]');
    await counselor.locator('#last-reaction', { hasText: 'thanks' }).waitFor({ timeout: T });
  });

  it('the client picks a nickname and a look, and the counselor sees them', async () => {
    await avatar.click('#settings-btn');
    await avatar.fill('#nickname-input', 'Sky');
    await avatar.click('.look-option[data-look="cat"]');
    await avatar.click('#settings-done');
    await counselor.locator('#client-signals .nick', { hasText: 'Sky' }).waitFor({ timeout: T });
    await counselor.locator('#client-signals svg[data-look="cat"]').waitFor({ timeout: T });
  });

  it('an expression, a gesture and speech from the counselor change the avatar', async () => {
    await counselor.evaluate(() => {
      const s = document.querySelector('#expression-weight');
      s.value = '80';
      s.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await counselor.click('button[data-expression="happy"]');
    await avatar.locator('#counselor-avatar[data-expression="happy"]').waitFor({ timeout: T });
    assert.equal(await avatar.locator('#counselor-avatar').getAttribute('data-expression-weight'), '0.80');

    await counselor.click('button[data-gesture="wave"]');
    await avatar.locator('#counselor-avatar[data-last-gesture="wave"]').waitFor({ timeout: T });

    await counselor.fill('#speak-input', 'It is good to see you here.');
    await counselor.click('#speak-send');
    await avatar.locator('#speech-bubble', { hasText: 'It is good to see you here.' }).waitFor({ state: 'visible', timeout: T });
    await avatar.locator('#counselor-avatar[data-gesture="none"]').waitFor({ timeout: T }); // the wave over, for the picture
    await screenshot(avatar, 'avatar-session');
    await screenshot(counselor, 'console-session-room');
  });

  it('reloading either page resumes the session without lost or doubled messages', async () => {
    // While the avatar page reloads, the counselor keeps writing: nothing may be lost.
    const reload = avatar.reload();
    await counselor.fill('#chat-input', 'Written while your page was reloading.');
    await counselor.press('#chat-input', 'Enter');
    await counselor.locator('#room-log li[data-kind="text"]', { hasText: 'Written while your page was reloading.' }).waitFor({ timeout: T });
    await reload;
    await avatar.locator(`#stage[data-session-id="${sessionId}"]`).waitFor({ timeout: T });
    await avatar.locator('#log li', { hasText: 'Written while your page was reloading.' }).waitFor({ timeout: T });
    assert.equal(await avatar.locator('#counselor-avatar').getAttribute('data-expression'), 'happy', 'the last expression is restored');

    await avatar.fill('#message-input', 'Still here after the reload.');
    await avatar.click('#send-button');
    await counselor.locator('#room-log li[data-role="client"]', { hasText: 'Still here after the reload.' }).waitFor({ timeout: T });

    await counselor.reload();
    await counselor.locator('#session-room').waitFor({ timeout: T });
    await counselor.locator('#room-log li', { hasText: 'Still here after the reload.' }).waitFor({ timeout: T });

    for (const [page, sel] of [[avatar, '#log li[data-seq]'], [counselor, '#room-log li[data-seq]']]) {
      for (const text of ['Hello, nice to meet you.', 'Hi. I am here.', 'Written while your page was reloading.', 'Still here after the reload.']) {
        assert.equal(await page.locator(sel, { hasText: text }).count(), 1, `"${text}" exactly once`);
      }
      assert.equal(await page.locator('li.pending, li.failed').count(), 0, 'nothing left unsent');
    }
    // The counselor sees every event: the seqs are exactly 1..n, in order.
    const seqs = await counselor.locator('#room-log li[data-seq]').evaluateAll((els) => els.map((e) => Number(e.dataset.seq)));
    assert.deepEqual(seqs, Array.from({ length: seqs.length }, (_, i) => i + 1), 'no gap, no duplicate, in order');
  });

  it('after a server crash both pages reconnect by themselves and deliver what was written meanwhile, once', async () => {
    await server.crash();
    await counselor.locator('#link-status:not([data-state="connected"])').waitFor({ timeout: T });
    // Written while the server is down: kept in each page's outbox and sent after the reconnection.
    await counselor.fill('#chat-input', 'Sent while the server was down.');
    await counselor.press('#chat-input', 'Enter');
    await avatar.fill('#message-input', 'Me too, while it was down.');
    await avatar.click('#send-button');
    assert.equal(await counselor.locator('#room-log li.pending').count(), 1, 'shown as sending');
    await server.launch();
    await counselor.locator('#link-status[data-state="connected"]').waitFor({ timeout: 60_000 });
    for (const [page, sel] of [[avatar, '#log li[data-seq]'], [counselor, '#room-log li[data-seq]']]) {
      for (const text of ['Sent while the server was down.', 'Me too, while it was down.']) {
        await page.locator(sel, { hasText: text }).waitFor({ timeout: 60_000 });
        assert.equal(await page.locator(sel, { hasText: text }).count(), 1, `"${text}" exactly once`);
      }
      assert.equal(await page.locator('li.pending, li.failed').count(), 0, 'nothing left unsent');
    }
    const seqs = await counselor.locator('#room-log li[data-seq]').evaluateAll((els) => els.map((e) => Number(e.dataset.seq)));
    assert.deepEqual(seqs, Array.from({ length: seqs.length }, (_, i) => i + 1), 'no gap, no duplicate, in order');
  });

  it('a risk phrase from the client raises an alert that acknowledging clears', async () => {
    const token = await apiLogin(server.baseUrl);
    const triage = await fetch(`${server.baseUrl}/api/triage`, { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(triage.status, 200, `GET /api/triage (risk detection and triage) answers ${triage.status}: ${await triage.text()}`);
    await avatar.fill('#message-input', 'I want to kill myself.');
    await avatar.click('#send-button');
    const banner = counselor.locator('.risk-alert', { hasText: alias });
    await banner.waitFor({ timeout: T });
    // The card says why: the C-SSRS-aligned level in words and the concept pattern that fired.
    assert.match(await banner.locator('.risk-level').innerText(), /C-SSRS Q2/);
    assert.equal(await banner.locator('.risk-pattern').innerText(), 'en.suicidal-thoughts');
    await counselor.locator('#room-log li.flagged', { hasText: 'I want to kill myself.' }).waitFor({ timeout: T });
    await banner.evaluate((el) => Promise.all(el.getAnimations().map((a) => a.finished))); // slid in, for the picture
    await screenshot(counselor, 'console-risk-alert');
    await banner.locator('.ack-note').fill('Called the client, safety plan agreed.');
    await banner.locator('button.ack').click();
    await banner.waitFor({ state: 'detached', timeout: T });
    assert.equal(await counselor.locator('.risk-alert', { hasText: alias }).count(), 0);
  });

  it('the counselor asks for a PHQ-9 self-report and the client fills it in', async () => {
    const token = await apiLogin(server.baseUrl);
    const instruments = await fetch(`${server.baseUrl}/api/instruments`, { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(instruments.status, 200, `GET /api/instruments answers ${instruments.status}: ${await instruments.text()}`);
    await counselor.selectOption('#assessment-select', 'phq9');
    await counselor.click('#send-assessment');
    const request = avatar.locator('#log li.assessment-request[data-instrument="phq9"]');
    const refused = counselor.locator('.toast.error');
    await Promise.race([request.waitFor({ timeout: T }), refused.waitFor({ timeout: T })]);
    assert.equal(await refused.count(), 0, `the console shows an error instead of sending the request: ${await refused.allTextContents()}`);
    await request.locator('button').click();
    const form = avatar.locator('dialog#assessment form.assessment-form');
    await form.waitFor({ timeout: T });
    const items = form.locator('fieldset.assessment-item');
    const n = await items.count();
    assert.equal(n, 9, 'PHQ-9 has nine items');
    for (let i = 0; i < n; i++) await items.nth(i).locator('label.answer').nth(i === 8 ? 0 : 1).click();
    await screenshot(avatar, 'avatar-self-report');
    assert.deepEqual(await axeProblems(avatar), [], 'axe on the self-report dialog');
    await avatar.click('#assessment-submit');
    await avatar.locator('dialog#assessment h2', { hasText: 'Thank you' }).waitFor({ timeout: T });
    await avatar.locator('dialog#assessment button').click();
    await counselor.locator('#room-log li[data-kind="signal"]', { hasText: 'questionnaire submitted' }).waitFor({ timeout: T });
  });

  it('the counselor ends the session with a note and the client is told kindly', async () => {
    await counselor.click('#end-session');
    await counselor.fill('#end-note', 'First contact went well; next session next week.');
    await counselor.click('#end-confirm');
    await counselor.locator('#session-state[data-state="ended"]').waitFor({ timeout: T });
    await avatar.locator('#waiting-message', { hasText: 'The meeting has ended' }).waitFor({ timeout: T });
    await screenshot(avatar, 'avatar-ended');
    assert.deepEqual(await axeProblems(avatar), [], 'axe on the end of the session');
    // The client may switch language at any time; Japanese and Dutch strings are complete.
    await avatar.selectOption('.lang-select', 'ja');
    await avatar.locator('#waiting-message', { hasText: '面談は終わりました' }).waitFor({ timeout: T });
    await screenshot(avatar, 'avatar-ended-ja');
    assert.deepEqual(await axeProblems(avatar), [], 'axe on the end of the session, in Japanese');
    await avatar.selectOption('.lang-select', 'nl');
    await avatar.locator('#waiting-message', { hasText: 'Het gesprek is afgelopen' }).waitFor({ timeout: T });
  });

  it('the client page shows the timeline and the paired device, and revoking it sends the avatar page back to pairing', async () => {
    await counselor.click(`#session-room h2 a`);
    await counselor.locator('#client-page').waitFor({ timeout: T });
    await counselor.locator('#timeline figure').first().waitFor({ timeout: T });

    // Assessment forms are generated from the instrument definitions; PHQ-9 item 9 above 0 raises the safety flag.
    for (const [n, answers] of [[1, 1, 1, 1, 1, 1, 1, 1, 1], [2, 2, 2, 2, 2, 2, 1, 1, 0]].entries()) {
      await counselor.selectOption('#instrument-select', 'phq9');
      const items = counselor.locator('#assessment-entry fieldset.assessment-item');
      assert.equal(await items.count(), 9);
      for (let i = 0; i < 9; i++) await items.nth(i).locator(`input[value="${answers[i]}"]`).check();
      await counselor.click('#assessment-save');
      const total = answers.reduce((a, b) => a + b, 0);
      await counselor.locator('#assessment-entry .result-total', { hasText: `PHQ-9: ${total}` }).waitFor({ timeout: T }).catch(async (e) => {
        throw new Error(`${e.message}\nresult box: ${await counselor.locator('#assessment-entry .result-box').textContent()}`);
      });
      assert.equal(await counselor.locator('#assessment-entry .result-box .flag').count(), answers[8] > 0 ? 1 : 0, 'safety flag exactly when item 9 is above 0');
      // The history above the form refreshes after a save; wait for it so nothing moves under the next clicks.
      await counselor.locator('#assessment-history tbody tr').nth(n).waitFor({ timeout: T });
    }
    await counselor.locator('#timeline figure[data-chart="scores-phq9"] svg .dot').nth(1).waitFor({ timeout: T });
    await counselor.selectOption('#instrument-select', '');

    // A Kato isolation record: 4 months, out one day a week, impaired: pre-hikikomori, the early-consultation target.
    await counselor.click('#record-isolation');
    await counselor.fill('#iso-months', '4');
    await counselor.selectOption('#iso-days', '1');
    await counselor.check('#iso-impairment');
    await counselor.click('#iso-save');
    await counselor.locator('dialog .result-total', { hasText: 'preHikikomori' }).waitFor({ timeout: T });
    await counselor.keyboard.press('Escape');
    await counselor.locator('#timeline figure[data-chart="kato"] svg .seg').first().waitFor({ timeout: T });

    await counselor.evaluate(() => {
      document.querySelectorAll('.toast').forEach((t) => t.remove());
      window.scrollTo(0, 0);
    });
    await screenshot(counselor, 'console-client-page', { fullPage: true });

    // The triage queue lists the client with its reasons in plain words (pre-hikikomori, PHQ-9 item 9, ...).
    const clientId = await counselor.locator('#client-page').getAttribute('data-client-id');
    await counselor.click('nav a[href="#/"]');
    const entry = counselor.locator(`#triage-list li.triage-entry[data-client-id="${clientId}"]`);
    await entry.waitFor({ timeout: T });
    assert.ok((await entry.locator('.reasons li').count()) >= 1, 'at least one reason');
    await screenshot(counselor, 'console-triage');
    await counselor.goBack();
    await counselor.locator('#client-page').waitFor({ timeout: T });

    const device = counselor.locator('#devices li').first();
    await device.waitFor({ timeout: T });
    counselor.once('dialog', (d) => d.accept());
    await device.locator('button', { hasText: 'Revoke' }).click();
    await counselor.locator('#devices').waitFor({ state: 'detached', timeout: T });
    await avatar.locator('#pair-code').waitFor({ timeout: T });
    assert.equal(await avatar.evaluate(() => localStorage.getItem('hikiconsult.device')), null, 'the revoked token is forgotten');
    const kept = (page) => page.evaluate(() => [...Object.keys(localStorage), ...Object.keys(sessionStorage)].filter((k) => k.startsWith('hikiconsult.')));
    assert.deepEqual(await kept(avatar), [], 'a revoked device keeps nothing of the client');

    // Signing out of the console leaves nothing behind on a shared computer: not the sign-in, not unsent bodies.
    assert.ok((await kept(counselor)).length > 0, 'the console kept its sign-in while signed in');
    await counselor.evaluate(() => sessionStorage.setItem('hikiconsult.outbox.test', '[{"body":{"text":"unsent"}}]'));
    await counselor.click('#sign-out');
    await counselor.locator('#username').waitFor({ timeout: T });
    assert.deepEqual(await kept(counselor), [], 'signing out clears the console\'s storage');
    assert.deepEqual(pageErrors, [], 'no script errors and no CSP violations on either page');
  });
});
