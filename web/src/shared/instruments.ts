// Assessment forms generated from the instrument definitions served at GET /api/instruments
// (the JSON format of src/HikiConsult.Domain/Instruments, documented in docs/early-consultation.md). The OpenAPI
// document does not describe that format, so its type is written out here; fields the server leaves out when they
// are null are the optional ones.
import { h } from './dom';

type Texts = Record<string, string>;
export interface AnswerScale { min: number; max: number; labels: Record<string, string[]> }
export interface ItemDefinition { id: string; number: number; labels: Texts; answers?: AnswerScale }
export interface ItemCondition { item: number; atLeast: number }
export interface SkipRule { items: number[]; askedWhen: ItemCondition }
export interface InstrumentDefinition {
  id: string; name: string; title: Texts; period: Texts; scoring: string; answers: AnswerScale; items: ItemDefinition[];
  reverseItems: number[]; subscales: { id: string; labels: Texts; items: number[] }[];
  cutoff?: { default?: number; direction: string; positive: { id: string; labels: Texts }; negative: { id: string; labels: Texts } };
  bands: { id: string; min: number; max: number; labels: Texts }[]; skipLogic: SkipRule[];
  source: { citation: string; doi?: string; note?: string }; labelStatus: string; decisionSupport: boolean;
}

/** A text in the page's language; definitions may lack a language, then English or the first one stands in. */
export function text(t: Texts, lang: string): string {
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

/** The definition with this instrument id (`phq9`, `hq25m`, …), as events and records name it. */
export function findInstrument(list: InstrumentDefinition[], id: string): InstrumentDefinition | undefined {
  return list.find((d) => d.id === id);
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
    for (const rule of def.skipLogic) {
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
