// The deflection contract shared by the HTTP endpoint (what a Genesys Data Action posts), the
// deflectionFollowUp workflow and its activities. Deterministic and dependency-free apart from the query
// definition: it is bundled into the workflow sandbox, so no Node built-ins and no clock of its own.
import { defineQuery } from '@temporalio/workflow';
import { EVENT_ID_PATTERN } from './ids';

export type DeflectionChannel = 'email' | 'sms';
export const DEFLECTION_CHANNELS: readonly DeflectionChannel[] = ['email', 'sms'];

/** Where the follow-up's substance comes from: `none` sends the promised update as is; `order-status` waits for a lookup. */
export type DeflectionContentSource = 'none' | 'order-status';
export const DEFLECTION_CONTENT_SOURCES: readonly DeflectionContentSource[] = ['none', 'order-status'];

/**
 * What the Data Action posts. Flat on purpose: Architect fills flat inputs from flow variables, and the
 * same field names appear in the 400 answers the flow designer will read.
 */
export interface DeflectionRequest {
  /** The Genesys conversation ID; one promise per conversation (workflow ID `deflection-<conversationId>`). */
  conversationId: string;
  /** The queue the customer would have waited in (reporting and alerts). */
  queueId?: string;
  /** The bot's intent, e.g. `order_status`. */
  intent: string;
  channel: DeflectionChannel;
  customerName?: string;
  /** Required when channel is `email`. */
  customerEmail?: string;
  /** E.164, required when channel is `sms`. */
  customerPhone?: string;
  /** The deadline promised to the customer: an ISO 8601 instant, or minutes from now (exactly one). */
  promisedBy?: string;
  promisedWithinMinutes?: number;
  contentSource?: DeflectionContentSource;
  /** Required when contentSource is `order-status`. */
  orderId?: string;
  /** The surge event this promise was made under, when known (groups alerts and reports). */
  eventId?: string;
}

/** The substance of the follow-up, from a content lookup or the holding text. */
export interface DeflectionContent {
  /** false: the lookup could not answer in time and this is a holding update. */
  ready: boolean;
  headline: string;
  lines: string[];
}

/** `order_status` -> `order status`: intents are bot identifiers, the customer reads words. */
export function humanIntent(intent: string): string {
  return intent.replace(/[_-]+/g, ' ').trim().toLowerCase();
}

/** The update sent when there was nothing to look up (`ready`), or a lookup could not answer before the margin. */
export function holdingContent(intent: string, ready: boolean): DeflectionContent {
  return ready
    ? { ready, headline: 'Here is the update we promised', lines: [`We have looked into your question about ${humanIntent(intent)}.`] }
    : {
        ready,
        headline: 'We are still working on your question',
        lines: [`We promised you an update about ${humanIntent(intent)} and we are still looking into it.`, 'A member of our team will follow up personally.'],
      };
}

export interface FieldError {
  field: string;
  message: string;
}

/** The workflow's input: the validated request with its deadline fixed, plus the service's settings. */
export interface DeflectionFollowUpInput {
  request: DeflectionRequest & { promisedBy: string };
  /** The short code read back to the customer; derived from the conversation ID, so retries agree. */
  reference: string;
  /** Operators are alerted when the follow-up is still undelivered this long before the deadline. */
  atRiskMarginMinutes: number;
  /** Delivery keeps being retried this long past a missed deadline (a late update beats none). */
  giveUpAfterMinutes?: number;
  /** How often a content lookup that is not ready yet is repeated. */
  contentPollMinutes?: number;
}

export type DeflectionState = 'awaiting-content' | 'delivering' | 'kept' | 'kept-late' | 'failed';

export interface DeflectionStatus {
  reference: string;
  conversationId: string;
  channel: DeflectionChannel;
  state: DeflectionState;
  /** When the promise was made (the workflow's start) and by when it must be kept. */
  promisedAt: string;
  promisedBy: string;
  /** When the at-risk alert fires if nothing has been delivered. */
  atRiskAt: string;
  contentReady: boolean | null;
  deliveredAt: string | null;
  /** Provider message ID (SMTP Message-ID or Genesys conversation ID). */
  deliveryId: string | null;
  alerts: { at: string; kind: DeflectionAlertKind }[];
  /** What the history shows at a glance, most recent last. */
  timeline: { at: string; what: string }[];
}

export type DeflectionAlertKind = 'at-risk' | 'missed' | 'failed' | 'content-missing';

export interface DeflectionResult {
  reference: string;
  outcome: 'kept' | 'kept-late' | 'failed';
  deliveredAt: string | null;
  promisedBy: string;
}

/** What the endpoint answers the Data Action with (the output contract). */
export interface DeflectionResponse {
  reference: string;
  workflowId: string;
  promisedBy: string;
  /** false when this call found the promise an earlier (retried) call already made. */
  created: boolean;
}

export const deflectionStatusQuery = defineQuery<DeflectionStatus>('deflectionStatus');

export function deflectionWorkflowId(conversationId: string): string {
  return `deflection-${conversationId}`;
}

// Crockford base32 without I, L, O, U: safe to read aloud or type back.
const REFERENCE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * `DF-` and 8 characters from a 40-bit FNV-1a hash of the conversation ID. Deterministic, so every retry of
 * the same conversation (and the workflow itself) agrees on it without any lookup. Not a key: the workflow
 * ID is; a rare collision only means two customers hear the same code.
 */
export function deflectionReference(conversationId: string): string {
  // Two 32-bit FNV-1a lanes (different offsets) give 64 bits; 40 of them are enough for 8 characters.
  let a = 0x811c9dc5;
  let b = 0x050c5d1f;
  for (let i = 0; i < conversationId.length; i++) {
    const c = conversationId.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c, 0x01000193) >>> 0;
  }
  let bits = (BigInt(a) << 32n) | BigInt(b);
  let out = '';
  for (let i = 0; i < 8; i++) {
    out += REFERENCE_ALPHABET[Number(bits & 31n)];
    bits >>= 5n;
  }
  return `DF-${out}`;
}

export const DEFLECTION_LIMITS = {
  /** A promise shorter than this can't be kept by a retried delivery; longer than a week is not a chat follow-up. */
  minMinutes: 5,
  maxMinutes: 7 * 24 * 60,
} as const;

const CONVERSATION_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
// Bot intents and queue IDs are identifiers; the intent's words reach the customer's email.
const INTENT = /^[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}$/;
const QUEUE_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
// Printable ASCII without spaces: it goes (URL-encoded) into the order link and to the lookup.
const ORDER_ID = /^[\x21-\x7e]{1,64}$/;
/** A name is greeted in an email we sign: printable and short, never a link. */
export const CUSTOMER_NAME_MAX = 64;
// Controls, format characters (bidi overrides, zero-width), separators, surrogates, private use, unassigned.
const UNPRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}]/u;
const LINK_LIKE = /:\/\/|www\./i;
const E164 = /^\+[1-9][0-9]{6,14}$/;
// Deliberately plain: one @, no spaces, a dot in the domain. The mail server is the final judge.
const EMAIL = /^[^\s@<>()",;]+@[^\s@<>()",;]+\.[^\s@<>()",;]+$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const KNOWN_FIELDS = new Set([
  'conversationId', 'queueId', 'intent', 'channel', 'customerName', 'customerEmail', 'customerPhone',
  'promisedBy', 'promisedWithinMinutes', 'contentSource', 'orderId', 'eventId',
]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Genesys sends an unset optional input as "" (or null): both mean absent. */
function present(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}

function text(body: Record<string, unknown>, field: string, maxLength: number, errors: FieldError[], required: boolean): string | undefined {
  const value = body[field];
  if (!present(value)) {
    if (required) errors.push({ field, message: 'is required' });
    return undefined;
  }
  if (typeof value !== 'string' || value.trim() === '') {
    errors.push({ field, message: `must be a non-empty string, got ${JSON.stringify(value)}` });
    return undefined;
  }
  if (value.length > maxLength) {
    errors.push({ field, message: `must be at most ${maxLength} characters` });
    return undefined;
  }
  return value.trim();
}

/** Why a customer name can't be greeted as given, or null. Also used to keep older inputs out of emails. */
export function customerNameProblem(name: string): string | null {
  if (UNPRINTABLE.test(name)) return 'must be printable text (no control, format or line-break characters)';
  if ([...name].length > CUSTOMER_NAME_MAX) return `must be at most ${CUSTOMER_NAME_MAX} characters`;
  if (LINK_LIKE.test(name)) return 'must be a name, not a link';
  return null;
}

function pattern(value: string | undefined, field: string, re: RegExp, message: string, errors: FieldError[]): string | undefined {
  if (value === undefined || re.test(value)) return value;
  errors.push({ field, message: `${message}, got ${JSON.stringify(value.slice(0, 80))}` });
  return undefined;
}

/**
 * Checks a posted body field by field. `nowMs` (the caller's clock) turns `promisedWithinMinutes` into
 * `promisedBy` and rejects deadlines in the past; the workflow re-checks without it (time moves on).
 * Every problem is reported at once, each naming its field.
 */
export function validateDeflectionRequest(
  raw: unknown,
  nowMs?: number,
  /**
   * The character rules for intent, names, IDs and eventId (added after the first release). The workflow
   * passes false when replaying a history recorded before them, so promises made then still run.
   */
  strict = true,
): { ok: true; value: DeflectionRequest & { promisedBy: string } } | { ok: false; errors: FieldError[] } {
  if (!isRecord(raw)) return { ok: false, errors: [{ field: '(body)', message: 'must be a JSON object' }] };
  const errors: FieldError[] = [];
  for (const field of Object.keys(raw)) {
    if (!KNOWN_FIELDS.has(field)) errors.push({ field, message: 'is not a known field' });
  }

  const conversationId = text(raw, 'conversationId', 128, errors, true);
  if (conversationId !== undefined && !CONVERSATION_ID.test(conversationId)) {
    errors.push({ field: 'conversationId', message: 'may hold only letters, digits and . _ : - (it becomes part of the workflow ID)' });
  }
  let queueId = text(raw, 'queueId', 128, errors, false);
  let intent = text(raw, 'intent', strict ? 64 : 100, errors, true);
  let customerName = text(raw, 'customerName', strict ? 16 * 1024 : 100, errors, false); // strict: customerNameProblem bounds it
  let orderId = text(raw, 'orderId', 64, errors, false);
  let eventId = text(raw, 'eventId', 64, errors, false);
  if (strict) {
    queueId = pattern(queueId, 'queueId', QUEUE_ID, 'may hold only letters, digits and . _ : -', errors);
    intent = pattern(intent, 'intent', INTENT, 'must be the bot intent\'s identifier (letters, digits, space, _ . -; at most 64)', errors);
    orderId = pattern(orderId, 'orderId', ORDER_ID, 'must be printable ASCII without spaces', errors);
    eventId = pattern(eventId, 'eventId', EVENT_ID_PATTERN, 'must be a surge event ID: 1-63 lowercase letters, digits or dashes', errors);
    const nameProblem = customerName === undefined ? null : customerNameProblem(customerName);
    if (nameProblem) {
      errors.push({ field: 'customerName', message: nameProblem });
      customerName = undefined;
    }
  }

  let channel: DeflectionChannel | undefined;
  if (!present(raw.channel)) errors.push({ field: 'channel', message: `is required (${DEFLECTION_CHANNELS.join(' or ')})` });
  else if (!DEFLECTION_CHANNELS.includes(raw.channel as DeflectionChannel)) {
    errors.push({ field: 'channel', message: `must be ${DEFLECTION_CHANNELS.join(' or ')}, got ${JSON.stringify(raw.channel)}` });
  } else channel = raw.channel as DeflectionChannel;

  const customerEmail = text(raw, 'customerEmail', 254, errors, channel === 'email');
  if (customerEmail !== undefined && !EMAIL.test(customerEmail)) errors.push({ field: 'customerEmail', message: `is not an email address: ${JSON.stringify(customerEmail)}` });
  const customerPhone = text(raw, 'customerPhone', 16, errors, channel === 'sms');
  if (customerPhone !== undefined && !E164.test(customerPhone)) {
    errors.push({ field: 'customerPhone', message: `must be an E.164 number such as +14155550100, got ${JSON.stringify(customerPhone)}` });
  }

  let contentSource: DeflectionContentSource | undefined;
  if (present(raw.contentSource)) {
    if (!DEFLECTION_CONTENT_SOURCES.includes(raw.contentSource as DeflectionContentSource)) {
      errors.push({ field: 'contentSource', message: `must be one of ${DEFLECTION_CONTENT_SOURCES.join(', ')}, got ${JSON.stringify(raw.contentSource)}` });
    } else contentSource = raw.contentSource as DeflectionContentSource;
  }
  if (contentSource === 'order-status' && orderId === undefined && !present(raw.orderId)) {
    errors.push({ field: 'orderId', message: 'is required when contentSource is order-status' });
  }

  let promisedBy: string | undefined;
  const hasBy = present(raw.promisedBy);
  const hasWithin = present(raw.promisedWithinMinutes);
  if (hasBy && hasWithin) errors.push({ field: 'promisedBy', message: 'give promisedBy or promisedWithinMinutes, not both' });
  else if (!hasBy && !hasWithin) errors.push({ field: 'promisedWithinMinutes', message: 'is required (or promisedBy, an ISO 8601 instant)' });
  else if (hasWithin) {
    const minutes = raw.promisedWithinMinutes;
    if (typeof minutes !== 'number' || !Number.isInteger(minutes) || minutes < DEFLECTION_LIMITS.minMinutes || minutes > DEFLECTION_LIMITS.maxMinutes) {
      errors.push({ field: 'promisedWithinMinutes', message: `must be a whole number of minutes from ${DEFLECTION_LIMITS.minMinutes} to ${DEFLECTION_LIMITS.maxMinutes}, got ${JSON.stringify(minutes)}` });
    } else if (nowMs !== undefined) promisedBy = new Date(nowMs + minutes * 60_000).toISOString();
    else errors.push({ field: 'promisedWithinMinutes', message: 'must be resolved to promisedBy before the workflow starts' });
  } else {
    const by = raw.promisedBy;
    const ms = typeof by === 'string' && ISO_INSTANT.test(by) ? Date.parse(by) : NaN;
    if (Number.isNaN(ms)) errors.push({ field: 'promisedBy', message: `must be an ISO 8601 instant with a time zone, e.g. 2026-03-01T11:00:00Z, got ${JSON.stringify(by)}` });
    else if (nowMs !== undefined && (ms < nowMs + DEFLECTION_LIMITS.minMinutes * 60_000 || ms > nowMs + DEFLECTION_LIMITS.maxMinutes * 60_000)) {
      errors.push({ field: 'promisedBy', message: `must be between ${DEFLECTION_LIMITS.minMinutes} minutes and 7 days from now, got ${by as string}` });
    } else promisedBy = new Date(ms).toISOString();
  }

  if (errors.length > 0 || !conversationId || !intent || !channel || !promisedBy) return { ok: false, errors };
  return {
    ok: true,
    value: {
      conversationId,
      intent,
      channel,
      promisedBy,
      contentSource: contentSource ?? 'none',
      ...(queueId !== undefined ? { queueId } : {}),
      ...(customerName !== undefined ? { customerName } : {}),
      ...(customerEmail !== undefined ? { customerEmail } : {}),
      ...(customerPhone !== undefined ? { customerPhone } : {}),
      ...(orderId !== undefined ? { orderId } : {}),
      ...(eventId !== undefined ? { eventId } : {}),
    },
  };
}

export function describeFieldErrors(errors: FieldError[]): string {
  return errors.map((e) => `${e.field}: ${e.message}`).join('; ');
}
