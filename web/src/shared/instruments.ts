// Assessment forms generated from the instrument definitions served at GET /api/instruments
// (the JSON format of src/HikiConsult.Domain/Instruments, documented in docs/early-consultation.md).
import { h } from './dom';

type Texts = Record<string, string>;
export interface AnswerScale { min: number; max: number; labels: Record<string, string[]> }
export interface ItemDefinition { id: string; number: number; labels: Texts; answers?: AnswerScale | null }
export interface ItemCondition { item: number; atLeast: number }
export interface SkipRule { items: number[]; askedWhen: ItemCondition }
export interface InstrumentDefinition {
  id: string; name: string; title?: Texts; period?: Texts; scoring?: string; answers: AnswerScale; items: ItemDefinition[];
  reverseItems?: number[]; subscales?: { id: string; labels: Texts; items: number[] }[];
  cutoff?: { default?: number | null; direction: string; positive: { id: string; labels: Texts }; negative: { id: string; labels: Texts } } | null;
  bands?: { id: string; min: number; max: number; labels: Texts }[]; skipLogic?: SkipRule[];
  source?: { citation: string; doi?: string | null; note?: string | null }; labelStatus?: string; decisionSupport?: boolean;
}

export function text(t: Texts | undefined, lang: string): string {
  if (!t) return '';
  return t[lang] ?? t.en ?? Object.values(t)[0] ?? '';
}

export function totalRange(def: InstrumentDefinition): [number, number] {
  let min = 0, max = 0;
  for (const it of def.items) {
    const sc = it.answers ?? def.answers;
    min += sc.min;
    max += sc.max;
  }
  return [min, max];
}

/** Finds a definition by id or display name, ignoring case and punctuation ("PHQ-9" = "phq9"). */
export function findInstrument(list: InstrumentDefinition[], key: string): InstrumentDefinition | undefined {
  const norm = (x: string) => x.toLowerCase().replace(/[^a-z0-9]/g, '');
  return list.find((d) => norm(d.id) === norm(key) || norm(d.name) === norm(key));
}

export interface AssessmentForm {
  element: HTMLFormElement;
  /** Answers in item order; null for a skipped item. Returns the numbers of unanswered asked items too. */
  collect(): { answers: (number | null)[]; missing: number[] };
}

/** One fieldset per item with a radio button per answer value; skip rules hide items that are not asked. */
export function buildAssessmentForm(def: InstrumentDefinition, lang: string, opts: { large?: boolean } = {}): AssessmentForm {
  const form = h('form', { class: `assessment-form${opts.large ? ' large' : ''}`, dataset: { instrument: def.id }, novalidate: true });
  const period = text(def.period, lang);
  if (period) form.append(h('p', { class: 'assessment-period' }, period));
  const rows = new Map<number, HTMLFieldSetElement>();
  for (const item of [...def.items].sort((a, b) => a.number - b.number)) {
    const scale = item.answers ?? def.answers;
    const labels = scale.labels[lang] ?? scale.labels.en ?? [];
    const name = `${def.id}-item-${item.number}`;
    const options = [];
    for (let v = scale.min; v <= scale.max; v++) {
      const label = labels[v - scale.min] ?? String(v);
      options.push(h('label', { class: 'answer' },
        h('input', { type: 'radio', name, value: String(v), dataset: { item: String(item.number) } }),
        h('span', { class: 'answer-value' }, String(v)), h('span', { class: 'answer-label' }, label)));
    }
    const fs = h('fieldset', { class: 'assessment-item', dataset: { item: String(item.number) } },
      h('legend', {}, h('span', { class: 'item-number' }, `${item.number}.`), ' ', text(item.labels, lang)),
      h('div', { class: 'answers' }, options));
    rows.set(item.number, fs);
    form.append(fs);
  }

  const valueOf = (n: number): number | null => {
    const checked = form.querySelector<HTMLInputElement>(`input[data-item="${n}"]:checked`);
    return checked ? Number(checked.value) : null;
  };
  const asked = (n: number): boolean => {
    for (const rule of def.skipLogic ?? []) {
      if (rule.items.includes(n)) {
        const v = valueOf(rule.askedWhen.item);
        if (v === null || v < rule.askedWhen.atLeast) return false;
      }
    }
    return true;
  };
  const applySkips = () => {
    for (const [n, fs] of rows) {
      const show = asked(n);
      fs.hidden = !show;
      if (!show) fs.querySelectorAll<HTMLInputElement>('input').forEach((i) => (i.checked = false));
    }
  };
  form.addEventListener('change', applySkips);
  applySkips();

  return {
    element: form,
    collect() {
      const answers: (number | null)[] = [];
      const missing: number[] = [];
      for (const n of [...rows.keys()].sort((a, b) => a - b)) {
        const v = asked(n) ? valueOf(n) : null;
        if (asked(n) && v === null) missing.push(n);
        answers.push(v);
      }
      for (const n of missing) rows.get(n)?.classList.add('missing');
      return { answers, missing };
    },
  };
}

/** The parts of an assessment result worth showing, whatever exact shape the server returns. */
export function summarizeResult(r: Record<string, any>): { total?: number; band?: string; cutoff?: number; flags: string[]; source?: string; subscales: [string, number][] } {
  const band = r.bandText ?? r.bandLabel ?? r.band?.label ?? (typeof r.band === 'string' ? r.band : r.band?.id) ?? r.level;
  const flags = (r.flags ?? []).map((f: any) => (typeof f === 'string' ? f : f.text ?? f.code));
  const subs: [string, number][] = [];
  if (Array.isArray(r.subscales)) for (const s of r.subscales) subs.push([s.label ?? s.id, s.score ?? s.total ?? s.value]);
  else if (r.subscales && typeof r.subscales === 'object') for (const [k, v] of Object.entries(r.subscales)) subs.push([k, Number(v)]);
  const source = typeof r.source === 'string' ? r.source : r.source?.citation;
  return { total: r.total ?? r.score ?? undefined, band: band ?? undefined, cutoff: typeof r.cutoff === 'number' ? r.cutoff : undefined, flags, source, subscales: subs };
}
