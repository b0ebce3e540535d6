// Small SVG charts drawn by hand: a line chart with cut-off lines, a bar chart, and a status strip.
import { s } from '../shared/dom';

export interface Point { x: Date; y: number; label?: string }
export interface LineChartOptions {
  title: string;
  points: Point[];
  yMin: number;
  yMax: number;
  cutoffs?: { y: number; label: string }[];
  bands?: { from: number; to: number; label: string }[];
}

const W = 560, H = 220, PAD = { l: 44, r: 16, t: 16, b: 34 };

function frame(title: string, cls: string): SVGSVGElement {
  return s('svg', { viewBox: `0 0 ${W} ${H}`, class: `chart ${cls}`, role: 'img', 'aria-label': title }) as SVGSVGElement;
}

function niceTicks(min: number, max: number, count = 4): number[] {
  const span = max - min || 1;
  const raw = span / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((st) => st >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + 1e-9; v += step) out.push(Math.round(v * 100) / 100);
  return out;
}

function dateLabel(d: Date): string {
  return d.toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
}

export function lineChart(o: LineChartOptions): SVGSVGElement {
  const svg = frame(o.title, 'line-chart');
  const iw = W - PAD.l - PAD.r, ih = H - PAD.t - PAD.b;
  const xs = o.points.map((p) => p.x.getTime());
  let x0 = Math.min(...xs), x1 = Math.max(...xs);
  if (!(x1 > x0)) { x0 -= 7 * 864e5; x1 += 7 * 864e5; }
  const X = (t: number) => PAD.l + ((t - x0) / (x1 - x0)) * iw;
  const Y = (v: number) => PAD.t + ih - ((v - o.yMin) / (o.yMax - o.yMin || 1)) * ih;
  for (const b of o.bands ?? []) {
    svg.append(s('rect', { x: PAD.l, width: iw, y: Y(b.to), height: Math.max(0, Y(b.from) - Y(b.to)), class: 'band' }));
  }
  for (const v of niceTicks(o.yMin, o.yMax)) {
    svg.append(s('line', { x1: PAD.l, x2: W - PAD.r, y1: Y(v), y2: Y(v), class: 'grid' }), s('text', { x: PAD.l - 8, y: Y(v) + 4, class: 'tick', 'text-anchor': 'end' }, String(v)));
  }
  for (const c of o.cutoffs ?? []) {
    svg.append(
      s('line', { x1: PAD.l, x2: W - PAD.r, y1: Y(c.y), y2: Y(c.y), class: 'cutoff' }),
      s('text', { x: W - PAD.r - 4, y: Y(c.y) - 6, class: 'cutoff-label', 'text-anchor': 'end' }, c.label));
  }
  const pts = [...o.points].sort((a, b) => a.x.getTime() - b.x.getTime());
  if (pts.length > 1) {
    svg.append(s('polyline', { points: pts.map((p) => `${X(p.x.getTime())},${Y(p.y)}`).join(' '), class: 'series' }));
  }
  for (const p of pts) {
    const dot = s('circle', { cx: X(p.x.getTime()), cy: Y(p.y), r: 5, class: 'dot' }, s('title', {}, `${dateLabel(p.x)}: ${p.y}${p.label ? ` (${p.label})` : ''}`));
    svg.append(dot);
  }
  const labelIdx = pts.length <= 6 ? pts.map((_, i) => i) : [0, Math.floor(pts.length / 2), pts.length - 1];
  for (const i of labelIdx) {
    const anchor = i === pts.length - 1 && pts.length > 1 ? 'end' : i === 0 && pts.length > 1 ? 'start' : 'middle';
    svg.append(s('text', { x: X(pts[i].x.getTime()), y: H - 10, class: 'tick', 'text-anchor': anchor }, dateLabel(pts[i].x)));
  }
  svg.append(s('line', { x1: PAD.l, x2: W - PAD.r, y1: PAD.t + ih, y2: PAD.t + ih, class: 'axis' }));
  return svg;
}

export interface Bar { label: string; value: number; highlight?: boolean; title?: string }

export function barChart(title: string, bars: Bar[], opts: { everyLabel?: number; unit?: string } = {}): SVGSVGElement {
  const svg = frame(title, 'bar-chart');
  const iw = W - PAD.l - PAD.r, ih = H - PAD.t - PAD.b;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const ticks = niceTicks(0, max);
  const top = Math.max(max, ticks[ticks.length - 1] ?? max);
  const Y = (v: number) => PAD.t + ih - (v / top) * ih;
  for (const v of ticks) {
    svg.append(s('line', { x1: PAD.l, x2: W - PAD.r, y1: Y(v), y2: Y(v), class: 'grid' }), s('text', { x: PAD.l - 8, y: Y(v) + 4, class: 'tick', 'text-anchor': 'end' }, String(v)));
  }
  const slot = iw / Math.max(1, bars.length);
  const bw = Math.max(2, slot * 0.72);
  bars.forEach((b, i) => {
    const x = PAD.l + i * slot + (slot - bw) / 2;
    svg.append(s('rect', { x, y: Y(b.value), width: bw, height: Math.max(0, PAD.t + ih - Y(b.value)), rx: 3, class: b.highlight ? 'bar highlight' : 'bar' },
      s('title', {}, b.title ?? `${b.label}: ${b.value}${opts.unit ?? ''}`)));
    if (i % (opts.everyLabel ?? 1) === 0) {
      svg.append(s('text', { x: x + bw / 2, y: H - 12, class: 'tick', 'text-anchor': 'middle' }, b.label));
    }
  });
  svg.append(s('line', { x1: PAD.l, x2: W - PAD.r, y1: PAD.t + ih, y2: PAD.t + ih, class: 'axis' }));
  return svg;
}

export interface StatusSegment { from: Date; status: string; severity?: string | null }

const StatusClass: Record<string, string> = { notMet: 'st-notmet', preHikikomori: 'st-pre', hikikomori: 'st-hiki' };
const StatusText: Record<string, string> = { notMet: 'Criteria not met', preHikikomori: 'Pre-hikikomori', hikikomori: 'Hikikomori' };

/** Status history as a horizontal strip: each record lasts until the next one (the last until now). */
export function statusStrip(title: string, segments: StatusSegment[]): SVGSVGElement {
  const h = 86, SW = 1100;
  const svg = s('svg', { viewBox: `0 0 ${SW} ${h}`, class: 'chart status-strip', role: 'img', 'aria-label': title }) as SVGSVGElement;
  const segs = [...segments].sort((a, b) => a.from.getTime() - b.from.getTime());
  const now = Date.now();
  const t0 = segs[0]?.from.getTime() ?? now;
  const t1 = Math.max(now, t0 + 864e5);
  const X = (t: number) => 8 + ((t - t0) / (t1 - t0)) * (SW - 16);
  segs.forEach((seg, i) => {
    const a = X(seg.from.getTime());
    const b = X(segs[i + 1]?.from.getTime() ?? t1);
    const name = StatusText[seg.status] ?? seg.status;
    const label = seg.severity ? `${name}, ${seg.severity}` : name;
    svg.append(s('rect', { x: a, y: 8, width: Math.max(2, b - a - 3), height: 40, rx: 6, class: `seg ${StatusClass[seg.status] ?? ''} sev-${seg.severity ?? 'none'}` }, s('title', {}, `${dateLabel(seg.from)}: ${label}`)));
    if (b - a > 150) svg.append(s('text', { x: a + 12, y: 33, class: 'seg-label' }, label));
    svg.append(s('text', { x: a + 2, y: 70, class: 'tick' }, dateLabel(seg.from)));
  });
  return svg;
}
