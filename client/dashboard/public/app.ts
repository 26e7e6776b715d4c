// The ops page: events list, one event's tiers, chart, transitions and actions, kept live by an
// EventSource. Every server string goes in through textContent; nothing is parsed as HTML.
import type { SurgeStatus, TierStatus } from '../../../workflows/messages';
import type { EventSummary } from '../../surge-client';
import type { EventThresholds, Threshold } from '../event-thresholds';

interface Session {
  operator: string;
  csrfToken: string;
  namespace: string;
  canLogout: boolean;
}
interface EventView {
  status: SurgeStatus;
  workflowUrl: string;
  thresholds: EventThresholds | null;
}

const SVG_NS = 'http://www.w3.org/2000/svg';
let session: Session;
let currentId: string | null = null;
let stream: EventSource | null = null;
let lastView: EventView | null = null;

function $(id: string): HTMLElement {
  const found = document.getElementById(id);
  if (!found) throw new Error(`page is missing #${id}`);
  return found;
}

type Child = Node | string | null | undefined | false;
function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const c of children) if (c !== null && c !== undefined && c !== false) node.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return node;
}
function svg(tag: string, attrs: Record<string, string | number> = {}, text?: string): SVGElement {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

function when(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const today = d.toDateString() === new Date().toDateString();
  return today ? d.toLocaleTimeString() : d.toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}
function ago(iso: string): string {
  const s = Math.round((Date.now() - Date.parse(iso)) / 1000);
  if (!Number.isFinite(s)) return '';
  if (s < 60) return `${Math.max(0, s)} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  return `${Math.round(s / 3600)} h ago`;
}

async function api<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: method === 'POST' ? { 'Content-Type': 'application/json', 'X-CSRF-Token': session?.csrfToken ?? '' } : {},
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  if (res.status === 401) {
    window.location.assign('/login');
    throw new Error('signed out');
  }
  const data = (await res.json().catch(() => ({}))) as { error?: string };
  if (!res.ok) throw new Error(data.error ?? `${res.status} ${res.statusText}`);
  return data as T;
}

let toastTimer: number | undefined;
function toast(text: string, kind: 'ok' | 'error'): void {
  const t = $('toast');
  window.clearTimeout(toastTimer);
  toastTimer = window.setTimeout(() => (t.className = 'toast'), kind === 'error' ? 15_000 : 5_000);
  t.textContent = text;
  t.className = `toast show ${kind}`;
  t.setAttribute('role', kind === 'error' ? 'alert' : 'status');
}

// ----- events list -----------------------------------------------------------------------------

async function refreshEvents(): Promise<void> {
  const { events } = await api<{ events: (EventSummary & { workflowUrl: string })[] }>('GET', '/api/events');
  const list = $('event-list');
  list.replaceChildren(
    ...events.map((e) => {
      const link = el(
        'a',
        { href: `#event=${encodeURIComponent(e.eventId)}`, class: 'event-link', 'data-event': e.eventId },
        el('span', { class: 'event-id' }, e.eventId),
        el('span', { class: 'event-meta' }, `${e.status.toLowerCase()} · ${e.phase ?? '?'}${e.highestTier ? ` · tier ${e.highestTier}` : ''}`),
      );
      if (e.eventId === currentId) link.setAttribute('aria-current', 'page');
      return el('li', {}, link);
    }),
  );
  $('events-empty').hidden = events.length > 0;
  if (!currentId && events.length > 0) {
    const running = events.find((e) => e.status === 'RUNNING') ?? events[0]!;
    window.location.hash = `event=${encodeURIComponent(running.eventId)}`;
  }
}

// ----- one event ---------------------------------------------------------------------------------

function selectFromHash(): void {
  const id = new URLSearchParams(window.location.hash.slice(1)).get('event');
  if (!id || id === currentId) return;
  currentId = id;
  lastView = null;
  stream?.close();
  $('event').replaceChildren(el('p', { class: 'muted' }, `Loading ${id}…`));
  document.querySelectorAll('.event-link').forEach((a) => {
    if (a.getAttribute('data-event') === id) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  });
  stream = new EventSource(`/api/events/${encodeURIComponent(id)}/stream`);
  stream.addEventListener('status', (m) => render(JSON.parse((m as MessageEvent<string>).data) as EventView));
  stream.addEventListener('problem', (m) => toast(`live updates: ${(JSON.parse((m as MessageEvent<string>).data) as { error: string }).error}`, 'error'));
  stream.addEventListener('error', () => {
    // The browser reconnects by itself; if the event is gone the GET explains why.
    if (stream?.readyState === EventSource.CLOSED) void api('GET', `/api/events/${encodeURIComponent(id)}`).catch((e: Error) => showMissing(id, e.message));
  });
}

function showMissing(id: string, message: string): void {
  if (id !== currentId) return;
  $('event').replaceChildren(el('h2', {}, id), el('p', { class: 'error', role: 'alert' }, message));
}

function render(view: EventView): void {
  if (view.status.eventId !== currentId) return;
  lastView = view;
  const s = view.status;
  const sample = s.lastSample;
  const main = $('event');
  const focusedId = document.activeElement?.id;

  const badges = el(
    'p',
    { class: 'badges' },
    el('span', { class: `badge phase-${s.phase}` }, `phase: ${s.phase}`),
    s.dryRun && el('span', { class: 'badge warn' }, 'DRY RUN: nothing is actuated'),
    s.automationPaused && el('span', { class: 'badge warn', id: 'paused-badge' }, `automation paused: ${s.pausedReason ?? ''}`),
    s.openAlerts.length > 0 && el('span', { class: 'badge alert' }, `open alerts: ${s.openAlerts.join(', ')}`),
  );
  const numbers = el(
    'div',
    { class: 'numbers', 'aria-live': 'polite' },
    sample === null
      ? el('p', { class: 'muted' }, 'No sample yet.')
      : sample.ok
        ? el(
            'div',
            { class: 'numbers-row' },
            el('div', { class: 'number' }, el('span', { class: 'label' }, 'waiting'), el('span', { class: 'value', id: 'waiting-now' }, String(sample.waiting))),
            el('div', { class: 'number' }, el('span', { class: 'label' }, 'agents available'), el('span', { class: 'value', id: 'agents-now' }, String(sample.agentsAvailable))),
            ...forecastNumbers(s),
            ...livePollNumbers(s),
            el('div', { class: 'number small' }, el('span', { class: 'label' }, 'sampled'), el('span', { class: 'value' }, `${when(sample.at)} (${ago(sample.at)})`)),
          )
        : el(
            'div',
            {},
            el('p', { class: 'error', role: 'alert' }, `Last poll FAILED at ${when(sample.at)}: ${sample.error}`),
            el('p', { class: 'error', id: 'failure-class' }, failureLine(sample.failureClass)),
          ),
  );

  main.replaceChildren(
    el(
      'div',
      { class: 'event-head' },
      el('h2', { id: 'event-title' }, `${s.name} `, el('span', { class: 'muted' }, `(${s.eventId})`)),
      el('a', { href: view.workflowUrl, target: '_blank', rel: 'noopener noreferrer', id: 'temporal-link' }, 'Open in Temporal UI ↗'),
    ),
    el('p', { class: 'muted' }, `window ${when(s.startAt)} → ${when(s.endAt)}${s.endedReason ? ` · ended: ${s.endedReason}` : ''}`),
    badges,
    recommendations(s),
    numbers,
    tiersTable(s),
    automationActions(s),
    chartSection(s, view.thresholds),
    transitionsLog(s),
  );
  // Re-rendering replaces the buttons: keep keyboard users where they were.
  if (focusedId) document.getElementById(focusedId)?.focus();
}

function recommendations(s: SurgeStatus): Node {
  const pending = s.tiers.filter((t) => t.recommendation && s.phase !== 'ended');
  if (pending.length === 0) return el('div', { id: 'recommendations' });
  return el(
    'section',
    { id: 'recommendations', class: 'recommendation', 'aria-label': 'Recommendations awaiting an operator' },
    ...pending.map((t) => {
      const r = t.recommendation!;
      const on = r.action === 'activate';
      return el(
        'div',
        { class: 'recommendation-row', role: 'alert' },
        el('strong', {}, `Recommended: ${on ? 'activate' : 'restore'} tier ${t.tier} (${t.name})`),
        el('span', {}, ` since ${when(r.since)}: ${r.reason}`),
        actionButton(`${on ? 'Approve' : 'Approve restoring'} tier ${t.tier}`, `approve-tier-${t.tier}`, on ? 'danger' : '', () =>
          confirmAction(`${on ? 'Activate' : 'Restore'} tier ${t.tier} (${t.name})?`, impactOf(t, on), (reason) =>
            api('POST', tierPath(s, t.tier), { mode: on ? 'on' : 'off', reason }),
          ),
        ),
      );
    }),
  );
}

const tierPath = (s: SurgeStatus, tier: number) => `/api/events/${encodeURIComponent(s.eventId)}/tiers/${tier}`;
const impactOf = (t: TierStatus, on: boolean) =>
  on ? `Tier ${t.tier} goes on now and stays on until an operator sets it back to auto or off.` : `Tier ${t.tier} goes off now and stays off until an operator sets it back to auto or on.`;

function tiersTable(s: SurgeStatus): Node {
  const ended = s.phase === 'ended';
  const rows = s.tiers.map((t) => {
    const modeButton = (mode: 'on' | 'off' | 'auto', label: string) =>
      actionButton(label, `tier-${t.tier}-${mode}`, mode === 'on' ? 'danger' : '', () =>
        confirmAction(
          mode === 'auto' ? `Return tier ${t.tier} (${t.name}) to automatic?` : `Force tier ${t.tier} (${t.name}) ${mode}?`,
          mode === 'auto' ? 'Its rules decide again from the next poll.' : impactOf(t, mode === 'on'),
          (reason) => api('POST', tierPath(s, t.tier), { mode, reason }),
        ),
        ended || t.mode === mode,
      );
    return el(
      'tr',
      { id: `tier-${t.tier}`, class: t.active ? 'tier-active' : '' },
      el('th', { scope: 'row' }, `${t.tier}`, el('span', { class: 'tier-name' }, t.name)),
      el('td', { class: 'state' }, el('span', { class: `pill ${t.active ? 'on' : 'off'}` }, t.active ? 'ACTIVE' : 'off')),
      el('td', { class: 'mode' }, t.mode === 'auto' ? 'auto' : `forced ${t.mode}`),
      el('td', {}, el('time', { datetime: t.since, title: t.since }, `${when(t.since)}`), el('span', { class: 'muted block' }, ago(t.since))),
      el('td', { class: 'why' }, t.reason, t.recommendation ? el('strong', { class: 'block' }, `recommended: ${t.recommendation.action}`) : null),
      el('td', { class: 'applied' }, t.applied === null ? el('span', { class: 'pill pending' }, 'pending') : t.applied === t.active ? 'applied' : 'pending'),
      el('td', { class: 'actions' }, modeButton('on', 'Force on'), modeButton('off', 'Force off'), modeButton('auto', 'Auto')),
    );
  });
  return el(
    'section',
    { 'aria-labelledby': 'tiers-heading' },
    el('h3', { id: 'tiers-heading' }, 'Tiers'),
    el(
      'table',
      { class: 'tiers' },
      el('thead', {}, el('tr', {}, ...['tier', 'state', 'mode', 'since', 'why', 'actuators', 'actions'].map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, ...rows),
    ),
  );
}

function automationActions(s: SurgeStatus): Node {
  const ended = s.phase === 'ended';
  const base = `/api/events/${encodeURIComponent(s.eventId)}`;
  return el(
    'section',
    { 'aria-labelledby': 'automation-heading', class: 'automation' },
    el('h3', { id: 'automation-heading' }, 'Automation'),
    el('p', { class: 'muted' }, s.automationPaused ? `Paused: every auto tier is frozen where it is (${s.pausedReason ?? ''}).` : 'Running: auto tiers follow their rules.'),
    actionButton('Pause automation', 'pause', '', () =>
      confirmAction('Pause automation?', 'Every auto tier freezes where it is until automation resumes.', (reason) => api('POST', `${base}/pause`, { reason })),
      ended,
    ),
    actionButton('Resume automation', 'resume', '', () =>
      confirmAction('Resume automation?', 'Auto tiers follow their rules again from the next poll.', (reason) => api('POST', `${base}/resume`, { reason })),
      ended,
    ),
    actionButton('End event', 'end', 'danger', () =>
      confirmAction(`End event ${s.eventId}?`, 'Every tier is restored and the workflow completes. This cannot be undone.', (reason) => api('POST', `${base}/end`, { reason })),
      ended,
    ),
  );
}

function actionButton(label: string, id: string, kind: string, onClick: () => void, disabled = false): HTMLButtonElement {
  const b = el('button', { type: 'button', id: `action-${id}`, class: kind });
  b.textContent = label;
  b.disabled = disabled;
  b.addEventListener('click', onClick);
  return b;
}

// ----- the confirmation step ------------------------------------------------------------------------

let pendingAction: ((reason: string) => Promise<unknown>) | null = null;

function confirmAction(title: string, impact: string, run: (reason: string) => Promise<unknown>): void {
  const dialog = $('confirm') as HTMLDialogElement;
  $('confirm-title').textContent = title;
  $('confirm-impact').textContent = impact;
  $('confirm-error').textContent = '';
  ($('confirm-reason') as HTMLInputElement).value = '';
  ($('confirm-ok') as HTMLButtonElement).disabled = false;
  pendingAction = run;
  dialog.showModal();
  $('confirm-reason').focus();
}

function wireDialog(): void {
  const dialog = $('confirm') as HTMLDialogElement;
  $('confirm-cancel').addEventListener('click', () => dialog.close());
  $('confirm-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const reason = ($('confirm-reason') as HTMLInputElement).value.trim();
    if (reason === '' || !pendingAction) {
      $('confirm-error').textContent = 'A reason is required: it goes in the audit log.';
      return;
    }
    const run = pendingAction;
    ($('confirm-ok') as HTMLButtonElement).disabled = true;
    run(reason).then(
      (view) => {
        dialog.close();
        toast(`Done: ${$('confirm-title').textContent?.replace(/\?$/, '') ?? ''}`, 'ok');
        if (view && typeof view === 'object' && 'status' in view) render(view as EventView);
      },
      (err: Error) => {
        // The workflow's own words: shown in the dialog and announced.
        $('confirm-error').textContent = err.message;
        ($('confirm-ok') as HTMLButtonElement).disabled = false;
        toast(err.message, 'error');
      },
    );
  });
}

// ----- chart ------------------------------------------------------------------------------------------

function chartSection(s: SurgeStatus, thresholds: EventThresholds | null): Node {
  const lines = thresholds?.thresholds ?? [];
  return el(
    'section',
    { 'aria-labelledby': 'chart-heading', class: 'charts' },
    el('h3', { id: 'chart-heading' }, 'Live metrics'),
    s.series.length === 0
      ? el('p', { class: 'muted' }, 'No samples yet.')
      : el(
          'div',
          { class: 'chart-row' },
          chart('waiting', 'Waiting conversations', s.series.map((p) => ({ at: Date.parse(p.at), v: p.waiting })), lines.filter((l) => l.metric === 'waiting'), forecastPoints(s)),
          chart('agents', 'Agents available', s.series.map((p) => ({ at: Date.parse(p.at), v: p.agentsAvailable })), lines.filter((l) => l.metric === 'agentsAvailable')),
        ),
    el('p', { class: 'muted legend' }, 'Dotted blue: the forecast waiting of the leading rules (when configured), plotted at the poll that made it. Dashed lines: a tier turns on (red; "rec" = recommended to operators) or may restore (green) when the metric crosses them for the rule\'s window. Hover a label for the full rule.'),
  );
}

/** The leading rules' forecast at the latest poll, when the event has `leading` settings. */
/** A batch of polls under way holds its polls until it hands back; its newest one is shown as the live reading. */
function livePollNumbers(s: SurgeStatus): Node[] {
  const live = s.livePoll;
  if (!live || live.waiting === undefined || (s.lastSample && Date.parse(live.at) <= Date.parse(s.lastSample.at))) return [];
  return [el('div', { class: 'number small' }, el('span', { class: 'label' }, 'latest poll (not yet recorded)'), el('span', { class: 'value', id: 'live-poll' }, `${live.waiting} waiting at ${when(live.at)}`))];
}

function forecastNumbers(s: SurgeStatus): Node[] {
  const last = s.series.at(-1);
  if (last?.forecastWaiting === undefined) return [];
  return [
    el('div', { class: 'number' }, el('span', { class: 'label' }, 'forecast waiting'), el('span', { class: 'value', id: 'forecast-waiting-now' }, String(last.forecastWaiting))),
    last.botLoad === undefined ? null : el('div', { class: 'number' }, el('span', { class: 'label' }, 'bot load'), el('span', { class: 'value', id: 'bot-load-now' }, `${Math.round(last.botLoad * 100)}%`)),
  ].filter((n): n is HTMLDivElement => n !== null);
}

/** Each poll's forecast waiting, drawn where it is due (horizon ahead is not known here: drawn at the poll). */
function forecastPoints(s: SurgeStatus): { at: number; v: number }[] {
  return s.series.flatMap((p) => (p.forecastWaiting === undefined ? [] : [{ at: Date.parse(p.at), v: p.forecastWaiting }]));
}

function chart(id: string, title: string, points: { at: number; v: number }[], lines: Threshold[], forecast: { at: number; v: number }[] = []): Node {
  const W = 520, H = 200, L = 44, R = 124, T = 14, B = 26;
  const t0 = points[0]!.at, t1 = Math.max(points.at(-1)!.at, t0 + 1000);
  const top = Math.max(10, ...points.map((p) => p.v), ...forecast.map((p) => p.v), ...lines.map((l) => l.value)) * 1.12;
  const x = (at: number) => L + ((at - t0) / (t1 - t0)) * (W - L - R);
  const y = (v: number) => T + (1 - v / top) * (H - T - B);
  const last = points.at(-1)!;
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img', 'aria-labelledby': `chart-${id}-title`, id: `chart-${id}` });
  root.append(svg('title', { id: `chart-${id}-title` }, `${title}: now ${last.v}; ${lines.map((l) => `tier ${l.tier} ${l.kind} ${l.side} ${l.value}`).join(', ') || 'no thresholds'}`));
  root.append(svg('text', { x: L, y: 10, class: 'chart-title' }, title));
  for (const v of [0, top / 2, top]) {
    root.append(svg('line', { x1: L, x2: W - R, y1: y(v), y2: y(v), class: 'grid' }));
    root.append(svg('text', { x: L - 6, y: y(v) + 4, class: 'axis', 'text-anchor': 'end' }, String(Math.round(v))));
  }
  root.append(svg('text', { x: L, y: H - 8, class: 'axis' }, new Date(t0).toLocaleTimeString()));
  root.append(svg('text', { x: W - R, y: H - 8, class: 'axis', 'text-anchor': 'end' }, new Date(t1).toLocaleTimeString()));
  // Thresholds at the same value share one line and one label.
  const byValue = new Map<number, Threshold[]>();
  for (const l of lines) byValue.set(l.value, [...(byValue.get(l.value) ?? []), l]);
  let previousLabelY = -Infinity;
  for (const [value, group] of [...byValue.entries()].sort((a, b) => b[0] - a[0])) {
    const activates = group.some((g) => g.kind === 'activate');
    root.append(svg('line', { x1: L, x2: W - R, y1: y(value), y2: y(value), class: `threshold ${activates ? 'activate' : 'restore'}` }));
    const labelY = Math.max(y(value) + 4, previousLabelY + 12);
    previousLabelY = labelY;
    const tiers = (f: (t: Threshold) => boolean) => group.filter(f).map((t) => `T${t.tier}`).join('/');
    const parts = [
      [tiers((t) => t.kind === 'activate' && t.trigger === 'auto'), 'on'],
      [tiers((t) => t.kind === 'activate' && t.trigger === 'manual'), 'rec'],
      [tiers((t) => t.kind === 'restore'), 'off'],
    ].filter(([names]) => names !== '').map(([names, what]) => `${names} ${what}`);
    const text = svg('text', { x: W - R + 4, y: labelY, class: `threshold-label ${activates ? 'activate' : 'restore'}` }, `${value}: ${parts.join(', ')}`);
    text.append(svg('title', {}, group.map((t) => `tier ${t.tier} ${t.kind === 'activate' ? (t.trigger === 'manual' ? 'recommended' : 'activates') : 'restores'} when ${t.rule}`).join('\n')));
    root.append(text);
  }
  if (forecast.length > 0) {
    const line = svg('polyline', { points: forecast.map((p) => `${x(p.at).toFixed(1)},${y(p.v).toFixed(1)}`).join(' '), class: 'series forecast', id: `chart-${id}-forecast` });
    line.append(svg('title', {}, `forecast ${title.toLowerCase()} (leading rules), now ${forecast.at(-1)!.v}`));
    root.append(line);
  }
  root.append(svg('polyline', { points: points.map((p) => `${x(p.at).toFixed(1)},${y(p.v).toFixed(1)}`).join(' '), class: `series ${id}` }));
  root.append(svg('circle', { cx: x(last.at), cy: y(last.v), r: 3.5, class: `series-dot ${id}` }));
  return el('figure', { class: 'chart-box' }, root);
}

// ----- transitions log --------------------------------------------------------------------------------

function transitionsLog(s: SurgeStatus): Node {
  const rows = [...s.transitions].reverse().map((t) =>
    el(
      'tr',
      {},
      el('td', {}, el('time', { datetime: t.at }, when(t.at))),
      el('td', {}, `tier ${t.tier} ${t.to ? 'ON' : 'off'}`),
      el('td', {}, t.by),
      el('td', {}, t.cause),
      el('td', { class: 'why' }, t.reason),
      el('td', { class: 'num' }, t.waiting === null ? '–' : `${t.waiting} / ${t.agentsAvailable ?? '–'}`),
    ),
  );
  return el(
    'section',
    { 'aria-labelledby': 'log-heading' },
    el('h3', { id: 'log-heading' }, 'Transitions (newest first)'),
    rows.length === 0
      ? el('p', { class: 'muted' }, 'No transitions yet.')
      : el(
          'table',
          { class: 'log', id: 'transitions' },
          el('thead', {}, el('tr', {}, ...['when', 'what', 'who', 'cause', 'why', 'waiting / agents'].map((h) => el('th', { scope: 'col' }, h)))),
          el('tbody', {}, ...rows),
        ),
  );
}

// ----- start ------------------------------------------------------------------------------------------

async function start(): Promise<void> {
  session = await api<Session>('GET', '/api/session');
  $('whoami').textContent = `signed in as ${session.operator} · namespace ${session.namespace}`;
  const logout = $('logout') as HTMLButtonElement;
  logout.hidden = !session.canLogout;
  logout.addEventListener('click', () => void api('POST', '/logout').then(() => window.location.assign('/login')));
  wireDialog();
  window.addEventListener('hashchange', selectFromHash);
  selectFromHash();
  await refreshEvents();
  setInterval(() => {
    void refreshEvents().catch((e: Error) => toast(`events list: ${e.message}`, 'error'));
    if (lastView) render(lastView); // keeps "n s ago" honest between updates
  }, 10_000);
}

document.addEventListener('DOMContentLoaded', () => {
  start().catch((e: Error) => toast(e.message, 'error'));
});

/** The visible line saying what a failed poll means for the tiers (same words as the CLI's status). */
function failureLine(failureClass: 'platform' | 'controller' | 'rate-limited' | undefined): string {
  switch (failureClass) {
    case 'controller':
      return 'Controller misconfigured: tiers are held and tier 4 is not counting this. Fix the setup named above.';
    case 'rate-limited':
      return 'Rate-limited by the platform: everything is held until the limit lifts.';
    default:
      return 'Platform failure: counts toward tier 4 (static fallback).';
  }
}
