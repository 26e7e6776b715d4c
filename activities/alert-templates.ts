// Renders an AlertMessage as the subject, plain-text and HTML parts of an operator email.
// Pure functions with no I/O, so the rendering can be tested (and previewed) without SMTP.
import type { AlertMessage } from '../workflows/types';

export interface RenderedAlert {
  subject: string;
  text: string;
  html: string;
}

const KIND_LABELS: Record<AlertMessage['kind'], string> = {
  transition: 'Tier change',
  recommendation: 'Operator action recommended',
  'actuator-failure': 'Actuator failure',
  metrics: 'Metrics unavailable',
  event: 'Event lifecycle',
};

/** Every value reaches the HTML part through here: alert text may quote operator input or API errors. */
export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** `[surge <eventId>] <subject>` on one line (a header may not carry line breaks). */
export function alertSubject(alert: Pick<AlertMessage, 'eventId' | 'subject'>): string {
  const prefix = `[surge ${alert.eventId}]`;
  const subject = alert.subject.replace(/\s+/g, ' ').trim();
  return subject.startsWith(prefix) ? subject : `${prefix} ${subject}`;
}

function links(alert: AlertMessage): { label: string; url: string }[] {
  const found: { label: string; url: string }[] = [];
  if (alert.dashboardUrl) found.push({ label: 'Ops dashboard', url: alert.dashboardUrl });
  if (alert.temporalUiUrl) found.push({ label: 'Temporal UI (event history)', url: alert.temporalUiUrl });
  return found;
}

export function renderAlertText(alert: AlertMessage): string {
  const lines = [
    alertSubject(alert),
    '',
    alert.body.trim(),
    '',
    `Event: ${alert.eventName} (${alert.eventId})`,
    `Kind: ${KIND_LABELS[alert.kind]}`,
    ...links(alert).map((link) => `${link.label}: ${link.url}`),
    '',
    '-- ',
    'Sent by surge-fallback. Overrides: the ops dashboard or `surge` CLI.',
  ];
  return lines.join('\n') + '\n';
}

/** Paragraphs split on blank lines, single line breaks kept: bodies are written as plain text. */
function bodyToHtml(body: string): string {
  return body
    .trim()
    .split(/\n\s*\n/)
    .map((paragraph) => `<p style="margin:0 0 12px">${paragraph.split('\n').map(escapeHtml).join('<br>')}</p>`)
    .join('\n');
}

// Inline styles only and no images, fonts or scripts: mail clients block remote resources anyway,
// and an alert must read the same offline.
export function renderAlertHtml(alert: AlertMessage): string {
  const subject = escapeHtml(alertSubject(alert));
  const linkItems = links(alert)
    .map((link) => `<a href="${escapeHtml(link.url)}" style="color:#0b57d0">${escapeHtml(link.label)}</a>`)
    .join(' &middot; ');
  return [
    '<!doctype html>',
    '<html><head><meta charset="utf-8">',
    `<title>${subject}</title></head>`,
    '<body style="font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#1f1f1f;max-width:640px;margin:0 auto;padding:16px">',
    `<p style="margin:0 0 4px;font-size:12px;text-transform:uppercase;color:#5f6368">${escapeHtml(KIND_LABELS[alert.kind])}</p>`,
    `<h1 style="font-size:18px;margin:0 0 16px">${subject}</h1>`,
    bodyToHtml(alert.body),
    `<p style="margin:16px 0 0;color:#5f6368">Event: <strong>${escapeHtml(alert.eventName)}</strong> (<code>${escapeHtml(alert.eventId)}</code>)</p>`,
    linkItems ? `<p style="margin:8px 0 0">${linkItems}</p>` : '',
    '<p style="margin:24px 0 0;font-size:12px;color:#5f6368">Sent by surge-fallback. Overrides: the ops dashboard or the <code>surge</code> CLI.</p>',
    '</body></html>',
  ]
    .filter((line) => line !== '')
    .join('\n');
}

export function renderAlert(alert: AlertMessage): RenderedAlert {
  return { subject: alertSubject(alert), text: renderAlertText(alert), html: renderAlertHtml(alert) };
}
