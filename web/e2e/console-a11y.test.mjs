// The counselor console with assistive technology and at a laptop's size (issue #25): axe on every page state,
// a failed sign-in announced and tied to its field, focus on the new page's heading after navigation, the session
// room usable at 1024×768 without a hidden scroll area (alert open too), reduced motion, keyboard-only sign-in.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { demo, launchBrowser, screenshot, startServer } from './harness.mjs';
import { axeProblems } from './axe.mjs';
import { focusRings } from './focus.mjs';
import { contextOptions, pairedClient, useDevice, watchPage } from './setup.mjs';

const T = 20_000;

describe('counselor console: accessibility and the laptop layout', { timeout: 600_000 }, () => {
  let server, browser, who;
  const problems = [];

  async function consolePage({ width = 1280, height = 800, scheme = 'light', reducedMotion = 'no-preference', signIn = true } = {}) {
    const ctx = await browser.newContext(contextOptions({ width, height, scheme, reducedMotion }));
    const page = await ctx.newPage();
    watchPage(page, `console ${width} ${scheme}`, problems);
    await page.goto(`${server.baseUrl}/`);
    if (signIn) {
      await page.fill('#username', demo.username);
      await page.fill('#password', demo.password);
      await page.click('#login-button');
      await page.locator('#current-user').waitFor({ timeout: T });
    }
    return page;
  }

  /** The client writes a risk phrase while the counselor is in the room (so the avatar page is in the conversation). */
  async function raiseAlert() {
    const room = await consolePage();
    await room.goto(`${server.baseUrl}/#/sessions/${who.sessionId}`);
    await room.locator('#presence li[data-role="counselor"][data-present="true"]').waitFor({ timeout: T });
    const ctx = await browser.newContext(contextOptions({ width: 375, height: 740 }));
    await useDevice(ctx, who.device, 'en');
    const avatar = await ctx.newPage();
    watchPage(avatar, 'avatar', problems);
    await avatar.goto(`${server.baseUrl}/avatar`);
    await avatar.locator('#message-input').waitFor({ timeout: T });
    await avatar.fill('#message-input', 'I want to kill myself.');
    await avatar.click('#send-button');
    await avatar.locator('#log li.msg.mine[data-seq]').waitFor({ timeout: T });
    await room.locator('.risk-alert').first().waitFor({ timeout: T });
    await ctx.close();
    await room.context().close();
  }

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    who = await pairedClient(server.baseUrl, { alias: 'Egret', language: 'en', session: true });
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('a failed sign-in is announced and tied to the fields; keyboard only signs in; focus goes to each new page\'s heading', async () => {
    const page = await consolePage({ signIn: false });
    await page.locator('#username').waitFor({ timeout: T });
    assert.equal(await page.evaluate(() => document.activeElement.id), 'username');
    await page.keyboard.type(demo.username);
    await page.keyboard.press('Tab');
    await page.keyboard.type('wrong password');
    await page.keyboard.press('Enter');
    const error = page.locator('#login-error:not([hidden])');
    await error.waitFor({ timeout: T });
    assert.equal(await error.getAttribute('role'), 'alert', 'the error is announced');
    assert.equal(await page.getAttribute('#password', 'aria-invalid'), 'true');
    assert.match(await page.getAttribute('#password', 'aria-describedby') ?? '', /login-error/);
    assert.deepEqual(await axeProblems(page), [], 'axe on the failed sign-in');
    await page.keyboard.press('Control+A');
    await page.keyboard.type(demo.password);
    await page.keyboard.press('Enter');
    await page.locator('#current-user').waitFor({ timeout: T });
    await page.waitForFunction(() => document.activeElement?.tagName === 'H1', null, { timeout: T });
    // Navigation by keyboard: the caseload link, then a client; focus lands on each page's heading.
    await page.focus('nav a[href="#/clients"]');
    await page.keyboard.press('Enter');
    await page.locator('#caseload-table').waitFor({ timeout: T });
    assert.equal(await page.evaluate(() => `${document.activeElement.tagName} ${document.activeElement.textContent}`), 'H1 Caseload');
    await page.focus(`a[href="#/clients/${who.client.id}"]`);
    await page.keyboard.press('Enter');
    await page.locator('#client-alias', { hasText: 'Egret' }).waitFor({ timeout: T });
    assert.equal(await page.evaluate(() => `${document.activeElement.tagName} ${document.activeElement.textContent}`), 'H1 Client');
    await page.context().close();
  });

  it('axe finds no critical or serious violation on any console page, light and dark, 1280 and 1024 wide', async () => {
    const found = [];
    for (const scheme of ['light', 'dark']) {
      for (const [width, height] of [[1280, 800], [1024, 768]]) {
        const tag = `${scheme} ${width}`;
        const check = async (page, state) => {
          for (const p of await axeProblems(page)) found.push(`[${tag} ${state}] ${p}`);
        };
        const signIn = await consolePage({ width, height, scheme, signIn: false });
        await signIn.locator('#username').waitFor({ timeout: T });
        await check(signIn, 'sign-in');
        await signIn.context().close();
        const page = await consolePage({ width, height, scheme });
        await page.locator('#caseload-table').waitFor({ timeout: T });
        await check(page, 'overview');
        await page.goto(`${server.baseUrl}/#/clients`);
        await page.locator('#caseload-table').waitFor({ timeout: T });
        await check(page, 'caseload');
        await page.goto(`${server.baseUrl}/#/clients/${who.client.id}`);
        await page.locator('#client-alias').waitFor({ timeout: T });
        await page.locator('#timeline').waitFor({ timeout: T });
        await check(page, 'client page');
        await page.click('#pairing-code');
        await page.locator('dialog[open]').waitFor({ timeout: T });
        await check(page, 'pairing dialog');
        await page.keyboard.press('Escape');
        await page.click('#new-session');
        await page.locator('dialog[open]').waitFor({ timeout: T });
        await check(page, 'new session dialog');
        await page.keyboard.press('Escape');
        await page.goto(`${server.baseUrl}/#/sessions/${who.sessionId}`);
        await page.locator('#session-room').waitFor({ timeout: T });
        await page.locator('#presence li[data-role="counselor"][data-present="true"]').waitFor({ timeout: T });
        await check(page, 'session room');
        await page.context().close();
      }
    }
    // With a risk alert open.
    await raiseAlert();
    for (const scheme of ['light', 'dark']) {
      const page = await consolePage({ width: 1024, height: 768, scheme });
      await page.goto(`${server.baseUrl}/#/sessions/${who.sessionId}`);
      await page.locator('.risk-alert').first().waitFor({ timeout: T });
      for (const p of await axeProblems(page)) found.push(`[${scheme} 1024 risk alert] ${p}`);
      await page.context().close();
    }
    assert.deepEqual(found, [], `axe:\n${found.join('\n')}`);
  });

  it('at 1024×768 the session room shows the message box, the avatar controls and an open alert without a hidden scroll area', async () => {
    const page = await consolePage({ width: 1024, height: 768 });
    await page.goto(`${server.baseUrl}/#/sessions/${who.sessionId}`);
    await page.locator('#session-room').waitFor({ timeout: T });
    await page.locator('.risk-alert').first().waitFor({ timeout: T });
    // The banner slides in once; measure and picture it where it stays.
    await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running' || a.effect.getTiming().iterations === Infinity));
    await screenshot(page, 'console-room-1024-alert');
    const vw = { w: 1024, h: 768 };
    // Every control is reachable by scrolling the page itself: nothing sits in a column with its own scrollbar.
    const inner = await page.evaluate(() => [...document.querySelectorAll('#app *')].filter((e) => {
      const s = getComputedStyle(e);
      return /(auto|scroll)/.test(s.overflowY) && e.scrollHeight > e.clientHeight + 1 && !e.matches('#room-log, textarea');
    }).map((e) => e.id || e.className));
    assert.deepEqual(inner, [], 'no separately scrolling column besides the message log');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `no horizontal scrolling (${overflow} px too wide)`);
    for (const sel of ['#chat-input', '.risk-alert button.ack', 'button[data-gesture="wave"]', 'button[data-gaze="client"]', '#speak-send']) {
      const el = page.locator(sel).first();
      await el.scrollIntoViewIfNeeded();
      const box = await el.boundingBox();
      assert.ok(box && box.y >= 0 && box.y + box.height <= vw.h + 1 && box.x + box.width <= vw.w, `${sel} reachable, at ${JSON.stringify(box)}`);
      assert.ok(box.height >= 24 && box.width >= 24, `${sel} is at least 24 px (${box.width}×${box.height})`);
    }
    // The message box is on the first screen together with the alert's acknowledge button.
    await page.evaluate(() => window.scrollTo(0, 0));
    const chat = await page.locator('#chat-input').boundingBox();
    assert.ok(chat.y + chat.height <= vw.h, `message box on the first screen (bottom at ${chat.y + chat.height})`);
    await page.context().close();
  });

  it('focus rings in the session room are at least 2 px and 3:1 against their background', async () => {
    const page = await consolePage({ width: 1280, height: 800 });
    await page.goto(`${server.baseUrl}/#/sessions/${who.sessionId}`);
    await page.locator('#session-room').waitFor({ timeout: T });
    const rings = await focusRings(page, 60);
    assert.ok(rings.length >= 20, `measured ${rings.length} controls`);
    assert.deepEqual(rings.filter((r) => r.style === 'none' || r.width < 2 || r.contrast < 3), []);
    await page.context().close();
  });

  it('with reduced motion the risk banner does not pulse', async () => {
    const page = await consolePage({ width: 1280, height: 800, reducedMotion: 'reduce' });
    await page.locator('.risk-alert').first().waitFor({ timeout: T });
    const running = await page.evaluate(() => document.getAnimations().filter((a) => a.playState === 'running').length);
    assert.equal(running, 0, 'no running animation');
    await page.context().close();
    assert.deepEqual(problems, [], 'no script errors and no CSP violations');
  });
});
