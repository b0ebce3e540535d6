// The avatar page on phones and with assistive technology (issue #25): axe on every page state in en/ja/nl,
// light and dark; layouts from 320 px; the live region; drafts, focus and scroll surviving re-renders, reloads
// and reconnects; reduced motion; storage cleared on unpair. Real server, real Chromium.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { demo, launchBrowser, screenshot, startServer } from './harness.mjs';
import { axeProblems } from './axe.mjs';
import { focusRings } from './focus.mjs';
import { contextOptions, pairedClient, pairingCode, useDevice, watchPage } from './setup.mjs';

const T = 20_000;
const Langs = ['en', 'ja', 'nl'];
const Schemes = ['light', 'dark'];
// A long Dutch compound and a Japanese sentence without spaces: both must wrap, never widen the page.
const LongDutch = 'Arbeidsongeschiktheidsverzekeringsmaatschappijmedewerkersvergadering, dat was vandaag wel veel.';
const LongJapanese = '今日は少しだけ外に出てみようと思いましたが、やっぱり部屋にいることにしました。それでも大丈夫です。';

describe('avatar page: accessibility, layout and kept state', { timeout: 900_000 }, () => {
  let server, browser, counselorCtx, counselor;
  let staged; // client with an open session the counselor has joined
  let waiting; // client with a paired device and no session
  const problems = [];

  async function avatarPage({ width = 375, height = 740, lang = 'en', scheme = 'light', reducedMotion = 'no-preference', who = staged }) {
    const ctx = await browser.newContext(contextOptions({ width, height, lang, scheme, reducedMotion }));
    if (who) await useDevice(ctx, who.device, lang);
    const page = await ctx.newPage();
    watchPage(page, `avatar ${lang} ${scheme} ${width}`, problems);
    await page.goto(`${server.baseUrl}/avatar`);
    return page;
  }

  async function atStage(page) {
    await page.locator(`#stage[data-session-id="${staged.sessionId}"]`).waitFor({ timeout: T });
    await page.locator('#log li[data-kind="text"]', { hasText: 'Welcome back' }).waitFor({ timeout: T });
  }

  async function counselorSays(text) {
    await counselor.fill('#chat-input', text);
    await counselor.press('#chat-input', 'Enter');
    await counselor.locator('#room-log li[data-kind="text"]', { hasText: text }).first().waitFor({ timeout: T });
  }

  /** The counselor speaks; the open avatar page shows the bubble (replayed speech is never re-shown). */
  async function bubbleOn(page, text = 'Dat klinkt goed. Rustig aan.') {
    await counselor.fill('#speak-input', text);
    await counselor.click('#speak-send');
    await page.locator('#speech-bubble:not([hidden])', { hasText: text }).waitFor({ timeout: T });
  }

  /** The phone layout in light and dark, for docs/screenshots. */
  async function phonePictures(page, name) {
    for (const scheme of Schemes) {
      await page.emulateMedia({ colorScheme: scheme });
      await screenshot(page, `${name}-${scheme}`);
    }
    await page.emulateMedia({ colorScheme: 'light' });
  }

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    staged = await pairedClient(server.baseUrl, { alias: 'Kingfisher', language: 'nl', session: true });
    waiting = await pairedClient(server.baseUrl, { alias: 'Wren', language: 'ja' });
    counselorCtx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    counselor = await counselorCtx.newPage();
    watchPage(counselor, 'console', problems);
    await counselor.goto(`${server.baseUrl}/`);
    await counselor.fill('#username', demo.username);
    await counselor.fill('#password', demo.password);
    await counselor.click('#login-button');
    await counselor.locator('#current-user').waitFor({ timeout: T });
    await counselor.goto(`${server.baseUrl}/#/sessions/${staged.sessionId}`);
    await counselor.locator('#session-room').waitFor({ timeout: T });
    await counselorSays('Welcome back. Take your time.');
    // The client's own words in the log, long ones included, so layouts are measured with real content.
    const page = await avatarPage({ width: 1280, height: 800 });
    await atStage(page);
    for (const text of [LongDutch, LongJapanese]) {
      await page.fill('#message-input', text);
      await page.click('#send-button');
      await page.locator('#log li.msg.mine[data-seq]', { hasText: text.slice(0, 20) }).waitFor({ timeout: T });
    }
    await counselor.fill('#speak-input', 'Dat klinkt goed. Rustig aan.');
    await counselor.click('#speak-send');
    await page.context().close();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('axe finds no critical or serious violation on any state, in en/ja/nl, light and dark', async () => {
    const found = [];
    let runs = 0;
    for (const lang of Langs) {
      for (const scheme of Schemes) {
        const check = async (page, state) => {
          runs++;
          for (const p of await axeProblems(page)) found.push(`[${lang} ${scheme} ${state}] ${p}`);
        };
        // Pairing, then a wrong code (the error state).
        const pair = await avatarPage({ lang, scheme, who: null });
        await pair.locator('#pair-code').waitFor({ timeout: T });
        await check(pair, 'pair');
        await pair.fill('#pair-code', '0000 0000');
        await pair.click('#pair-button');
        await pair.locator('#pair-error:not([hidden])').waitFor({ timeout: T });
        await check(pair, 'pair-error');
        await pair.context().close();
        // Waiting, and the settings dialog.
        const wait = await avatarPage({ lang, scheme, who: waiting });
        await wait.locator('#waiting-room').waitFor({ timeout: T });
        await check(wait, 'waiting');
        await wait.click('#settings-btn');
        await wait.locator('dialog#settings[open]').waitFor({ timeout: T });
        await check(wait, 'settings');
        await wait.context().close();
        // The conversation, with the speech bubble showing.
        const stage = await avatarPage({ lang, scheme });
        await atStage(stage);
        await bubbleOn(stage);
        await check(stage, 'stage');
        await stage.context().close();
      }
    }
    assert.equal(runs, 30);
    // The check itself can fail: an unnamed button is reported.
    const probe = await avatarPage({ who: null });
    await probe.locator('#pair-code').waitFor({ timeout: T });
    await probe.evaluate(() => document.querySelector('#app').append(document.createElement('button')));
    assert.ok((await axeProblems(probe)).some((p) => p.includes('button-name')), 'axe reports an unnamed button');
    await probe.context().close();
    assert.deepEqual(found, [], `axe:\n${found.join('\n')}`);
  });

  it('layouts from 320 px: no horizontal overflow, controls and the message box inside the viewport', async () => {
    const sizes = [[320, 568], [375, 740], [768, 1024], [1024, 768], [1280, 800]];
    const found = [];
    const inside = async (page, sel) => {
      const box = await page.locator(sel).first().boundingBox();
      const vw = await page.evaluate(() => ({ w: window.innerWidth, h: window.innerHeight }));
      if (!box) return `${sel} is not shown`;
      const ok = box.x >= 0 && box.y >= 0 && box.x + box.width <= vw.w + 0.5 && box.y + box.height <= vw.h + 0.5;
      return ok ? null : `${sel} at ${JSON.stringify(box)} outside ${vw.w}×${vw.h}`;
    };
    const noOverflow = async (page) => {
      const o = await page.evaluate(() => ({ sw: document.documentElement.scrollWidth, w: window.innerWidth }));
      return o.sw <= o.w ? null : `page is ${o.sw} px wide in a ${o.w} px viewport`;
    };
    for (const [width, height] of sizes) {
      for (const lang of Langs) {
        const tag = `${lang} ${width}×${height}`;
        const note = (p) => p && found.push(`[${tag}] ${p}`);
        const pair = await avatarPage({ width, height, lang, who: null });
        await pair.locator('#pair-code').waitFor({ timeout: T });
        note(await noOverflow(pair));
        for (const sel of ['#pair-code', '#pair-button']) note(await inside(pair, sel));
        if (width === 375) await phonePictures(pair, `avatar-phone-pair-${lang}`);
        await pair.context().close();

        const wait = await avatarPage({ width, height, lang, who: waiting });
        await wait.locator('#waiting-room').waitFor({ timeout: T });
        note(await noOverflow(wait));
        await wait.click('#settings-btn');
        await wait.locator('dialog#settings[open]').waitFor({ timeout: T });
        note(await noOverflow(wait));
        note(await inside(wait, '#nickname-input'));
        if (width === 375) await phonePictures(wait, `avatar-phone-settings-${lang}`);
        await wait.context().close();

        const stage = await avatarPage({ width, height, lang });
        await atStage(stage);
        await bubbleOn(stage, { en: 'It is good to see you here.', ja: '来てくれてうれしいです。ゆっくりでいいですよ。', nl: 'Fijn dat je er bent. Neem je tijd.' }[lang]);
        note(await noOverflow(stage));
        for (const sel of ['#message-input', '#send-button', '#settings-btn', '#voice-toggle', '#lang-select']) note(await inside(stage, sel));
        // The client's own long messages wrap inside the list.
        const overflowing = await stage.locator('#log li.msg').evaluateAll((els) => {
          const log = document.getElementById('log').getBoundingClientRect();
          return els.filter((e) => { const r = e.getBoundingClientRect(); return r.left < log.left - 1 || r.right > log.right + 1; }).map((e) => e.textContent.slice(0, 30));
        });
        if (overflowing.length) note(`messages cut off: ${overflowing.join(' / ')}`);
        // The speech bubble does not cover the avatar's head.
        const overlap = await stage.evaluate(() => {
          const b = document.getElementById('speech-bubble');
          if (!b || b.hidden) return 'no speech bubble to measure';
          const head = document.querySelector('#counselor-avatar .av-head').getBoundingClientRect();
          const r = b.getBoundingClientRect();
          return r.left < head.right && r.right > head.left && r.top < head.bottom && r.bottom > head.top ? 'the speech bubble covers the avatar\'s head' : null;
        });
        note(overlap);
        if (width === 375) await phonePictures(stage, `avatar-phone-session-${lang}`);
        // Touch targets on the avatar page: at least 44 × 44 CSS px.
        const small = await stage.locator('#app button, #app select, #app textarea').evaluateAll((els) => els
          .map((e) => ({ id: e.id || e.dataset.reaction || e.className, r: e.getBoundingClientRect() }))
          .filter((x) => x.r.width > 0 && (x.r.width < 44 || x.r.height < 44)).map((x) => `${x.id} ${Math.round(x.r.width)}×${Math.round(x.r.height)}`));
        if (small.length) note(`touch targets under 44 px: ${small.join(', ')}`);
        await stage.context().close();
      }
    }
    assert.deepEqual(found, [], found.join('\n'));
  });

  it('with an on-screen keyboard (a short visual viewport) the message box stays visible', async () => {
    const page = await avatarPage({ width: 375, height: 740, lang: 'nl' });
    await atStage(page);
    await page.focus('#message-input');
    // What a phone keyboard leaves of a 740 px screen.
    await page.setViewportSize({ width: 375, height: 400 });
    await page.waitForFunction(() => getComputedStyle(document.documentElement).getPropertyValue('--vvh') === '400px');
    const box = await page.locator('#message-input').boundingBox();
    assert.ok(box && box.y >= 0 && box.y + box.height <= 400, `message box at ${JSON.stringify(box)} within 400 px`);
    const send = await page.locator('#send-button').boundingBox();
    assert.ok(send && send.y + send.height <= 400 && send.x + send.width <= 375, 'send button visible');
    await screenshot(page, 'avatar-phone-keyboard-nl');
    await page.context().close();
  });

  it('one live region announces each new message once, with who said it; the list is never rebuilt', async () => {
    const page = await avatarPage({ width: 1280, height: 800, lang: 'en' });
    await atStage(page);
    const live = await page.evaluate(() => [...document.querySelectorAll('[aria-live]')].map((e) => e.id));
    assert.deepEqual(live, ['announcer'], 'exactly one live region');
    // Mark the items that exist; if the list were rebuilt, the marks would be gone.
    const marked = await page.locator('#log li').evaluateAll((els) => els.map((e) => (e.__kept = true)).length);
    assert.ok(marked >= 3);
    const lines = () => page.locator('#announcer p').allTextContents();
    const before = (await lines()).length;
    await counselorSays('How was your week?');
    await page.locator('#announcer p', { hasText: 'How was your week?' }).waitFor({ timeout: T });
    let said = await lines();
    const fresh = said.slice(Math.min(before, said.length - 1));
    assert.equal(fresh.filter((l) => l.includes('How was your week?')).length, 1, 'announced once');
    assert.match(said[said.length - 1], /^.+: How was your week\?$/, 'one line, saying who wrote it');
    assert.equal(await page.locator('#log li').evaluateAll((els) => els.filter((e) => e.__kept).length), marked, 'existing items kept');

    await page.fill('#message-input', 'It was quiet.');
    await page.press('#message-input', 'Enter');
    await page.locator('#announcer p', { hasText: 'Your message was sent.' }).waitFor({ timeout: T });
    await counselor.locator('#room-log li[data-role="client"]', { hasText: 'It was quiet.' }).waitFor({ timeout: T });
    await page.locator('#log li.msg.mine[data-seq]', { hasText: 'It was quiet.' }).waitFor({ timeout: T });
    said = await lines();
    assert.equal(said.filter((l) => l === 'Your message was sent.').length, 1, 'own send confirmed once');
    assert.equal(said.filter((l) => l.includes('It was quiet.')).length, 0, 'own text not read back');
    // The client's own messages say "You" to a screen reader.
    const mine = await page.locator('#log li.msg.mine[data-seq]', { hasText: 'It was quiet.' }).textContent();
    assert.match(mine, /^You · \d{1,2}:\d{2}.*: It was quiet\.$/);
    // Names of the controls are words in the page's language, not emoji or times.
    assert.equal(await page.locator('#voice-toggle').getAttribute('aria-label'), 'Read aloud');
    assert.equal(await page.locator('#log li[title]').count(), 0, 'no item is named by its time');
    await page.selectOption('#lang-select', 'ja');
    assert.equal(await page.locator('#voice-toggle').getAttribute('aria-label'), '読み上げ');
    assert.equal(await page.locator('button[data-reaction="smile"]').getAttribute('aria-label'), '笑顔');
    await page.context().close();
  });

  it('a draft, the focus and the list position survive mute, language change, reload and a reconnect', async () => {
    const page = await avatarPage({ width: 375, height: 740, lang: 'en' });
    await atStage(page);
    const draft = 'Something I have not sent yet';
    await page.fill('#message-input', draft);
    await page.press('#message-input', 'End');
    await page.keyboard.type(' — still typing');
    const full = `${draft} — still typing`;
    // Scroll the list up to an earlier message: the place is kept like the draft.
    const fromBottom = () => page.locator('#log').evaluate((l) => Math.round(l.scrollHeight - l.scrollTop - l.clientHeight));
    await page.locator('#log').evaluate((l) => { l.scrollTop = 40; l.dispatchEvent(new Event('scroll')); });
    const place = await fromBottom();
    assert.ok(place > 100, `the list is scrolled up (${place} px from the bottom)`);

    await page.click('#voice-toggle');
    assert.equal(await page.locator('#voice-toggle').getAttribute('aria-pressed'), 'false', 'muted');
    assert.equal(await page.inputValue('#message-input'), full, 'draft kept after mute');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'voice-toggle', 'focus stays on the mute button');

    await page.focus('#lang-select');
    await page.selectOption('#lang-select', 'nl');
    await page.locator('#send-button', { hasText: 'Versturen' }).waitFor({ timeout: T });
    assert.equal(await page.inputValue('#message-input'), full, 'draft kept after a language change');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'lang-select', 'focus stays on the language choice');
    assert.ok(Math.abs((await fromBottom()) - place) <= 2, 'list position kept after mute and a language change');

    await page.focus('#message-input');
    await page.reload();
    await atStage(page);
    assert.equal(await page.inputValue('#message-input'), full, 'draft kept after a reload');
    await page.waitForFunction((p) => { const l = document.getElementById('log'); return Math.abs(l.scrollHeight - l.scrollTop - l.clientHeight - p) <= 2; }, place, { timeout: T });
    await page.waitForFunction(() => document.activeElement?.id === 'message-input', null, { timeout: T });

    await server.crash();
    await page.locator('#conn:not([data-state="connected"])').waitFor({ timeout: T });
    await server.launch();
    await page.locator('#conn[data-state="connected"]').waitFor({ timeout: 60_000 });
    await counselor.locator('#link-status[data-state="connected"]').waitFor({ timeout: 60_000 });
    assert.equal(await page.inputValue('#message-input'), full, 'draft kept through a reconnect');
    // The draft is in sessionStorage only: closing the browser on a shared computer drops it.
    assert.equal(await page.evaluate(() => Object.entries(localStorage).filter(([, v]) => v.includes('still typing')).length), 0);
    assert.equal(await page.evaluate(() => sessionStorage.getItem('hikiconsult.draft')), full);
    await page.context().close();
  });

  it('keyboard only: pair, write, open and close settings (focus returns), answer a reaction', async () => {
    const code = await pairingCode(server.baseUrl, staged.token, staged.client.id);
    const page = await avatarPage({ width: 375, height: 740, lang: 'en', who: null });
    await page.locator('#pair-code').waitFor({ timeout: T });
    assert.equal(await page.evaluate(() => document.activeElement.id), 'pair-code', 'starts in the code field');
    assert.equal(await page.getAttribute('#pair-code', 'inputmode'), 'numeric');
    assert.equal(await page.getAttribute('#pair-code', 'autocomplete'), 'one-time-code');
    await page.keyboard.type('1234');
    await page.keyboard.press('Enter');
    await page.locator('#pair-error:not([hidden])').waitFor({ timeout: T });
    assert.equal(await page.getAttribute('#pair-code', 'aria-invalid'), 'true', 'the field is marked');
    assert.match(await page.getAttribute('#pair-code', 'aria-describedby'), /pair-error/, 'the error is tied to the field');
    assert.ok((await page.locator('#announcer p').allTextContents()).some((l) => l.includes('eight digits')), 'the error is announced');
    await page.keyboard.press('Control+A');
    await page.keyboard.type(code.replace(/\D/g, ''));
    await page.keyboard.press('Enter');
    await atStage(page);
    assert.equal(await page.evaluate(() => document.activeElement.tagName), 'H1', 'focus on the new page\'s heading');
    // Tab to the message box, write, send with Enter.
    for (let i = 0; i < 40 && (await page.evaluate(() => document.activeElement.id)) !== 'message-input'; i++) await page.keyboard.press('Tab');
    await page.keyboard.type('Typed with the keyboard.');
    await page.keyboard.press('Enter');
    await counselor.locator('#room-log li[data-role="client"]', { hasText: 'Typed with the keyboard.' }).waitFor({ timeout: T });
    // Settings: Shift+Tab back to the button, open with Enter, dialog named, Escape closes, focus returns.
    await page.focus('#settings-btn');
    await page.keyboard.press('Enter');
    const dlg = page.locator('dialog#settings[open]');
    await dlg.waitFor({ timeout: T });
    const labelledBy = await dlg.getAttribute('aria-labelledby');
    assert.equal(await page.locator(`#${labelledBy}`).textContent(), 'Settings', 'the dialog is named');
    assert.ok(await page.evaluate(() => document.querySelector('dialog#settings').contains(document.activeElement)), 'focus inside the dialog');
    await page.keyboard.press('Escape');
    await dlg.waitFor({ state: 'detached', timeout: T });
    assert.equal(await page.evaluate(() => document.activeElement.id), 'settings-btn', 'focus back on the opener');
    await page.focus('button[data-reaction="ok"]');
    await page.keyboard.press('Enter');
    await counselor.locator('#last-reaction', { hasText: 'ok' }).waitFor({ timeout: T });
    await page.context().close();
  });

  it('with reduced motion a gesture is a still pose and nothing keeps moving', async () => {
    const page = await avatarPage({ width: 1280, height: 800, lang: 'en', reducedMotion: 'reduce' });
    await atStage(page);
    await counselor.click('button[data-gesture="wave"]');
    await page.locator('#counselor-avatar.g-wave').waitFor({ timeout: T });
    const running = await page.evaluate(() => document.getAnimations().filter((a) => a.playState === 'running').map((a) => a.animationName ?? String(a)));
    assert.deepEqual(running, [], 'no running animation');
    const hand = await page.locator('#counselor-avatar .av-hand-r').evaluate((e) => getComputedStyle(e).opacity);
    assert.equal(hand, '1', 'the waving hand is shown as a pose');
    // Speaking: the mouth takes one still shape instead of moving (collected until the speech has ended).
    await page.click('#voice-toggle');
    await page.evaluate(() => {
      window.mouthShapes = new Set();
      const mouth = document.querySelector('#counselor-avatar .av-mouth');
      new MutationObserver(() => document.querySelector('#counselor-avatar').dataset.speaking === 'true' && window.mouthShapes.add(mouth.getAttribute('d')))
        .observe(mouth, { attributes: true, attributeFilter: ['d'] });
    });
    await counselor.fill('#speak-input', 'These words are shown, and the mouth keeps still.');
    await counselor.click('#speak-send');
    await page.locator('#counselor-avatar[data-speaking="true"]').waitFor({ timeout: T });
    await page.locator('#counselor-avatar[data-speaking="false"]').waitFor({ timeout: T });
    assert.ok(await page.evaluate(() => window.mouthShapes.size) <= 1, 'one mouth shape while speaking');
    await page.context().close();
  });

  it('focus rings are at least 2 px and 3:1 against their background, light and dark', async () => {
    const weak = [];
    let measured = 0;
    for (const scheme of Schemes) {
      const page = await avatarPage({ width: 375, height: 740, lang: 'en', scheme });
      await atStage(page);
      const rings = await focusRings(page);
      measured += rings.length;
      for (const r of rings) if (r.style === 'none' || r.width < 2 || r.contrast < 3) weak.push(`[${scheme}] ${JSON.stringify(r)}`);
      await page.context().close();
    }
    assert.ok(measured >= 20, `measured ${measured} controls`);
    assert.deepEqual(weak, []);
  });

  it('a dark colour scheme gives a dark page', async () => {
    const page = await avatarPage({ width: 375, height: 740, lang: 'en', scheme: 'dark' });
    await atStage(page);
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const [r, g, b] = bg.match(/\d+/g).map(Number);
    assert.ok(r + g + b < 120, `dark background, got ${bg}`);
    await page.context().close();
  });

  it('unpairing clears everything the device kept', async () => {
    const page = await avatarPage({ width: 375, height: 740, lang: 'en' });
    await atStage(page);
    await page.fill('#message-input', 'a draft to be forgotten');
    assert.ok(await page.evaluate(() => Object.keys(localStorage).some((k) => k.startsWith('hikiconsult.'))));
    await page.click('#settings-btn');
    page.once('dialog', (d) => d.accept());
    await page.click('#forget-device');
    await page.locator('#pair-code').waitFor({ timeout: T });
    const left = await page.evaluate(() => [...Object.keys(localStorage), ...Object.keys(sessionStorage)].filter((k) => k.startsWith('hikiconsult.')));
    assert.deepEqual(left, [], 'nothing of this client stays in the browser');
    await page.context().close();
    assert.deepEqual(problems, [], 'no script errors and no CSP violations');
  });
});
