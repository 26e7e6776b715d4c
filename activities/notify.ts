// The sendAlert activity: emails an AlertMessage to the event's operators through nodemailer.
// It stays simple on purpose: the workflow decides de-duplication and runs alerts apart from tier
// actions, so a slow or failing mail server never holds up load shedding.
import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import addressparser from 'nodemailer/lib/addressparser';
import { ApplicationFailure } from '@temporalio/common';
import type { AlertMessage } from '../workflows/types';
import type { SurgeActivities } from './index';
import { renderAlert } from './alert-templates';

export interface NotifyDeps {
  transport: Transporter;
  /** The From header, e.g. `Surge alerts <surge@example.com>` (ALERT_FROM). */
  from: string;
}

export type NotifyActivities = Pick<SurgeActivities, 'sendAlert'>;

/** The failure type of an alert that no retry can deliver (bad input, or the server refused it for good). */
export const INVALID_ALERT = 'InvalidAlert';
export const ALERT_REJECTED = 'AlertRejected';

const ALERT_KINDS: readonly AlertMessage['kind'][] = ['transition', 'recommendation', 'actuator-failure', 'metrics', 'event'];

// Short enough that a dead or silent SMTP server fails the attempt within seconds (Temporal retries
// it), long enough for a real relay on a slow day. A `?greetingTimeout=...` in SMTP_URL still wins.
export const SMTP_TIMEOUTS = { connectionTimeout: 5_000, greetingTimeout: 5_000, socketTimeout: 15_000 } as const;

/** One plain mailbox (`a@b` or `Name <a@b>`), or null. */
function parseMailbox(value: string): string | null {
  const parsed = addressparser(value);
  if (parsed.length !== 1) return null;
  const [entry] = parsed;
  if (entry.group || !entry.address) return null;
  return /^[^\s@]+@[^\s@]+$/.test(entry.address) ? entry.address : null;
}

function invalid(message: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(message, INVALID_ALERT);
}

function checkHttpUrl(field: string, value: unknown): void {
  if (value === undefined) return;
  let url: URL | null = null;
  try {
    url = typeof value === 'string' ? new URL(value) : null;
  } catch {
    url = null;
  }
  // Only http(s): the link lands in an href, where `javascript:` or `data:` would be a hazard.
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw invalid(`alert.${field} must be an http(s) URL, got ${JSON.stringify(value)}`);
  }
}

/** Throws a non-retryable failure naming the first field that can never be delivered as given. */
export function validateAlert(alert: AlertMessage): void {
  if (typeof alert !== 'object' || alert === null) throw invalid('alert must be an object');
  for (const field of ['eventId', 'eventName', 'subject'] as const) {
    if (typeof alert[field] !== 'string' || alert[field].trim() === '') {
      throw invalid(`alert.${field} is required (a non-empty string)`);
    }
  }
  if (typeof alert.body !== 'string') throw invalid('alert.body must be a string');
  if (!ALERT_KINDS.includes(alert.kind)) {
    throw invalid(`alert.kind must be one of ${ALERT_KINDS.join(', ')}, got ${JSON.stringify(alert.kind)}`);
  }
  if (!Array.isArray(alert.recipients) || alert.recipients.length === 0) {
    throw invalid('alert.recipients is empty: at least one email address is required');
  }
  alert.recipients.forEach((recipient, index) => {
    if (typeof recipient !== 'string' || parseMailbox(recipient) === null) {
      throw invalid(`alert.recipients[${index}] is not an email address: ${JSON.stringify(recipient)}`);
    }
  });
  checkHttpUrl('dashboardUrl', alert.dashboardUrl);
  checkHttpUrl('temporalUiUrl', alert.temporalUiUrl);
}

interface SmtpError {
  code?: string;
  responseCode?: number;
  response?: string;
  /** Set by nodemailer from the reply class: 5xx (except 503) is a refusal for good. */
  permanent?: boolean;
}

/** The server refused this message or its recipients for good: the same message would be refused again. */
function isPermanentRejection(err: unknown): err is Error & SmtpError {
  if (!(err instanceof Error)) return false;
  const smtp = err as Error & SmtpError;
  return smtp.permanent === true && (smtp.code === 'EENVELOPE' || smtp.code === 'EMESSAGE');
}

export function createNotifyActivities(deps: NotifyDeps): NotifyActivities {
  return {
    async sendAlert(alert: AlertMessage): Promise<{ messageId: string }> {
      validateAlert(alert);
      const { subject, text, html } = renderAlert(alert);
      try {
        const info = await deps.transport.sendMail({
          from: deps.from,
          to: alert.recipients,
          subject,
          text,
          html,
          // Lets mail rules (and the sandbox) sort alerts without parsing the subject.
          headers: { 'X-Surge-Event-Id': alert.eventId, 'X-Surge-Alert-Kind': alert.kind },
        });
        return { messageId: String(info.messageId) };
      } catch (err) {
        if (isPermanentRejection(err)) {
          throw ApplicationFailure.nonRetryable(
            `SMTP server refused the alert (${err.responseCode ?? '5xx'}): ${err.response ?? err.message}`,
            ALERT_REJECTED,
          );
        }
        // Connection failures, timeouts, 4xx and auth errors: retryable, the server or config may come back.
        throw err;
      }
    },
  };
}

/**
 * Builds the transport from `SMTP_URL` and the sender from `ALERT_FROM`. Never echoes SMTP_URL:
 * it may carry credentials.
 */
export function notifyDepsFromEnv(env: NodeJS.ProcessEnv = process.env): NotifyDeps {
  const smtpUrl = env.SMTP_URL?.trim();
  if (!smtpUrl) throw new Error('SMTP_URL is not set (a nodemailer connection URL, e.g. smtp://127.0.0.1:2525)');
  let protocol: string;
  try {
    protocol = new URL(smtpUrl).protocol;
  } catch {
    throw new Error('SMTP_URL is not a valid URL (expected smtp://host:port or smtps://user:pass@host:port)');
  }
  if (protocol !== 'smtp:' && protocol !== 'smtps:') {
    throw new Error(`SMTP_URL must use smtp:// or smtps://, got ${protocol}//`);
  }
  const from = env.ALERT_FROM?.trim();
  if (!from) throw new Error('ALERT_FROM is not set (the sender address of alert emails, e.g. "Surge alerts <surge@example.com>")');
  if (parseMailbox(from) === null) throw new Error(`ALERT_FROM is not an email address: ${JSON.stringify(from)}`);

  const transport = nodemailer.createTransport({ url: smtpUrl, ...SMTP_TIMEOUTS });
  return { transport, from };
}
