// Inline SVG icons: they render without an emoji font and take their accessible name from the page's language.
import { s } from './dom';

const Paths: Record<string, string> = {
  // Speaker with waves / speaker crossed out.
  'voice-on': 'M4 9h4l5-4v14l-5-4H4z M16 8.5a5 5 0 0 1 0 7 M18.5 6a8.5 8.5 0 0 1 0 12',
  'voice-off': 'M4 9h4l5-4v14l-5-4H4z M16.5 9.5l5 5 M21.5 9.5l-5 5',
  // Sliders: reads as "settings" at any size, unlike a gear drawn in a few strokes.
  settings: 'M4 7h9 M17 7h3 M15 5v4 M4 12h3 M11 12h9 M9 10v4 M4 17h11 M19 17h1 M17 15v4',
  smile: 'M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18z M8 14.5c1 1.5 2.4 2.2 4 2.2s3-.7 4-2.2 M9 9.5v1 M15 9.5v1',
  tired: 'M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18z M7.5 10.5h3 M13.5 10.5h3 M10 16h4 M17.5 14.5c1.5.3 2.8 1 3.5 2',
  check: 'M5 12.5l4.5 4.5L19 7.5',
  // Faces for the expressions: the same circle, brows and mouth tell them apart.
  happy: 'M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18z M8 14c1 1.8 2.4 2.7 4 2.7s3-.9 4-2.7 M8.5 9.5q1-1 2 0 M13.5 9.5q1-1 2 0',
  angry: 'M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18z M8.5 16.5q3.5-2.5 7 0 M7.5 8l3 1.5 M16.5 8l-3 1.5 M9 11.5v.5 M15 11.5v.5',
  sad: 'M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18z M8.5 16.5q3.5-2.5 7 0 M7.5 9.5l3-1 M16.5 9.5l-3-1 M9 12v.5 M15 12v.5',
  relaxed: 'M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18z M8.5 14.5q3.5 2.5 7 0 M7.8 10.5q1.2 1 2.4 0 M13.8 10.5q1.2 1 2.4 0',
  surprised: 'M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18z M12 14a1.8 2.2 0 1 0 0 4.4a1.8 2.2 0 1 0 0-4.4z M9 9v1.5 M15 9v1.5 M7.5 6.5l2-.5 M16.5 6.5l-2-.5',
  neutral: 'M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18z M8.5 15.5h7 M9 10v.5 M15 10v.5',
  gaze: 'M2.5 12s3.5-6 9.5-6s9.5 6 9.5 6s-3.5 6-9.5 6s-9.5-6-9.5-6z M12 9.5a2.5 2.5 0 1 0 0 5a2.5 2.5 0 1 0 0-5z',
  speak: 'M4 9h4l5-4v14l-5-4H4z M16 8.5a5 5 0 0 1 0 7',
  nod: 'M12 4a4 4 0 1 0 0 8a4 4 0 1 0 0-8z M12 14v6 M8 17l4 3l4-3',
  wave: 'M7 13V7.5a1.5 1.5 0 0 1 3 0V12 M10 11V5.5a1.5 1.5 0 0 1 3 0V11 M13 11V6.5a1.5 1.5 0 0 1 3 0V13 M16 10.5a1.5 1.5 0 0 1 3 0V15a6 6 0 0 1-6 6h-1a6 6 0 0 1-5-3l-2.5-4a1.5 1.5 0 0 1 2.5-1.5L7 13 M3 5.5l2 1 M4.5 2.5l1.5 2',
  bow: 'M9 3.5a3 3 0 1 0 0 6a3 3 0 1 0 0-6z M7 12c3 0 6 1 8 4l4 5 M9 12l-2 9',
  tilt: 'M12 3a8 8 0 1 0 0 16a8 8 0 1 0 0-16z M9 10v.5 M15 9v.5 M9.5 14.5c1.5 1 3.5 .8 5-.5 M18 3l2.5 2',
  shake: 'M12 5a4 4 0 1 0 0 8a4 4 0 1 0 0-8z M4 9l-2 0 M22 9h-2 M6 5.5l-2-1.5 M18 5.5l2-1.5 M12 15v6',
  think: 'M12 3a8 8 0 1 0 0 16a8 8 0 1 0 0-16z M8.5 9.5h2 M13.5 9.5h2 M10 14.5h4 M18.5 19.5a1.2 1.2 0 1 0 .01 0 M21 22.5a.7.7 0 1 0 .01 0',
  cheer: 'M12 6a2.5 2.5 0 1 0 0 5a2.5 2.5 0 1 0 0-5z M5 3l4 8h6l4-8 M9 11l-1 10 M15 11l1 10',
};

/** An icon; with a label it is an image with that name, without one it is decoration next to visible text. */
export function icon(name: keyof typeof Paths | string, label?: string): SVGElement {
  const el = s('svg', {
    viewBox: '0 0 24 24', class: `icon icon-${name}`, width: 24, height: 24, focusable: 'false',
    ...(label ? { role: 'img', 'aria-label': label } : { 'aria-hidden': 'true' }),
  },
  s('path', { d: Paths[name] ?? '', fill: 'none', stroke: 'currentColor', 'stroke-width': 2, 'stroke-linecap': 'round', 'stroke-linejoin': 'round' }));
  return el;
}
