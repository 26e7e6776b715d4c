// Renders the customer's follow-up (email: subject, plain text and HTML; SMS: one short text). Pure
// functions, no I/O: previewable and testable without SMTP. The HTML has inline styles only and no remote
// resources (no images, fonts or trackers), so it reads the same in every client and offline.
import { customerNameProblem, type DeflectionContent, type DeflectionRequest } from '../workflows/deflection-types';
export { holdingContent, humanIntent, type DeflectionContent } from '../workflows/deflection-types';
import { escapeHtml } from './alert-templates';

export interface DeflectionBrand {
  /** Shown in the subject, greeting and signature, e.g. `Acme Store`. */
  name: string;
  /** Where the customer can help themselves or reach support. */
  supportUrl: string;
  /** Order tracking page; `{orderId}` is replaced with the (URL-encoded) order ID. */
  orderStatusUrl?: string;
}

export interface RenderedDeflectionEmail {
  subject: string;
  text: string;
  html: string;
}

export interface DeflectionTemplateInput {
  brand: DeflectionBrand;
  request: Pick<DeflectionRequest, 'customerName' | 'intent' | 'orderId'> & { promisedBy: string };
  reference: string;
  content: DeflectionContent;
}

function orderLink(brand: DeflectionBrand, orderId: string | undefined): string | null {
  if (!brand.orderStatusUrl || !orderId) return null;
  return brand.orderStatusUrl.replace('{orderId}', encodeURIComponent(orderId));
}

function oneLine(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}

/**
 * The name to greet, or null for a plain "Hello,". The endpoint refuses unprintable, long or link-like
 * names; this also keeps them out of emails for promises accepted before it did.
 */
export function greetingName(name: string | undefined): string | null {
  if (!name) return null;
  const line = oneLine(name);
  return line === '' || customerNameProblem(line) ? null : line;
}

export function deflectionSubject(input: Pick<DeflectionTemplateInput, 'brand' | 'reference' | 'content'>): string {
  return oneLine(`${input.brand.name}: ${input.content.headline} (ref ${input.reference})`);
}

export function renderDeflectionText(input: DeflectionTemplateInput): string {
  const { brand, request, reference, content } = input;
  const link = orderLink(brand, request.orderId);
  const lines = [
    greetingName(request.customerName) ? `Hello ${greetingName(request.customerName)},` : 'Hello,',
    '',
    content.headline + '.',
    '',
    ...content.lines,
    '',
    ...(link ? [`Track your order: ${link}`] : []),
    `Help and contact: ${brand.supportUrl}`,
    '',
    `Your reference: ${reference}`,
    '',
    `${brand.name} customer care`,
  ];
  return lines.join('\n') + '\n';
}

function button(url: string, label: string): string {
  return `<a href="${escapeHtml(url)}" style="display:inline-block;background:#0b57d0;color:#ffffff;text-decoration:none;padding:10px 16px;border-radius:6px">${escapeHtml(label)}</a>`;
}

export function renderDeflectionHtml(input: DeflectionTemplateInput): string {
  const { brand, request, reference, content } = input;
  const link = orderLink(brand, request.orderId);
  const name = greetingName(request.customerName);
  const greeting = name ? `Hello ${escapeHtml(name)},` : 'Hello,';
  return [
    '<!doctype html>',
    '<html><head><meta charset="utf-8">',
    `<title>${escapeHtml(deflectionSubject(input))}</title></head>`,
    '<body style="font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#1f1f1f;max-width:600px;margin:0 auto;padding:16px">',
    `<p style="margin:0 0 16px;font-size:14px;color:#5f6368">${escapeHtml(brand.name)}</p>`,
    `<p style="margin:0 0 12px">${greeting}</p>`,
    `<h1 style="font-size:20px;margin:0 0 12px">${escapeHtml(content.headline)}</h1>`,
    ...content.lines.map((line) => `<p style="margin:0 0 12px">${escapeHtml(line)}</p>`),
    link ? `<p style="margin:16px 0">${button(link, 'Track your order')}</p>` : '',
    `<p style="margin:16px 0 0">Help and contact: <a href="${escapeHtml(brand.supportUrl)}" style="color:#0b57d0">${escapeHtml(brand.supportUrl)}</a></p>`,
    `<p style="margin:16px 0 0;color:#5f6368">Your reference: <strong>${escapeHtml(reference)}</strong></p>`,
    `<p style="margin:24px 0 0;font-size:12px;color:#5f6368">${escapeHtml(brand.name)} customer care</p>`,
    '</body></html>',
  ]
    .filter((line) => line !== '')
    .join('\n');
}

export function renderDeflectionEmail(input: DeflectionTemplateInput): RenderedDeflectionEmail {
  return { subject: deflectionSubject(input), text: renderDeflectionText(input), html: renderDeflectionHtml(input) };
}

/** Carriers split long SMS into parts; kept to one or two parts with the essentials only. */
export const SMS_MAX_LENGTH = 306;

export function renderDeflectionSms(input: DeflectionTemplateInput): string {
  const { brand, request, reference, content } = input;
  const link = orderLink(brand, request.orderId) ?? brand.supportUrl;
  const head = `${brand.name}: ${content.headline}. `;
  const tail = ` ${link} Ref ${reference}`;
  let body = oneLine(content.lines.join(' '));
  const room = SMS_MAX_LENGTH - head.length - tail.length;
  if (body.length > room) body = room > 1 ? body.slice(0, room - 1).trimEnd() + '…' : '';
  return oneLine(head + body + tail);
}

/** Brand settings from the worker's environment; each missing or malformed variable is named. */
export function deflectionBrandFromEnv(env: NodeJS.ProcessEnv = process.env): DeflectionBrand {
  const name = env.DEFLECTION_BRAND_NAME?.trim();
  const supportUrl = env.DEFLECTION_SUPPORT_URL?.trim();
  const orderStatusUrl = env.DEFLECTION_ORDER_STATUS_URL?.trim() || undefined;
  const problems: string[] = [];
  if (!name) problems.push('DEFLECTION_BRAND_NAME is not set (the brand shown to customers, e.g. "Acme Store")');
  if (!supportUrl) problems.push('DEFLECTION_SUPPORT_URL is not set (an https:// help page)');
  else if (!isHttpUrl(supportUrl)) problems.push(`DEFLECTION_SUPPORT_URL must be an http(s) URL, got ${JSON.stringify(supportUrl)}`);
  if (orderStatusUrl && !isHttpUrl(orderStatusUrl.replace('{orderId}', 'x'))) {
    problems.push(`DEFLECTION_ORDER_STATUS_URL must be an http(s) URL (with {orderId}), got ${JSON.stringify(orderStatusUrl)}`);
  }
  if (problems.length > 0) throw new Error(problems.join('; '));
  return { name: name!, supportUrl: supportUrl!, ...(orderStatusUrl ? { orderStatusUrl } : {}) };
}

export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
