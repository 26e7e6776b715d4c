// sendAlert through the real nodemailer SMTP transport to the real SMTP sandbox.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { ApplicationFailure } from '@temporalio/common';
import { SMTPServer } from 'smtp-server';
import { createNotifyActivities, notifyDepsFromEnv, INVALID_ALERT, ALERT_REJECTED, SMTP_TIMEOUTS } from '../activities/notify';
import type { NotifyActivities } from '../activities/notify';
import { startSmtpSandbox } from '../sandbox/smtp';
import type { SmtpSandbox } from '../sandbox/smtp';
import type { AlertMessage } from '../workflows/types';

const FROM = 'Surge alerts <surge@example.test>';

function alert(overrides: Partial<AlertMessage> = {}): AlertMessage {
  return {
    eventId: 'flash-sale-1',
    eventName: 'Spring flash sale',
    kind: 'transition',
    subject: 'Tier 2 (queue capacity gate) activated',
    body: 'Waiting 263 > 200 and agents available 3 < 5 for 3 consecutive polls.\nReason: rule.',
    recipients: ['ops@example.test', 'Duty Manager <duty@example.test>'],
    dashboardUrl: 'http://127.0.0.1:3000/events/flash-sale-1',
    temporalUiUrl: 'http://127.0.0.1:8233/namespaces/default/workflows/surge-event-flash-sale-1',
    ...overrides,
  };
}

/** A port nothing listens on: bind a random one, then let it go. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Asserts the error is one Temporal would retry: not a non-retryable ApplicationFailure. */
function assertRetryable(err: unknown): void {
  assert.ok(err instanceof Error, 'an Error');
  assert.ok(!(err instanceof ApplicationFailure && err.nonRetryable), `retryable, got non-retryable ${err.message}`);
}

describe('notify: sendAlert over SMTP', function () {
  let sandbox: SmtpSandbox;
  let notify: NotifyActivities;

  before(async function () {
    sandbox = await startSmtpSandbox({ port: 0, httpPort: 0 });
    notify = createNotifyActivities(notifyDepsFromEnv({ SMTP_URL: sandbox.smtpUrl, ALERT_FROM: FROM }));
  });

  after(async function () {
    await sandbox?.close();
  });

  afterEach(async function () {
    await sandbox.setOutage('none');
  });

  it('delivers the subject, text and HTML parts with the numbers and links', async function () {
    const { messageId } = await notify.sendAlert(alert());
    const message = await sandbox.waitForMessage((m) => m.messageId === messageId, 5_000);

    assert.equal(message.subject, '[surge flash-sale-1] Tier 2 (queue capacity gate) activated');
    assert.deepEqual(message.envelope.to, ['ops@example.test', 'duty@example.test']);
    assert.equal(message.envelope.from, 'surge@example.test');
    assert.equal(message.headers['x-surge-event-id'], 'flash-sale-1');
    assert.equal(message.headers['x-surge-alert-kind'], 'transition');

    for (const part of [message.text, message.html ?? '']) {
      assert.match(part, /Waiting 263 &gt; 200|Waiting 263 > 200/);
      assert.match(part, /agents available 3 &lt; 5|agents available 3 < 5/);
      assert.ok(part.includes('Spring flash sale'), 'event name');
    }
    assert.ok(message.text.includes('Ops dashboard: http://127.0.0.1:3000/events/flash-sale-1'));
    assert.ok(message.text.includes('Temporal UI (event history): http://127.0.0.1:8233/namespaces/default/workflows/surge-event-flash-sale-1'));
    assert.ok(message.html?.includes('href="http://127.0.0.1:3000/events/flash-sale-1"'));
    assert.ok(message.html?.includes('href="http://127.0.0.1:8233/namespaces/default/workflows/surge-event-flash-sale-1"'));
    // No remote resources in the HTML part.
    assert.doesNotMatch(message.html ?? '', /<img|<script|<link|src=/i);
  });

  it('leaves the links out when none are given', async function () {
    const { messageId } = await notify.sendAlert(alert({ dashboardUrl: undefined, temporalUiUrl: undefined, kind: 'event' }));
    const message = await sandbox.waitForMessage((m) => m.messageId === messageId, 5_000);
    assert.doesNotMatch(message.html ?? '', /<a /);
    assert.doesNotMatch(message.text, /Ops dashboard:/);
  });

  it('escapes markup from a reason in the HTML part', async function () {
    const { messageId } = await notify.sendAlert(
      alert({
        eventName: 'Sale <b>now</b>',
        subject: 'Tier 3 forced on by <i>ops</i>',
        body: 'Reason: <script>alert("x")</script> & <img src="http://evil.test/p.png">',
      }),
    );
    const message = await sandbox.waitForMessage((m) => m.messageId === messageId, 5_000);
    const html = message.html ?? '';
    assert.ok(html.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img src=&quot;http://evil.test/p.png&quot;&gt;'), html);
    assert.ok(html.includes('Sale &lt;b&gt;now&lt;/b&gt;'));
    assert.ok(html.includes('by &lt;i&gt;ops&lt;/i&gt;'));
    assert.doesNotMatch(html, /<script|<img|<b>|<i>/);
    // The plain-text part carries the reason as written.
    assert.ok(message.text.includes('<script>alert("x")</script>'));
  });

  it('rejects an alert without recipients as non-retryable, naming the field', async function () {
    const before = sandbox.messages().length;
    await assert.rejects(notify.sendAlert(alert({ recipients: [] })), (err: unknown) => {
      assert.ok(err instanceof ApplicationFailure);
      assert.equal(err.nonRetryable, true);
      assert.equal(err.type, INVALID_ALERT);
      assert.match(err.message, /alert\.recipients/);
      return true;
    });
    assert.equal(sandbox.messages().length, before, 'nothing sent');
  });

  it('rejects a bad address or link as non-retryable, naming the field', async function () {
    await assert.rejects(notify.sendAlert(alert({ recipients: ['ops@example.test', 'not an address'] })), (err: unknown) => {
      assert.ok(err instanceof ApplicationFailure && err.nonRetryable);
      assert.match(err.message, /alert\.recipients\[1\].*"not an address"/);
      return true;
    });
    await assert.rejects(notify.sendAlert(alert({ dashboardUrl: 'javascript:alert(1)' })), (err: unknown) => {
      assert.ok(err instanceof ApplicationFailure && err.nonRetryable);
      assert.match(err.message, /alert\.dashboardUrl/);
      return true;
    });
  });

  it('fails fast and retryable when nothing listens on the SMTP port', async function () {
    const down = createNotifyActivities(notifyDepsFromEnv({ SMTP_URL: `smtp://127.0.0.1:${await closedPort()}`, ALERT_FROM: FROM }));
    await assert.rejects(down.sendAlert(alert()), (err: unknown) => {
      assertRetryable(err);
      assert.match((err as { code?: string }).code ?? '', /^(ESOCKET|ECONNECTION)$/);
      return true;
    });
  });

  it('fails retryable while the server answers 421, and delivers once it is back', async function () {
    await sandbox.setOutage('reject');
    await assert.rejects(notify.sendAlert(alert()), (err: unknown) => {
      assertRetryable(err);
      assert.equal((err as { responseCode?: number }).responseCode, 421);
      return true;
    });
    await sandbox.setOutage('none');
    const { messageId } = await notify.sendAlert(alert());
    await sandbox.waitForMessage((m) => m.messageId === messageId, 5_000);
  });

  it('fails retryable while connections are refused, and delivers on the same port afterwards', async function () {
    await sandbox.setOutage('refuse');
    await assert.rejects(notify.sendAlert(alert()), (err: unknown) => {
      assertRetryable(err);
      assert.match(String((err as Error).message), /ECONNREFUSED/);
      return true;
    });
    await sandbox.setOutage('none');
    const { messageId } = await notify.sendAlert(alert());
    await sandbox.waitForMessage((m) => m.messageId === messageId, 5_000);
  });

  it('gives up on a server that accepts but never greets, instead of hanging', async function () {
    await sandbox.setOutage('hang');
    // The greeting timeout from the URL overrides the default, keeping this test short.
    const stuck = createNotifyActivities(notifyDepsFromEnv({ SMTP_URL: `${sandbox.smtpUrl}?greetingTimeout=300`, ALERT_FROM: FROM }));
    await assert.rejects(stuck.sendAlert(alert()), (err: unknown) => {
      assertRetryable(err);
      assert.equal((err as { code?: string }).code, 'ETIMEDOUT');
      return true;
    });
  });

  it('turns a permanent 5xx refusal of the recipients into a non-retryable failure', async function () {
    const strict = new SMTPServer({
      logger: false,
      disabledCommands: ['STARTTLS'],
      authOptional: true,
      onRcptTo(address, _session, callback) {
        callback(Object.assign(new Error(`mailbox ${address.address} unknown`), { responseCode: 550 }));
      },
    });
    await new Promise<void>((resolve) => strict.listen(0, '127.0.0.1', resolve));
    try {
      const port = (strict.server.address() as AddressInfo).port;
      const refused = createNotifyActivities(notifyDepsFromEnv({ SMTP_URL: `smtp://127.0.0.1:${port}`, ALERT_FROM: FROM }));
      await assert.rejects(refused.sendAlert(alert({ recipients: ['nobody@example.test'] })), (err: unknown) => {
        assert.ok(err instanceof ApplicationFailure && err.nonRetryable, String(err));
        assert.equal(err.type, ALERT_REJECTED);
        assert.match(err.message, /550/);
        return true;
      });
    } finally {
      await new Promise<void>((resolve) => strict.close(() => resolve()));
    }
  });
});

describe('notify: notifyDepsFromEnv', function () {
  it('names the missing variable', function () {
    assert.throws(() => notifyDepsFromEnv({ ALERT_FROM: FROM }), /SMTP_URL is not set/);
    assert.throws(() => notifyDepsFromEnv({ SMTP_URL: 'smtp://127.0.0.1:2525' }), /ALERT_FROM is not set/);
  });

  it('sets short SMTP timeouts by default, which the URL can override', function () {
    const effective = (url: string) =>
      (notifyDepsFromEnv({ SMTP_URL: url, ALERT_FROM: FROM }).transport.transporter as unknown as { options: Record<string, unknown> }).options;
    const defaults = effective('smtp://127.0.0.1:2525');
    assert.equal(defaults.connectionTimeout, SMTP_TIMEOUTS.connectionTimeout);
    assert.equal(defaults.greetingTimeout, SMTP_TIMEOUTS.greetingTimeout);
    assert.equal(defaults.socketTimeout, SMTP_TIMEOUTS.socketTimeout);
    assert.ok(SMTP_TIMEOUTS.socketTimeout <= 30_000, 'seconds, not nodemailer’s minutes');
    assert.equal(effective('smtp://127.0.0.1:2525?greetingTimeout=300').greetingTimeout, 300);
  });

  it('rejects a malformed value without echoing credentials', function () {
    assert.throws(() => notifyDepsFromEnv({ SMTP_URL: 'http://user:hunter2@mail.example.test', ALERT_FROM: FROM }), (err: unknown) => {
      assert.match((err as Error).message, /SMTP_URL must use smtp:\/\/ or smtps:\/\//);
      assert.doesNotMatch((err as Error).message, /hunter2/);
      return true;
    });
    assert.throws(() => notifyDepsFromEnv({ SMTP_URL: 'smtp://127.0.0.1:2525', ALERT_FROM: 'surge at example' }), /ALERT_FROM is not an email address/);
  });
});
