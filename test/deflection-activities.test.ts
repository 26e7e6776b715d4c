// The deflection activities' Genesys paths with the real SDK against the Genesys sandbox (agentless SMS
// and agentless email), and the customer templates rendered as customers will see them.
import assert from 'node:assert/strict';
import { MockActivityEnvironment } from '@temporalio/testing';
import { startGenesysSandbox, type GenesysSandbox } from '../sandbox/genesys';
import { sandboxSession } from '../sandbox/genesys/testing';
import { createDeflectionActivities, DeflectionFailure, type DeflectionDeps } from '../activities/deflection';
import { renderDeflectionEmail, renderDeflectionSms, SMS_MAX_LENGTH, deflectionBrandFromEnv } from '../activities/deflection-templates';
import { deflectionReference, holdingContent, validateDeflectionRequest, type DeflectionFollowUpInput } from '../workflows/deflection-types';
import { rejection } from './helpers/failures';

const BRAND = { name: 'Acme <Store>', supportUrl: 'https://help.acme.example/contact?a=1&b=2', orderStatusUrl: 'https://acme.example/orders/{orderId}' };
const unusedAlerts: DeflectionDeps['alerts'] = { sendAlert: () => Promise.reject(new Error('no alerts here')), recipients: ['ops@acme.example'] };

function promised(overrides: Record<string, unknown> = {}): Pick<DeflectionFollowUpInput, 'request' | 'reference'> {
  const checked = validateDeflectionRequest(
    { conversationId: 'conv-42', intent: 'order_status', channel: 'sms', customerPhone: '+14155550100', customerEmail: 'dana@example.com', customerName: 'Dana', promisedWithinMinutes: 120, orderId: 'A/1', ...overrides },
    Date.parse('2026-03-01T09:00:00Z'),
  );
  assert.ok(checked.ok, JSON.stringify(!checked.ok && checked.errors));
  return { request: checked.value, reference: deflectionReference('conv-42') };
}

describe('deflection activities (Genesys sandbox, real SDK) and templates', () => {
  let sandbox: GenesysSandbox;
  const mock = new MockActivityEnvironment();

  before(async () => {
    sandbox = await startGenesysSandbox({ port: 0 });
  });
  after(() => sandbox?.close());
  beforeEach(() => sandbox.state.reset());

  it('sends an SMS follow-up as a Genesys agentless message', async () => {
    const session = sandboxSession(sandbox);
    const acts = createDeflectionActivities({ brand: BRAND, email: { via: 'genesys', session, from: { email: 'care@acme.example' } }, sms: { session, fromAddress: '+14155550199' }, alerts: unusedAlerts });
    const input = { ...promised(), content: holdingContent('order_status', true) };
    const { deliveryId } = (await mock.run(acts.deliverDeflectionSms, input)) as { deliveryId: string };
    assert.equal(sandbox.state.agentlessMessages.length, 1);
    const sent = sandbox.state.agentlessMessages[0] as Record<string, string>;
    assert.equal(sent.id, deliveryId);
    assert.equal(sent.toAddress, '+14155550100');
    assert.equal(sent.fromAddress, '+14155550199');
    assert.equal(sent.messengerType, 'sms');
    assert.match(sent.textBody, new RegExp(`Ref ${input.reference}$`));
    assert.match(sent.textBody, /https:\/\/acme\.example\/orders\/A%2F1/);
  });

  it('sends an email follow-up as a Genesys agentless email, text and HTML', async () => {
    const session = sandboxSession(sandbox);
    const acts = createDeflectionActivities({ brand: BRAND, email: { via: 'genesys', session, from: { email: 'care@acme.example', name: 'Acme Care' } }, alerts: unusedAlerts });
    await mock.run(acts.deliverDeflectionEmail, { ...promised({ channel: 'email' }), content: holdingContent('order_status', true) });
    const sent = sandbox.state.agentlessEmails[0] as { toAddresses: { email: string }[]; subject: string; textBody: string; htmlBody: string; senderType: string };
    assert.equal(sent.senderType, 'Outbound');
    assert.deepEqual(sent.toAddresses.map((a) => a.email), ['dana@example.com']);
    assert.match(sent.subject, /^Acme <Store>: Here is the update we promised \(ref DF-[0-9A-Z]{8}\)$/);
    assert.match(sent.textBody, /question about order status/);
    assert.ok(sent.htmlBody.includes('Acme &lt;Store&gt;'), 'brand name escaped in HTML');
  });

  it('fails SMS for good, naming the setting, when no sender number is configured', async () => {
    const acts = createDeflectionActivities({ brand: BRAND, email: { via: 'genesys', session: sandboxSession(sandbox), from: { email: 'care@acme.example' } }, alerts: unusedAlerts });
    const failure = await rejection(mock.run(acts.deliverDeflectionSms, { ...promised(), content: holdingContent('x', true) }));
    assert.equal(failure.type, DeflectionFailure.notConfigured);
    assert.equal(failure.nonRetryable, true);
    assert.match(failure.message, /DEFLECTION_SMS_FROM/);
  });

  it('renders emails without remote resources, escaping customer text, and SMS within two parts', () => {
    const input = { brand: BRAND, request: promised({ customerName: '<script>alert(1)</script>' }).request, reference: 'DF-ABCDEFGH', content: { ready: true, headline: 'Order A/1 ships "today"', lines: ['x'.repeat(600)] } };
    const email = renderDeflectionEmail(input);
    assert.doesNotMatch(email.html, /<script|<img|<link|src=|url\(|@import/i);
    assert.ok(email.html.includes('&lt;script&gt;'));
    assert.ok(email.html.includes('href="https://help.acme.example/contact?a=1&amp;b=2"'));
    assert.match(email.text, /Your reference: DF-ABCDEFGH/);
    const sms = renderDeflectionSms(input);
    assert.ok(sms.length <= SMS_MAX_LENGTH, `SMS is ${sms.length} characters`);
    assert.match(sms, /…/);
    assert.match(sms, /Ref DF-ABCDEFGH$/);
  });

  it('names every missing or malformed brand variable', () => {
    assert.throws(() => deflectionBrandFromEnv({ DEFLECTION_SUPPORT_URL: 'javascript:alert(1)' }), /DEFLECTION_BRAND_NAME is not set.*DEFLECTION_SUPPORT_URL must be an http\(s\) URL/);
  });

  it('derives the same short reference for the same conversation, and different ones otherwise', () => {
    assert.equal(deflectionReference('conv-1'), deflectionReference('conv-1'));
    assert.notEqual(deflectionReference('conv-1'), deflectionReference('conv-2'));
    assert.match(deflectionReference('conv-1'), /^DF-[0-9A-HJKMNP-TV-Z]{8}$/);
  });
});
