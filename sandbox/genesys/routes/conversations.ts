// Agentless email and messages: validated like the documented request models, stored for the admin API to list.
import { randomUUID } from 'node:crypto';
import { badRequest, isRecord } from '../http';
import type { ApiRoute } from './context';

const SENDER_TYPES = ['Outbound', 'Inbound', 'Integration'];
const MESSENGER_TYPES = ['sms', 'whatsapp', 'open', 'webmessaging', 'apple'];

function emailAddress(value: unknown, at: string): { email: string; name?: string } {
  if (!isRecord(value) || typeof value.email !== 'string' || !value.email.includes('@')) throw badRequest(`${at}.email must be an email address`);
  return { email: value.email, ...(typeof value.name === 'string' ? { name: value.name } : {}) };
}

export const conversationRoutes: ApiRoute[] = [
  {
    method: 'POST',
    pattern: '/api/v2/conversations/emails/agentless',
    permission: 'conversation:email:create',
    handler: ({ state, body }) => {
      if (!isRecord(body)) throw badRequest('The body must be an AgentlessEmailSendRequestDto object');
      if (typeof body.senderType !== 'string' || !SENDER_TYPES.includes(body.senderType)) throw badRequest(`senderType must be one of ${SENDER_TYPES.join(', ')}`);
      const fromAddress = emailAddress(body.fromAddress, 'fromAddress');
      if (!Array.isArray(body.toAddresses) || body.toAddresses.length !== 1) throw badRequest('toAddresses must hold exactly one recipient');
      const toAddresses = [emailAddress(body.toAddresses[0], 'toAddresses[0]')];
      if (typeof body.textBody !== 'string' && typeof body.htmlBody !== 'string') throw badRequest('textBody or htmlBody is required');
      const sent = {
        id: randomUUID(),
        conversationId: typeof body.conversationId === 'string' ? body.conversationId : randomUUID(),
        senderType: body.senderType,
        fromAddress,
        toAddresses,
        ...(isRecord(body.replyToAddress) ? { replyToAddress: emailAddress(body.replyToAddress, 'replyToAddress') } : {}),
        subject: typeof body.subject === 'string' ? body.subject : '',
        dateCreated: new Date(state.clock()).toISOString(),
      };
      state.agentlessEmails.push({ ...sent, textBody: body.textBody, htmlBody: body.htmlBody });
      return { body: sent };
    },
  },
  {
    method: 'POST',
    pattern: '/api/v2/conversations/messages/agentless',
    permission: 'conversation:message:create',
    handler: ({ state, body }) => {
      if (!isRecord(body)) throw badRequest('The body must be a SendAgentlessOutboundMessageRequest object');
      if (typeof body.fromAddress !== 'string' || body.fromAddress === '') throw badRequest('fromAddress is required');
      const type = body.toAddressMessengerType;
      if (typeof type !== 'string' || !MESSENGER_TYPES.includes(type)) throw badRequest(`toAddressMessengerType must be one of ${MESSENGER_TYPES.join(', ')}`);
      if (type === 'webmessaging' ? typeof body.externalContactId !== 'string' : typeof body.toAddress !== 'string') {
        throw badRequest(type === 'webmessaging' ? 'externalContactId is required for webmessaging' : 'toAddress is required');
      }
      if (typeof body.textBody !== 'string' && !isRecord(body.messagingTemplate)) throw badRequest('textBody or messagingTemplate is required');
      const limit = type === 'sms' ? 765 : 2000;
      if (typeof body.textBody === 'string' && body.textBody.length > limit) throw badRequest(`textBody is over ${limit} characters for ${type}`);
      const timestamp = new Date(state.clock()).toISOString();
      const id = randomUUID();
      const sent = {
        id,
        conversationId: randomUUID(),
        fromAddress: body.fromAddress,
        toAddress: typeof body.toAddress === 'string' ? body.toAddress : body.externalContactId,
        messengerType: type,
        useExistingActiveConversation: body.useExistingActiveConversation === true,
        textBody: body.textBody,
        timestamp,
        selfUri: `/api/v2/conversations/messages/agentless/${id}`,
      };
      state.agentlessMessages.push(sent);
      return { body: sent };
    },
  },
];
