// The deflectionFollowUp workflow's side effects: look up the promised content, deliver it by email
// (nodemailer, or Genesys agentless email) or SMS (Genesys agentless message), and alert operators through
// the existing sendAlert path when a promise is at risk. Secrets and addresses of the sender come from the
// worker's deps, never from workflow input.
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import type { AlertMessage } from '../workflows/types';
import { holdingContent, type DeflectionAlertKind, type DeflectionContent, type DeflectionFollowUpInput, type DeflectionStatus } from '../workflows/deflection-types';
import type { GenesysSession } from './genesys-client';
import { SMTP_TIMEOUTS, type NotifyActivities } from './notify';
import { EVENT_ID_PATTERN } from '../workflows/ids';
import {
  deflectionBrandFromEnv,
  greetingName,
  renderDeflectionEmail,
  renderDeflectionSms,
  type DeflectionBrand,
} from './deflection-templates';

/** Failure types the workflow (and its retry policy) matches on. */
export const DeflectionFailure = {
  /** The worker lacks what this channel needs (no SMS sender, no lookup): retrying can't help. */
  notConfigured: 'DeflectionNotConfigured',
  /** The provider refused this recipient or message for good. */
  rejected: 'DeflectionRejected',
} as const;

export type OrderStatusLookup = (input: { orderId: string; conversationId: string }) => Promise<DeflectionContent | null>;

export interface DeflectionDeps {
  brand: DeflectionBrand;
  email:
    | { via: 'smtp'; transport: Transporter; from: string; replyTo?: string }
    | { via: 'genesys'; session: GenesysSession; from: { email: string; name?: string } };
  /** Genesys agentless SMS; `fromAddress` is the SMS number the org sends from. Absent: SMS promises fail fast. */
  sms?: { session: GenesysSession; fromAddress: string };
  /** Pluggable: answers the order's status, or null while it is not known yet (the workflow asks again). */
  lookupOrderStatus?: OrderStatusLookup;
  /** The operators' alert path (notify's sendAlert) and who hears about promises at risk. */
  alerts: { sendAlert: NotifyActivities['sendAlert']; recipients: string[]; dashboardUrl?: string; temporalUiUrl?: string };
}

type Promised = Pick<DeflectionFollowUpInput, 'request' | 'reference'>;

export interface DeliverInput extends Promised {
  content: DeflectionContent;
}

function notConfigured(message: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(message, DeflectionFailure.notConfigured);
}

/** nodemailer marks 5xx replies (but 503) permanent: the same message to the same address would be refused again. */
function isPermanentSmtpRejection(err: unknown): err is Error & { responseCode?: number; response?: string } {
  const smtp = err as { permanent?: boolean; code?: string };
  return err instanceof Error && smtp.permanent === true && (smtp.code === 'EENVELOPE' || smtp.code === 'EMESSAGE');
}

function domainOf(address: string): string {
  const match = /@([^>\s]+)>?\s*$/.exec(address);
  return match ? match[1] : 'surge-fallback.invalid';
}

function temporalUiLink(base: string | undefined): string | undefined {
  if (!base) return undefined;
  try {
    const info = Context.current().info;
    if (!info.workflowNamespace || !info.workflowExecution) return base;
    return `${base.replace(/\/+$/, '')}/namespaces/${encodeURIComponent(info.workflowNamespace)}/workflows/${encodeURIComponent(info.workflowExecution.workflowId)}`;
  } catch {
    return base;
  }
}

const ALERT_SUBJECTS: Record<DeflectionAlertKind, string> = {
  'at-risk': 'follow-up at risk: not delivered yet',
  missed: 'follow-up promise missed: deadline passed undelivered',
  failed: 'follow-up failed: could not be delivered',
  'content-missing': 'follow-up content not ready: sending a holding update',
};

export function createDeflectionActivities(deps: DeflectionDeps) {
  return {
    /** The promised substance: null means "not known yet, ask again later". */
    async lookupDeflectionContent(input: Promised): Promise<DeflectionContent | null> {
      const { request } = input;
      if (request.contentSource !== 'order-status') return holdingContent(request.intent, true);
      if (!deps.lookupOrderStatus) throw notConfigured('contentSource order-status needs an order-status lookup; the worker has none configured');
      return deps.lookupOrderStatus({ orderId: request.orderId ?? '', conversationId: request.conversationId });
    },

    async deliverDeflectionEmail(input: DeliverInput): Promise<{ deliveryId: string }> {
      const { request, reference, content } = input;
      if (!request.customerEmail) throw notConfigured('the request has no customerEmail');
      const rendered = renderDeflectionEmail({ brand: deps.brand, request, reference, content });
      const email = deps.email;
      if (email.via === 'genesys') {
        const sent = await email.session.call(
          { action: 'send the follow-up as an agentless email', permission: 'conversation:email:create', resource: `deflection ${reference}` },
          () =>
            email.session.conversations.postConversationsEmailsAgentless({
              senderType: 'Outbound',
              fromAddress: email.from,
              toAddresses: [{ email: request.customerEmail!, ...(greetingName(request.customerName) ? { name: greetingName(request.customerName)! } : {}) }],
              subject: rendered.subject,
              textBody: rendered.text,
              htmlBody: rendered.html,
            }),
        );
        return { deliveryId: sent.conversationId ?? sent.id ?? 'unknown' };
      }
      try {
        const info = await email.transport.sendMail({
          from: email.from,
          to: greetingName(request.customerName) ? { name: greetingName(request.customerName)!, address: request.customerEmail } : request.customerEmail,
          ...(email.replyTo ? { replyTo: email.replyTo } : {}),
          subject: rendered.subject,
          text: rendered.text,
          html: rendered.html,
          // The same Message-ID on every attempt: if a timed-out attempt did get through, mail systems
          // (and the customer's client) see the retry as the same message.
          messageId: `<${reference}.${request.conversationId}@${domainOf(email.from)}>`,
          headers: { 'X-Surge-Deflection-Reference': reference, 'X-Surge-Conversation-Id': request.conversationId },
        });
        return { deliveryId: String(info.messageId) };
      } catch (err) {
        if (isPermanentSmtpRejection(err)) {
          throw ApplicationFailure.nonRetryable(`the mail server refused the follow-up (${err.responseCode ?? '5xx'}): ${err.response ?? err.message}`, DeflectionFailure.rejected);
        }
        throw err; // connection failures, timeouts and 4xx: the workflow's retry policy tries again
      }
    },

    async deliverDeflectionSms(input: DeliverInput): Promise<{ deliveryId: string }> {
      const { request, reference, content } = input;
      const sms = deps.sms;
      if (!sms) throw notConfigured('SMS follow-ups need DEFLECTION_SMS_FROM (the Genesys SMS number to send from); the worker has none');
      if (!request.customerPhone) throw notConfigured('the request has no customerPhone');
      const textBody = renderDeflectionSms({ brand: deps.brand, request, reference, content });
      const sent = await sms.session.call(
        { action: 'send the follow-up as an agentless SMS', permission: 'conversation:message:create', resource: `deflection ${reference}` },
        () => sms.session.conversations.postConversationsMessagesAgentless({ fromAddress: sms.fromAddress, toAddress: request.customerPhone!, toAddressMessengerType: 'sms', textBody }),
      );
      return { deliveryId: sent.id ?? sent.conversationId ?? 'unknown' };
    },

    /** Operators hear about a promise at risk through the same alert email as tier changes. */
    async sendDeflectionAlert(input: Promised & { kind: DeflectionAlertKind; status: DeflectionStatus }): Promise<{ messageId: string }> {
      const { request, reference, kind, status } = input;
      const contact = request.channel === 'email' ? request.customerEmail : request.customerPhone;
      const alert: AlertMessage = {
        // Only an event ID goes in the subject's `[surge <eventId>]`: never text a caller chose.
        eventId: request.eventId && EVENT_ID_PATTERN.test(request.eventId) ? request.eventId : 'deflections',
        eventName: 'Async deflection follow-ups',
        // No deflection kind exists yet; operators must act (contact the customer), which is what this says.
        kind: 'recommendation',
        subject: `Deflection ${reference} ${ALERT_SUBJECTS[kind]}`,
        body: [
          `The ${request.channel} follow-up promised to the customer by ${status.promisedBy} ${kind === 'at-risk' ? 'has not been delivered yet' : kind === 'content-missing' ? 'has no content yet' : 'was not delivered on time'}.`,
          kind === 'content-missing' ? 'The customer gets a holding update; please send the full answer personally.' : 'Please contact the customer personally, or fix the delivery path.',
          '',
          `Reference: ${reference}`,
          `Conversation: ${request.conversationId}`,
          `Queue: ${request.queueId ?? '(unknown)'}   Intent: ${request.intent}`,
          `Customer: ${greetingName(request.customerName) ?? ''} ${contact ?? ''}`.trim(),
          `Promised at: ${status.promisedAt}`,
        ].join('\n'),
        recipients: deps.alerts.recipients,
        ...(deps.alerts.dashboardUrl ? { dashboardUrl: deps.alerts.dashboardUrl } : {}),
        ...(deps.alerts.temporalUiUrl ? { temporalUiUrl: temporalUiLink(deps.alerts.temporalUiUrl) } : {}),
      };
      return deps.alerts.sendAlert(alert);
    },
  };
}

export type DeflectionActivities = ReturnType<typeof createDeflectionActivities>;

/**
 * The worker's deflection deps from its environment. Customer mail may go through its own relay
 * (DEFLECTION_SMTP_URL, else SMTP_URL) so an outage of one does not silence the other.
 */
export function deflectionDepsFromEnv(
  env: NodeJS.ProcessEnv,
  shared: { sendAlert: NotifyActivities['sendAlert']; genesys?: GenesysSession; lookupOrderStatus?: OrderStatusLookup },
): DeflectionDeps {
  const problems: string[] = [];
  let brand: DeflectionBrand | undefined;
  try {
    brand = deflectionBrandFromEnv(env);
  } catch (err) {
    problems.push((err as Error).message);
  }
  const from = env.DEFLECTION_EMAIL_FROM?.trim();
  if (!from) problems.push('DEFLECTION_EMAIL_FROM is not set (the sender of customer follow-ups, e.g. "Acme Care <care@acme.example>")');
  const via = env.DEFLECTION_EMAIL_VIA?.trim() || 'smtp';
  if (via !== 'smtp' && via !== 'genesys') problems.push(`DEFLECTION_EMAIL_VIA must be smtp or genesys, got ${JSON.stringify(via)}`);
  const smtpUrl = env.DEFLECTION_SMTP_URL?.trim() || env.SMTP_URL?.trim();
  if (via === 'smtp' && !smtpUrl) problems.push('DEFLECTION_SMTP_URL (or SMTP_URL) is not set');
  if ((via === 'genesys' || env.DEFLECTION_SMS_FROM) && !shared.genesys) problems.push('Genesys agentless email/SMS needs a Genesys session (GENESYS_* variables)');
  const recipients = (env.DEFLECTION_ALERT_RECIPIENTS ?? env.ALERT_RECIPIENTS ?? '').split(',').map((r) => r.trim()).filter(Boolean);
  if (recipients.length === 0) problems.push('DEFLECTION_ALERT_RECIPIENTS is not set (comma-separated operator emails for promises at risk)');
  if (problems.length > 0) throw new Error(`deflections are not configured: ${problems.join('; ')}`);

  const email: DeflectionDeps['email'] =
    via === 'genesys'
      ? { via: 'genesys', session: shared.genesys!, from: parseSender(from!) }
      : { via: 'smtp', transport: nodemailer.createTransport({ url: smtpUrl!, ...SMTP_TIMEOUTS }), from: from!, ...(env.DEFLECTION_REPLY_TO ? { replyTo: env.DEFLECTION_REPLY_TO } : {}) };
  return {
    brand: brand!,
    email,
    ...(env.DEFLECTION_SMS_FROM && shared.genesys ? { sms: { session: shared.genesys, fromAddress: env.DEFLECTION_SMS_FROM } } : {}),
    ...(shared.lookupOrderStatus ? { lookupOrderStatus: shared.lookupOrderStatus } : {}),
    alerts: { sendAlert: shared.sendAlert, recipients, dashboardUrl: env.DASHBOARD_URL || undefined, temporalUiUrl: env.TEMPORAL_UI_URL || undefined },
  };
}

/** `Name <a@b>` or `a@b` into the Genesys EmailAddress shape. */
function parseSender(from: string): { email: string; name?: string } {
  const match = /^\s*(.*?)\s*<([^>]+)>\s*$/.exec(from);
  return match ? { email: match[2], ...(match[1] ? { name: match[1].replace(/^"|"$/g, '') } : {}) } : { email: from };
}
