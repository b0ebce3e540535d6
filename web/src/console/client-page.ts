// A client's page: details, pairing codes, sessions, the timeline charts and assessments.
import { ApiError } from '../shared/api';
import { append, clear, formatDateTime, formatTime, h } from '../shared/dom';
import type { AssessmentRecord, ClientDto, IsolationRecordEntry, PairingCodeResponse, SessionDto, Timeline } from '../shared/contract';
import { buildAssessmentForm, findInstrument, text, totalRange, type InstrumentDefinition } from '../shared/instruments';
import { barChart, lineChart, statusStrip, type Bar, type StatusSegment } from './charts';
import { LanguageNames, StateLabels, loadError, type ConsoleContext } from './context';

export function clientPage(ctx: ConsoleContext, clientId: string): { element: HTMLElement; dispose: () => void } {
  const enc = encodeURIComponent(clientId);
  const head = h('div', { class: 'client-head' }, h('h2', {}, 'Client'));
  const sessions = h('div', { id: 'client-sessions' }, h('p', { class: 'muted' }, 'Loading…'));
  const charts = h('div', { class: 'charts', id: 'timeline' }, h('p', { class: 'muted' }, 'Loading…'));
  const assessments = h('div', { id: 'assessments' }, h('p', { class: 'muted' }, 'Loading…'));
  const entry = h('div', { id: 'assessment-entry' });
  let instruments: InstrumentDefinition[] = [];
  let client: ClientDto | null = null;

  const element = h('div', { class: 'client-page', id: 'client-page', dataset: { clientId } },
    head,
    h('div', { class: 'client-grid' },
      h('section', { class: 'panel' }, h('div', { class: 'panel-head' }, h('h3', {}, 'Sessions'),
        h('div', { class: 'btn-row' },
          h('button', { class: 'btn light', id: 'pairing-code', onclick: pairingDialog }, 'Pairing code…'),
          h('button', { class: 'btn primary', id: 'new-session', onclick: newSessionDialog }, 'New session…'))), sessions),
      h('section', { class: 'panel' }, h('div', { class: 'panel-head' }, h('h3', {}, 'Assessments'), h('span', { class: 'badge ds' }, 'Decision support')), assessments, entry)),
    h('section', { class: 'panel' }, h('div', { class: 'panel-head' }, h('h3', {}, 'Timeline'),
      h('div', { class: 'btn-row' }, h('button', { class: 'btn light', id: 'record-isolation', onclick: isolationDialog }, 'Record isolation (Kato)…'), h('span', { class: 'badge ds' }, 'Decision support'))), charts));

  void (async () => {
    try {
      client = await ctx.api.get<ClientDto>(`/api/clients/${enc}`);
      ctx.clients.set(client.id, client);
      renderHead();
    } catch (e) {
      clear(head);
      // The server answers 404 both for an unknown client and for one the caller may not see.
      head.append(h('h2', {}, 'Client'), e instanceof ApiError && e.status === 404 ? h('p', { class: 'notice' }, 'No such client, or not one of yours.') : loadError(e, 'This client'));
      return;
    }
    void loadSessions();
    void loadAssessments();
    try {
      instruments = await ctx.api.get<InstrumentDefinition[]>('/api/instruments');
      renderEntry();
    } catch (e) {
      entry.append(loadError(e, 'The instrument definitions'));
    }
    // The score charts take their ranges and citations from the definitions, so they come after them.
    void loadTimeline();
  })();

  function renderHead(): void {
    if (!client) return;
    clear(head);
    const devices = client.devices.filter((d) => !d.revoked);
    append(head, [
      h('div', { class: 'client-title' },
        h('div', {}, h('h2', { id: 'client-alias' }, client.alias),
          h('div', { class: 'facts' },
            h('span', { class: `status-pill s-${client.status}` }, client.status),
            h('span', {}, LanguageNames[client.language] ?? client.language),
            h('span', {}, client.timeZone),
            h('span', { id: 'consents' }, client.consents.length ? `Consent: ${client.consents.map((c) => `${c.scope} (${formatDateTime(c.givenAt).split(',')[0]})`).join(', ')}` : 'No consent recorded'))),
        h('button', { class: 'btn ghost', id: 'record-consent', onclick: consentDialog }, 'Record consent…')),
      devices.length ? h('ul', { class: 'device-list', id: 'devices' }, devices.map((d) => h('li', { dataset: { deviceId: d.deviceId } },
        h('span', { class: 'badge' }, d.kind), ` ${d.name} · paired ${formatDateTime(d.pairedAt)} `,
        h('button', { class: 'btn small ghost', onclick: () => void revoke(d.deviceId, d.name) }, 'Revoke')))) : null]);
  }

  async function revoke(deviceId: string, name: string): Promise<void> {
    if (!confirm(`Revoke “${name}”? Its sign-in stops working at once and it needs a new pairing code.`)) return;
    try {
      await ctx.api.delete(`/api/devices/${encodeURIComponent(deviceId)}`);
      client = await ctx.api.get<ClientDto>(`/api/clients/${enc}`);
      renderHead();
      ctx.toast('Device revoked.');
    } catch (e) {
      ctx.toast(`Revoking failed: ${(e as Error).message}`, 'error');
    }
  }

  function consentDialog(): void {
    const scope = h('input', { id: 'consent-scope', list: 'consent-scopes', maxlength: '200', placeholder: 'What the client (or guardian) agreed to' });
    const options = h('datalist', { id: 'consent-scopes' },
      ['remote sessions via avatar app', 'sessions with a home robot', 'contact with family', 'screening questionnaires', 'research records (not diagnostic)'].map((o) => h('option', { value: o })));
    const err = h('p', { class: 'form-error', hidden: true });
    const save = h('button', { class: 'btn primary', id: 'consent-save' }, 'Record');
    const cancel = h('button', { class: 'btn ghost' }, 'Cancel');
    const d = modal('Record consent', [h('p', { class: 'muted' }, 'Recorded with the time and your name. Ask for consent before acquiring special-care personal data.'), scope, options, err], [cancel, save]);
    cancel.addEventListener('click', () => d.close());
    save.addEventListener('click', async () => {
      try {
        client = await ctx.api.post<ClientDto>(`/api/clients/${enc}/consents`, { scope: scope.value.trim() });
        renderHead();
        d.close();
      } catch (e) {
        err.textContent = (e as Error).message;
        err.hidden = false;
      }
    });
  }

  async function loadSessions(): Promise<void> {
    let list: SessionDto[];
    try {
      list = await ctx.api.get<SessionDto[]>(`/api/clients/${enc}/sessions`);
    } catch (e) {
      clear(sessions);
      sessions.append(loadError(e, 'The sessions'));
      return;
    }
    clear(sessions);
    if (!list.length) {
      sessions.append(h('p', { class: 'muted empty' }, 'No sessions yet. Start one with “New session…”.'));
      return;
    }
    list.sort((a, b) => Date.parse(b.scheduledAt ?? b.createdAt) - Date.parse(a.scheduledAt ?? a.createdAt));
    sessions.append(h('ul', { class: 'session-list' }, list.map((s) => h('li', { dataset: { sessionId: s.id } },
      h('span', { class: 'state-badge', dataset: { state: s.state } }, StateLabels[s.state] ?? s.state),
      h('span', {}, s.scheduledAt ? formatDateTime(s.scheduledAt) : `created ${formatDateTime(s.createdAt)}`),
      s.familyOnly ? h('span', { class: 'badge' }, 'family') : null,
      h('a', { class: 'btn light small', href: `#/sessions/${encodeURIComponent(s.id)}` }, ['ended', 'cancelled', 'noShow'].includes(s.state) ? 'View' : 'Open room')))));
  }

  function pairingDialog(): void {
    const kind = h('select', { id: 'pairing-kind', 'aria-label': 'Device kind' }, h('option', { value: 'avatar' }, 'Avatar app'), h('option', { value: 'robot' }, 'Robot'), h('option', { value: 'family' }, 'Family member'));
    const out = h('div', { class: 'code-out' });
    const make = h('button', { class: 'btn primary', id: 'make-code' }, 'Create code');
    const close = h('button', { class: 'btn ghost' }, 'Close');
    const d = modal('Pairing code', [h('p', { class: 'muted' }, 'The client types this code once in the avatar app (or the robot). It works once and expires in 10 minutes; read it aloud if needed.'),
      h('div', { class: 'inline-fields' }, kind, make), out], [close]);
    close.addEventListener('click', () => d.close());
    make.addEventListener('click', async () => {
      make.disabled = true;
      try {
        const r = await ctx.api.post<PairingCodeResponse>(`/api/clients/${enc}/pairing-codes`, { kind: kind.value });
        clear(out);
        out.append(
          h('div', { class: 'pairing-code', id: 'pairing-code-value', dataset: { code: r.code }, 'aria-label': `Code ${r.code.split('').join(' ')}` },
            chunk(r.code).map((c) => h('span', {}, c))),
          h('p', { class: 'muted' }, `Single use · valid until ${formatTime(r.expiresAt)} · for: ${kind.selectedOptions[0].textContent}`),
          h('p', { class: 'muted small' }, `The client opens ${location.origin}/avatar`));
      } catch (e) {
        clear(out);
        out.append(h('p', { class: 'form-error' }, (e as Error).message));
      } finally {
        make.disabled = false;
      }
    });
  }

  function newSessionDialog(): void {
    const when = h('input', { type: 'datetime-local', id: 'session-when' });
    const family = h('input', { type: 'checkbox', id: 'session-family' });
    const err = h('p', { class: 'form-error', hidden: true });
    const go = h('button', { class: 'btn primary', id: 'create-session' }, 'Create and open');
    const cancel = h('button', { class: 'btn ghost' }, 'Cancel');
    const d = modal('New session', [
      h('label', { for: 'session-when' }, 'Planned for (leave empty for now)'), when,
      h('label', { class: 'check' }, family, ' Family-only session'), err], [cancel, go]);
    cancel.addEventListener('click', () => d.close());
    go.addEventListener('click', async () => {
      go.disabled = true;
      try {
        const scheduledAt = when.value ? new Date(when.value).toISOString() : null;
        const s = await ctx.api.post<SessionDto>('/api/sessions', { clientId, familyOnly: family.checked, scheduledAt });
        d.close();
        ctx.navigate(`#/sessions/${encodeURIComponent(s.id)}`);
      } catch (e) {
        err.textContent = (e as Error).message;
        err.hidden = false;
        go.disabled = false;
      }
    });
  }

  function isolationDialog(): void {
    const months = h('input', { type: 'number', id: 'iso-months', min: '0', max: '1200', step: '0.5', value: '0' });
    const days = h('select', { id: 'iso-days' }, [0, 1, 2, 3, 4, 5, 6, 7].map((d) => h('option', { value: String(d) }, `${d} day${d === 1 ? '' : 's'} a week`)));
    const room = h('input', { type: 'checkbox', id: 'iso-room' });
    const impairment = h('input', { type: 'checkbox', id: 'iso-impairment' });
    const distress = h('input', { type: 'checkbox', id: 'iso-distress' });
    const conditions = h('input', { id: 'iso-conditions', placeholder: 'e.g. social anxiety, major depression (comma separated)' });
    const out = h('div', { class: 'result-box', hidden: true });
    const save = h('button', { class: 'btn primary', id: 'iso-save' }, 'Record and classify');
    const close = h('button', { class: 'btn ghost' }, 'Close');
    const d = modal('Isolation record (Kato 2020 criteria)', [
      h('p', { class: 'muted small' }, 'Decision support for the counselor, not a diagnosis. Co-occurring conditions are recorded separately, not as exclusions.'),
      h('label', { for: 'iso-months' }, 'Estimated months of continuous isolation'), months,
      h('label', { for: 'iso-days' }, 'Goes out of the home on'), days,
      h('label', { class: 'check' }, room, ' Rarely leaves one room'),
      h('label', { class: 'check' }, impairment, ' Significant functional impairment'),
      h('label', { class: 'check' }, distress, ' Distress associated with the isolation'),
      h('label', { for: 'iso-conditions' }, 'Co-occurring conditions'), conditions, out], [close, save]);
    close.addEventListener('click', () => d.close());
    save.addEventListener('click', async () => {
      out.hidden = false;
      out.className = 'result-box';
      try {
        const { classification: c } = await ctx.api.post<IsolationRecordEntry>(`/api/clients/${enc}/isolation-records`, {
          estimatedMonthsOfContinuousIsolation: Number(months.value),
          daysOutOfHomePerWeek: Number(days.value),
          rarelyLeavesOneRoom: room.checked,
          functionalImpairment: impairment.checked,
          distress: distress.checked,
          coOccurringConditions: conditions.value.split(',').map((c) => c.trim()).filter(Boolean),
        });
        clear(out);
        append(out, [
          h('div', { class: 'result-total' }, c.status, c.severity ? h('span', { class: 'band' }, c.severity) : null),
          h('ul', { class: 'small' }, c.reasons.map((r) => h('li', {}, r))),
          h('div', { class: 'muted small' }, `${sentence(c.label)} ${c.source}`),
        ]);
        void loadTimeline();
      } catch (e) {
        out.classList.add('error');
        out.textContent = (e as Error).message;
      }
    });
  }

  async function loadAssessments(): Promise<void> {
    let history: AssessmentRecord[];
    try {
      history = await ctx.api.get<AssessmentRecord[]>(`/api/clients/${enc}/assessments`);
    } catch (e) {
      clear(assessments);
      assessments.append(loadError(e, 'The assessment history'));
      return;
    }
    clear(assessments);
    if (!history.length) {
      assessments.append(h('p', { class: 'muted empty' }, 'No assessments yet.'));
      return;
    }
    // The server lists them newest first.
    assessments.append(h('table', { class: 'assess-table', id: 'assessment-history' },
      h('thead', {}, h('tr', {}, h('th', {}, 'When'), h('th', {}, 'Instrument'), h('th', {}, 'Score'), h('th', {}, 'Band'), h('th', {}, 'By'), h('th', {}, 'Flags'))),
      h('tbody', {}, history.slice(0, 12).map((a) => h('tr', {},
        h('td', { class: 'nowrap', title: formatDateTime(a.completedAt) }, new Date(a.completedAt).toLocaleDateString(undefined, { dateStyle: 'medium' })),
        h('td', {}, a.instrumentName),
        h('td', { class: 'num' }, a.total === null ? '–' : String(a.total)),
        h('td', {}, a.bandText ?? ''),
        h('td', { class: 'muted' }, a.completedBy),
        h('td', {}, a.flags.map((f) => h('span', { class: 'flag' }, f.text))))))));
  }

  function renderEntry(): void {
    clear(entry);
    const select = h('select', { id: 'instrument-select', 'aria-label': 'Assessment to enter' }, h('option', { value: '' }, 'Enter an assessment…'), instruments.map((d) => h('option', { value: d.id }, d.name)));
    const by = h('select', { id: 'completed-by', 'aria-label': 'Completed by' }, h('option', { value: 'counselor' }, 'completed with counselor'), h('option', { value: 'client' }, 'by the client'), h('option', { value: 'family' }, 'by family'));
    const host = h('div', {});
    entry.append(h('div', { class: 'inline-fields' }, select, by), host);
    select.addEventListener('change', () => {
      clear(host);
      const def = instruments.find((d) => d.id === select.value);
      if (!def) return;
      const form = buildAssessmentForm(def, 'en');
      const msg = h('div', { class: 'result-box', hidden: true });
      const submit = h('button', { class: 'btn primary', id: 'assessment-save', type: 'button' }, `Save ${def.name}`);
      host.append(
        h('p', { class: 'muted small' }, `${text(def.title, 'en')} · ${def.source.citation}${def.labelStatus === 'placeholder' ? ' · item wording to be supplied by the clinic' : ''}`),
        form.element, msg, submit);
      submit.addEventListener('click', async () => {
        const { answers, missing } = form.collect();
        msg.hidden = false;
        msg.className = 'result-box';
        if (missing.length) {
          msg.classList.add('error');
          msg.textContent = `Items without an answer: ${missing.join(', ')}.`;
          return;
        }
        submit.disabled = true;
        try {
          const r = await ctx.api.post<AssessmentRecord>(`/api/clients/${enc}/assessments`, { instrument: def.id, answers, completedBy: by.value });
          const subscales = Object.entries(r.subscales);
          clear(msg);
          append(msg, [
            h('div', { class: 'result-total' }, r.total !== null ? `${r.instrumentName}: ${r.total}` : r.instrumentName, r.bandText ? h('span', { class: 'band' }, r.bandText) : null),
            subscales.length ? h('div', { class: 'muted' }, subscales.map(([k, v]) => `${k} ${v}`).join(' · ')) : null,
            r.flags.length ? h('div', {}, r.flags.map((f) => h('span', { class: 'flag' }, f.text))) : null,
            h('div', { class: 'muted small' }, `${sentence(r.label)} ${r.source}`)]);
          await loadAssessments();
          void loadTimeline();
        } catch (e) {
          msg.classList.add('error');
          msg.textContent = (e as Error).message;
        } finally {
          submit.disabled = false;
        }
      });
    });
  }

  async function loadTimeline(): Promise<void> {
    let tl: Timeline;
    try {
      tl = await ctx.api.get<Timeline>(`/api/clients/${enc}/timeline`);
    } catch (e) {
      clear(charts);
      charts.append(loadError(e, 'The timeline'));
      return;
    }
    clear(charts);
    charts.append(statTiles(tl.summary), ...scoreCharts(tl.assessments));
    const wBars: Bar[] = tl.engagementByWeek.map((w) => ({
      label: new Date(w.weekStart).toLocaleDateString(undefined, { month: 'numeric', day: 'numeric' }),
      value: w.clientMessages,
      title: `week of ${w.weekStart}: ${w.clientMessages} client messages, ${w.sessionsAttended} session(s) attended, ${w.noShows} no-show(s)`,
    }));
    charts.append(chartCard('Engagement per week', 'Client messages per week (hover a bar for sessions attended and no-shows)',
      wBars.some((b) => b.value > 0) ? barChart('Engagement per week', wBars, { everyLabel: Math.ceil(wBars.length / 8) }) : null, 'engagement'));
    const hours = tl.activityByHour;
    const night = tl.summary.recentNightShare;
    charts.append(chartCard('Activity by hour of day', `Client activity by hour in the client's time zone (${tl.timeZoneId}); 00:00–05:00 highlighted for sleep–wake reversal${night !== null ? `. Night share over the last 28 days ${(night * 100).toFixed(0)}%` : ''}`,
      hours.some((v) => v > 0) ? barChart('Activity by hour of day', hours.map((v, i) => ({ label: String(i), value: v, highlight: i < 5 })), { everyLabel: 3 }) : null, 'hours'));
    const segs: StatusSegment[] = tl.katoHistory.map((k) => ({ from: new Date(k.at), status: k.status, severity: k.severity }));
    charts.append(chartCard('Kato status history', 'Proposed criteria (Kato, Kanba & Teo 2020): not met / pre-hikikomori (3 to under 6 months) / hikikomori, with severity by days out of the home', segs.length ? statusStrip('Kato status history', segs) : null, 'kato', true));
    charts.append(h('p', { class: 'muted small wide sources' }, `${sentence(tl.label)}${tl.sources.length ? ` Sources: ${tl.sources.join(' · ')}` : ''}`));
  }

  function scoreCharts(series: Timeline['assessments']): HTMLElement[] {
    const charted = series.map((x) => ({ ...x, points: x.points.filter((p) => p.total !== null).map((p) => ({ x: new Date(p.at), y: p.total!, label: p.band ?? undefined })) }))
      .filter((x) => x.points.length);
    if (!charted.length) {
      return [chartCard('Assessment scores over time', 'Scores appear here once assessments are recorded.', null, 'scores')];
    }
    return charted.map((x) => {
      const def = findInstrument(instruments, x.instrument);
      const [lo, hi] = def ? totalRange(def) : [0, Math.max(...x.points.map((p) => p.y))];
      return chartCard(`${x.name} scores over time`, def?.source.citation ?? '',
        lineChart({ title: `${x.name} scores`, points: x.points, yMin: lo, yMax: x.maxTotal ?? hi, cutoffs: x.thresholds.map((t) => ({ y: t.value, label: t.label })) }), `scores-${x.instrument}`);
    });
  }

  return { element, dispose: () => {} };
}

function chartCard(title: string, caption: string, chart: SVGSVGElement | null, key: string, wide = false): HTMLElement {
  return h('figure', { class: `chart-card${wide ? ' wide' : ''}`, dataset: { chart: key } },
    h('h4', {}, title),
    chart ?? h('p', { class: 'muted empty' }, 'No data yet.'),
    caption ? h('figcaption', { class: 'muted small' }, caption) : null);
}

function statTiles(summary: Timeline['summary']): HTMLElement {
  const pct = (v: number | null) => (v === null ? '–' : `${Math.round(v * 100)}%`);
  const n = (v: number | null, digits = 0) => (v === null ? '–' : v.toFixed(digits));
  const trend = summary.weeklyTrend.relativeChange;
  const tiles: [string, string][] = [
    ['Sessions attended', n(summary.sessionsAttended)],
    ['Cancelled', n(summary.sessionsCancelled)],
    ['No-shows', n(summary.noShows)],
    ['No-show streak', n(summary.currentNoShowStreak)],
    ['Days since contact', n(summary.daysSinceLastContact)],
    ['Messages / session', n(summary.messagesPerSession, 1)],
    ['Median reply (min)', n(summary.medianReplyMinutes, 1)],
    ['Night share 00–05, 28 days', pct(summary.recentNightShare)],
    ['4-week message trend', trend === null ? '–' : `${trend >= 0 ? '+' : ''}${Math.round(trend * 100)}%`],
  ];
  return h('div', { class: 'stat-tiles wide', id: 'timeline-summary' }, tiles.map(([k, v]) => h('div', { class: 'stat' }, h('div', { class: 'stat-value' }, v), h('div', { class: 'stat-label' }, k))));
}

/** The server's decision-support labels come without a full stop. */
function sentence(label: string): string {
  return label.replace(/\.?$/, '.');
}

function chunk(code: string): string[] {
  if (code.includes('-')) return code.split('-').filter(Boolean);
  const c = code.replace(/\s/g, '');
  const size = c.length > 6 ? 4 : 3;
  const out: string[] = [];
  for (let i = 0; i < c.length; i += size) out.push(c.slice(i, i + size));
  return out;
}

let modalCount = 0;

/** A modal named by its heading; focus goes back to the control that opened it. */
function modal(title: string, body: Node[], actions: HTMLElement[]): HTMLDialogElement {
  const titleId = `modal-title-${++modalCount}`;
  const opener = document.activeElement as HTMLElement | null;
  const d = h('dialog', { class: 'modal', 'aria-labelledby': titleId }, h('h3', { id: titleId }, title), ...body, h('div', { class: 'btn-row end' }, actions)) as HTMLDialogElement;
  document.body.append(d);
  d.addEventListener('close', () => {
    d.remove();
    if (opener?.isConnected) opener.focus();
  });
  d.showModal();
  return d;
}
