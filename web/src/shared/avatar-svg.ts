// The project's own avatar, drawn in SVG. Expressions follow the VRM 1.0 presets (weighted 0..1 between
// neutral and the preset), gestures are short CSS animations, and the state is mirrored into data-*
// attributes so tests and assistive tools can read what the avatar shows.
import { s } from './dom';

export interface Look { id: string; skin: string; hair: string; shirt: string; accent: string; hairStyle: 'short' | 'bob' | 'long' | 'beanie' | 'cat' | 'bun' }

export const Looks: Look[] = [
  { id: 'counselor', skin: '#f3d2b8', hair: '#5b4636', shirt: '#7fa7a0', accent: '#e9f1ee', hairStyle: 'bun' },
  { id: 'sky', skin: '#f6dcc6', hair: '#3f4a66', shirt: '#8fb3d9', accent: '#e6eef8', hairStyle: 'short' },
  { id: 'leaf', skin: '#e9c4a4', hair: '#6b5a3a', shirt: '#9cbf8f', accent: '#eef5e9', hairStyle: 'bob' },
  { id: 'dusk', skin: '#d9a988', hair: '#2f2a33', shirt: '#b49ac9', accent: '#f1ebf6', hairStyle: 'long' },
  { id: 'beanie', skin: '#f1cfb4', hair: '#8a6d55', shirt: '#d9a07c', accent: '#fbefe6', hairStyle: 'beanie' },
  { id: 'cat', skin: '#f5dfcf', hair: '#9a8f86', shirt: '#a7b6bf', accent: '#eef2f4', hairStyle: 'cat' },
];

export function lookById(id: string | null | undefined): Look {
  return Looks.find((l) => l.id === id) ?? Looks[1];
}

interface FaceParams { browY: number; browTilt: number; eyeOpen: number; eyeSmile: number; mouthCurve: number; mouthOpen: number; mouthWidth: number; blush: number }

const Presets: Record<string, FaceParams> = {
  neutral: { browY: 0, browTilt: 0, eyeOpen: 1, eyeSmile: 0, mouthCurve: 0.25, mouthOpen: 0, mouthWidth: 1, blush: 0.15 },
  happy: { browY: -4, browTilt: 0, eyeOpen: 1, eyeSmile: 1, mouthCurve: 1, mouthOpen: 0.45, mouthWidth: 1.15, blush: 0.6 },
  angry: { browY: 4, browTilt: -1, eyeOpen: 0.8, eyeSmile: 0, mouthCurve: -0.55, mouthOpen: 0.05, mouthWidth: 0.85, blush: 0.1 },
  sad: { browY: -2, browTilt: 1, eyeOpen: 0.75, eyeSmile: 0, mouthCurve: -0.75, mouthOpen: 0, mouthWidth: 0.85, blush: 0.05 },
  relaxed: { browY: -1, browTilt: 0.25, eyeOpen: 0.35, eyeSmile: 0.5, mouthCurve: 0.65, mouthOpen: 0, mouthWidth: 1, blush: 0.35 },
  surprised: { browY: -11, browTilt: 0.3, eyeOpen: 1.3, eyeSmile: 0, mouthCurve: 0, mouthOpen: 1, mouthWidth: 0.6, blush: 0.1 },
};

export const GestureDurations: Record<string, number> = { nod: 1400, wave: 2200, bow: 2200, tilt: 2200, shake: 1500, think: 2800, cheer: 1900 };

const GazeOffsets: Record<string, [number, number]> = {
  client: [0, 0], away: [9, -3], up: [0, -6], down: [0, 6], left: [-7, 0], right: [7, 0],
};

export class SvgAvatar {
  readonly root: SVGSVGElement;
  private expression = 'neutral';
  private weight = 1;
  private speakingTimer: number | undefined;
  private gestureTimer: number | undefined;
  private mouthPulse = 0;
  private readonly parts: Record<string, SVGElement> = {};

  constructor(private look: Look, options: { label?: string; small?: boolean } = {}) {
    this.root = s('svg', { viewBox: '0 0 400 420', class: 'svg-avatar', role: 'img', 'aria-label': options.label ?? 'avatar' }) as SVGSVGElement;
    this.build();
    this.setExpression('neutral', 1);
    this.setGaze('client');
    this.root.dataset.gesture = 'none';
    this.root.dataset.lastGesture = 'none';
    this.root.dataset.speaking = 'false';
  }

  setLook(look: Look): void {
    this.look = look;
    while (this.root.firstChild) this.root.removeChild(this.root.firstChild);
    this.build();
    this.render();
  }

  private build(): void {
    const L = this.look;
    const p = this.parts;
    this.root.dataset.look = L.id;
    this.root.style.setProperty('--av-skin', L.skin);
    const defs = s('defs', {},
      s('radialGradient', { id: `bg-${L.id}`, cx: '50%', cy: '40%', r: '70%' },
        s('stop', { offset: '0%', 'stop-color': L.accent }), s('stop', { offset: '100%', 'stop-color': shade(L.accent, -0.06) })));
    const bg = s('circle', { cx: 200, cy: 210, r: 200, fill: `url(#bg-${L.id})`, class: 'av-backdrop' });

    p.body = s('g', { class: 'av-body' });
    const torso = s('path', { d: 'M88 420 C 92 338, 140 318, 200 318 C 260 318, 308 338, 312 420 Z', fill: L.shirt });
    const collar = s('path', { d: 'M172 320 Q200 352 228 320', fill: 'none', stroke: shade(L.shirt, -0.18), 'stroke-width': 5, 'stroke-linecap': 'round' });
    const neck = s('path', { d: 'M178 282 L178 322 Q200 336 222 322 L222 282 Z', fill: shade(L.skin, -0.08) });

    p.head = s('g', { class: 'av-head' });
    const hairBack = this.hairBack();
    const ears = [s('ellipse', { cx: 112, cy: 200, rx: 14, ry: 20, fill: shade(L.skin, -0.04) }), s('ellipse', { cx: 288, cy: 200, rx: 14, ry: 20, fill: shade(L.skin, -0.04) })];
    const face = s('ellipse', { cx: 200, cy: 196, rx: 90, ry: 98, fill: L.skin });
    p.blushL = s('ellipse', { cx: 146, cy: 232, rx: 17, ry: 9, fill: '#f08a8a' });
    p.blushR = s('ellipse', { cx: 254, cy: 232, rx: 17, ry: 9, fill: '#f08a8a' });
    p.eyes = s('g', { class: 'av-eyes' });
    p.eyeL = s('ellipse', { cx: 164, cy: 200, rx: 11, ry: 14, fill: '#2d2a32' });
    p.eyeR = s('ellipse', { cx: 236, cy: 200, rx: 11, ry: 14, fill: '#2d2a32' });
    p.glintL = s('circle', { cx: 168, cy: 195, r: 3.5, fill: '#fff' });
    p.glintR = s('circle', { cx: 240, cy: 195, r: 3.5, fill: '#fff' });
    p.lidL = s('path', { fill: L.skin });
    p.lidR = s('path', { fill: L.skin });
    p.smileL = s('path', { fill: 'none', stroke: '#2d2a32', 'stroke-width': 5, 'stroke-linecap': 'round' });
    p.smileR = s('path', { fill: 'none', stroke: '#2d2a32', 'stroke-width': 5, 'stroke-linecap': 'round' });
    p.blinkable = s('g', { class: 'av-blink' }, p.eyeL, p.eyeR, p.glintL, p.glintR, p.lidL, p.lidR);
    p.eyes.append(p.blinkable, p.smileL, p.smileR);
    p.browL = s('path', { fill: 'none', stroke: shade(L.hair, -0.1), 'stroke-width': 6, 'stroke-linecap': 'round' });
    p.browR = s('path', { fill: 'none', stroke: shade(L.hair, -0.1), 'stroke-width': 6, 'stroke-linecap': 'round' });
    p.mouth = s('path', { class: 'av-mouth', fill: '#b5505a', stroke: '#8c3a44', 'stroke-width': 4, 'stroke-linejoin': 'round', 'stroke-linecap': 'round' });
    const hairFront = this.hairFront();
    p.head.append(hairBack, ...ears, face, p.blushL, p.blushR, p.eyes, p.browL, p.browR, p.mouth, hairFront);

    const hand = (cls: string) => s('g', { class: cls },
      s('rect', { x: -13, y: 0, width: 26, height: 74, rx: 13, fill: L.shirt }),
      s('circle', { cx: 0, cy: -4, r: 19, fill: L.skin, stroke: shade(L.skin, -0.16), 'stroke-width': 2.5 }));
    p.handR = hand('av-hand av-hand-r');
    p.handL = hand('av-hand av-hand-l');
    p.body.append(torso, collar, neck, p.head, p.handR, p.handL);
    this.root.append(defs, bg, p.body);
  }

  private hairBack(): SVGElement {
    const c = this.look.hair;
    switch (this.look.hairStyle) {
      case 'long':
        return s('path', { d: 'M104 190 C 96 90, 304 90, 296 190 L 306 330 Q 200 360 94 330 Z', fill: c });
      case 'bob':
        return s('path', { d: 'M100 200 C 92 92, 308 92, 300 200 L 300 262 Q 200 282 100 262 Z', fill: c });
      case 'bun':
        return s('g', {}, s('circle', { cx: 200, cy: 84, r: 34, fill: c }), s('path', { d: 'M104 200 C 96 96, 304 96, 296 200 Z', fill: c }));
      case 'cat':
        return s('g', {},
          s('path', { d: 'M118 132 L 122 62 L 176 106 Z', fill: c }), s('path', { d: 'M282 132 L 278 62 L 224 106 Z', fill: c }),
          s('path', { d: 'M130 120 L 132 82 L 162 106 Z', fill: '#f3b7b7' }), s('path', { d: 'M270 120 L 268 82 L 238 106 Z', fill: '#f3b7b7' }),
          s('path', { d: 'M106 200 C 98 96, 302 96, 294 200 Z', fill: c }));
      default:
        return s('path', { d: 'M106 196 C 98 96, 302 96, 294 196 Z', fill: c });
    }
  }

  private hairFront(): SVGElement {
    const c = this.look.hair;
    switch (this.look.hairStyle) {
      case 'beanie':
        return s('g', {},
          s('path', { d: 'M104 160 C 104 62, 296 62, 296 160 Z', fill: this.look.shirt }),
          s('rect', { x: 98, y: 142, width: 204, height: 30, rx: 15, fill: shade(this.look.shirt, -0.12) }),
          s('circle', { cx: 200, cy: 66, r: 16, fill: shade(this.look.shirt, -0.12) }));
      case 'long':
      case 'bob':
        return s('path', { d: 'M110 178 C 112 100, 288 100, 290 178 C 262 150, 236 136, 200 132 C 170 146, 140 160, 110 178 Z', fill: c });
      case 'bun':
        return s('path', { d: 'M110 170 C 118 104, 282 104, 290 170 C 250 136, 150 136, 110 170 Z', fill: c });
      default:
        // Short hair with a soft side-swept fringe.
        return s('path', { d: 'M106 182 C 100 92, 300 88, 294 178 C 286 150, 270 134, 250 126 C 226 150, 180 160, 132 150 C 120 158, 112 168, 106 182 Z', fill: c });
    }
  }

  /** VRM preset by name, weighted 0..1 against neutral. Unknown names fall back to neutral. */
  setExpression(name: string, weight = 1): void {
    this.expression = Presets[name] ? name : 'neutral';
    this.weight = Math.max(0, Math.min(1, Number.isFinite(weight) ? weight : 1));
    this.root.dataset.expression = this.expression;
    this.root.dataset.expressionWeight = this.weight.toFixed(2);
    this.render();
  }

  setGaze(target: string): void {
    const [dx, dy] = GazeOffsets[target] ?? [0, 0];
    this.root.dataset.gaze = GazeOffsets[target] ? target : 'client';
    this.parts.eyes.setAttribute('transform', `translate(${dx} ${dy})`);
  }

  /** Plays one gesture; a new gesture replaces a running one. */
  playGesture(name: string): void {
    const ms = GestureDurations[name];
    if (!ms) return;
    window.clearTimeout(this.gestureTimer);
    this.root.classList.remove(...Object.keys(GestureDurations).map((g) => `g-${g}`));
    void this.root.getBoundingClientRect(); // restart the CSS animation
    this.root.classList.add(`g-${name}`);
    this.root.dataset.gesture = name;
    this.root.dataset.lastGesture = name;
    this.gestureTimer = window.setTimeout(() => {
      this.root.classList.remove(`g-${name}`);
      this.root.dataset.gesture = 'none';
    }, ms);
  }

  /** Mouth movement while speech plays; the caller says when speech ends. */
  setSpeaking(on: boolean): void {
    window.clearInterval(this.speakingTimer);
    this.root.dataset.speaking = String(on);
    this.mouthPulse = 0;
    // With reduced motion the mouth stays still, slightly open, while speaking (the bubble shows the words).
    if (on && window.matchMedia?.('(prefers-reduced-motion: reduce)').matches) this.mouthPulse = 0.35;
    else if (on) {
      let t = 0;
      this.speakingTimer = window.setInterval(() => {
        t++;
        this.mouthPulse = t % 2 === 0 ? 0.15 : 0.55 + 0.2 * Math.sin(t);
        this.render();
      }, 140);
    }
    this.render();
  }

  private params(): FaceParams {
    const a = Presets.neutral;
    const b = Presets[this.expression];
    const w = this.weight;
    const mix = (k: keyof FaceParams) => a[k] + (b[k] - a[k]) * w;
    return {
      browY: mix('browY'), browTilt: mix('browTilt'), eyeOpen: mix('eyeOpen'), eyeSmile: mix('eyeSmile'),
      mouthCurve: mix('mouthCurve'), mouthOpen: Math.max(mix('mouthOpen'), this.mouthPulse), mouthWidth: mix('mouthWidth'), blush: mix('blush'),
    };
  }

  private render(): void {
    const p = this.parts;
    const f = this.params();
    // Brows: the inner end rises with a positive tilt (sad) and drops with a negative one (angry).
    const by = 164 + f.browY;
    const tilt = f.browTilt * 9;
    p.browL.setAttribute('d', `M142 ${by + tilt * 0.2} Q 160 ${by - 8 - Math.abs(tilt) * 0.2} 180 ${by - tilt}`);
    p.browR.setAttribute('d', `M258 ${by + tilt * 0.2} Q 240 ${by - 8 - Math.abs(tilt) * 0.2} 220 ${by - tilt}`);
    // Eyes: open amount scales the oval; a smile lifts the lower lid, and at full smile the eye becomes an arc.
    const ry = Math.max(1.5, 14 * f.eyeOpen);
    for (const [eye, glint, lid, smile, cx] of [[p.eyeL, p.glintL, p.lidL, p.smileL, 164], [p.eyeR, p.glintR, p.lidR, p.smileR, 236]] as [SVGElement, SVGElement, SVGElement, SVGElement, number][]) {
      eye.setAttribute('ry', ry.toFixed(1));
      glint.setAttribute('cy', (200 - ry * 0.35).toFixed(1));
      glint.setAttribute('opacity', f.eyeOpen > 0.45 ? '1' : '0');
      const lidTop = 200 + ry - f.eyeSmile * ry * 1.1;
      lid.setAttribute('d', `M${cx - 16} ${lidTop + 2} Q ${cx} ${lidTop - 8 * f.eyeSmile} ${cx + 16} ${lidTop + 2} L ${cx + 16} ${220} L ${cx - 16} 220 Z`);
      const arc = f.eyeSmile > 0.85;
      eye.setAttribute('opacity', arc ? '0' : '1');
      glint.setAttribute('opacity', arc ? '0' : glint.getAttribute('opacity') ?? '1');
      smile.setAttribute('d', `M${cx - 12} 204 Q ${cx} 190 ${cx + 12} 204`);
      smile.setAttribute('opacity', arc ? '1' : '0');
    }
    // Mouth: corners by width, lips by curve; opening adds a lower lip and fills the shape.
    const w = 30 * f.mouthWidth;
    const y = 250;
    const curve = f.mouthCurve * 16;
    const open = f.mouthOpen * 26;
    const cornerY = y - curve * 0.35;
    const top = `M${200 - w} ${cornerY} Q 200 ${y + curve - open * 0.15} ${200 + w} ${cornerY}`;
    if (open < 2) {
      p.mouth.setAttribute('d', top);
      p.mouth.setAttribute('fill', 'none');
    } else {
      p.mouth.setAttribute('d', `${top} Q 200 ${y + curve + open} ${200 - w} ${cornerY} Z`);
      p.mouth.setAttribute('fill', '#b5505a');
    }
    p.blushL.setAttribute('opacity', (f.blush * 0.55).toFixed(2));
    p.blushR.setAttribute('opacity', (f.blush * 0.55).toFixed(2));
  }
}

function shade(hex: string, amount: number): string {
  const n = parseInt(hex.slice(1), 16);
  const ch = (v: number) => Math.max(0, Math.min(255, Math.round(v + 255 * amount)));
  const r = ch((n >> 16) & 255), g = ch((n >> 8) & 255), b = ch(n & 255);
  return `#${((r << 16) | (g << 8) | b).toString(16).padStart(6, '0')}`;
}
