// The counselor's spoken lines: shown in the speech bubble, read aloud unless the client muted it.
import { counselorAvatar, state, view } from './state';
import { prefs } from './store';

let bubbleTimer: number | undefined;

export function speak(textToSay: string, voice?: string): void {
  state.bubbleText = textToSay;
  view.renderBubble();
  window.clearTimeout(bubbleTimer);
  const fallbackMs = Math.min(9000, 1200 + textToSay.length * 70);
  const finish = () => {
    counselorAvatar.setSpeaking(false);
    window.clearTimeout(bubbleTimer);
    // The bubble stays readable for a while after speech; it is not a timer the client must beat.
    bubbleTimer = window.setTimeout(() => {
      state.bubbleText = '';
      view.renderBubble();
    }, 20000);
  };
  counselorAvatar.setSpeaking(true);
  const synth = window.speechSynthesis;
  if (prefs.voiceOn() && synth && typeof SpeechSynthesisUtterance !== 'undefined') {
    try {
      synth.cancel();
      const u = new SpeechSynthesisUtterance(textToSay);
      u.lang = voice && /^[a-z]{2}(-|$)/i.test(voice) ? voice : { en: 'en-US', ja: 'ja-JP', nl: 'nl-NL' }[state.lang];
      u.rate = 0.95;
      u.onend = finish;
      u.onerror = finish;
      synth.speak(u);
      // Some browsers have no voices and never fire onend: stop the mouth anyway.
      window.setTimeout(() => counselorAvatar.root.dataset.speaking === 'true' && finish(), fallbackMs + 4000);
      return;
    } catch {
      /* fall through to the silent version */
    }
  }
  window.setTimeout(finish, fallbackMs);
}

export function setVoice(on: boolean): void {
  prefs.setVoice(on);
  if (!on) window.speechSynthesis?.cancel();
}
