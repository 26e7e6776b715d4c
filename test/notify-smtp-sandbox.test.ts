// The SMTP sandbox's HTTP side and outage switch, fed by the real nodemailer client.
import assert from 'node:assert/strict';
import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import { startSmtpSandbox } from '../sandbox/smtp';
import type { SmtpSandbox, StoredMessage } from '../sandbox/smtp';

describe('notify: SMTP sandbox', function () {
  let sandbox: SmtpSandbox;
  let transport: Transporter;

  async function send(subject: string, html?: string): Promise<StoredMessage> {
    const info = await transport.sendMail({
      from: 'surge@example.test',
      to: 'ops@example.test',
      bcc: 'audit@example.test',
      subject,
      text: `text of ${subject}`,
      html,
    });
    return sandbox.waitForMessage((m) => m.messageId === info.messageId, 5_000);
  }

  before(async function () {
    sandbox = await startSmtpSandbox({ port: 0, httpPort: 0 });
    transport = nodemailer.createTransport({ url: sandbox.smtpUrl });
  });

  after(async function () {
    transport?.close();
    await sandbox?.close();
  });

  beforeEach(async function () {
    await sandbox.setOutage('none');
    sandbox.clearMessages();
  });

  it('lists received messages as JSON, newest last, with envelope and parts', async function () {
    await send('first');
    await send('second', '<p>second <b>html</b></p>');
    const res = await fetch(`${sandbox.httpUrl}/messages`);
    assert.equal(res.status, 200);
    const listed = (await res.json()) as StoredMessage[];
    assert.deepEqual(
      listed.map((m) => m.subject),
      ['first', 'second'],
    );
    const [first, second] = listed;
    assert.deepEqual(first.envelope, { from: 'surge@example.test', to: ['ops@example.test', 'audit@example.test'] });
    assert.equal(first.to, 'ops@example.test');
    assert.equal(first.text.trim(), 'text of first');
    assert.equal(first.html, null);
    assert.equal(second.html, '<p>second <b>html</b></p>');
    assert.ok(Number(second.id) > Number(first.id));
  });

  it('serves one message raw, and its HTML part locked down', async function () {
    const stored = await send('raw please', '<p>hello</p>');
    const raw = await fetch(`${sandbox.httpUrl}/messages/${stored.id}`);
    assert.equal(raw.status, 200);
    const rawText = await raw.text();
    assert.match(rawText, /^Subject: raw please\r?$/m);
    assert.match(rawText, /text of raw please/);

    const html = await fetch(`${sandbox.httpUrl}/messages/${stored.id}/html`);
    assert.equal(html.status, 200);
    assert.match(html.headers.get('content-security-policy') ?? '', /default-src 'none'.*sandbox/);
    assert.equal(await html.text(), '<p>hello</p>');

    const missing = await fetch(`${sandbox.httpUrl}/messages/9999`);
    assert.equal(missing.status, 404);
    assert.match(((await missing.json()) as { error: string }).error, /no message with id "9999"/);
  });

  it('shows messages on the HTML page with every value escaped', async function () {
    await send('Tier 3 <script>alert(1)</script> & more');
    const res = await fetch(`${sandbox.httpUrl}/`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
    const page = await res.text();
    assert.ok(page.includes('Tier 3 &lt;script&gt;alert(1)&lt;/script&gt; &amp; more'), page);
    assert.doesNotMatch(page, /<script/);
    assert.ok(page.includes('ops@example.test, audit@example.test'));
  });

  it('empties the mailbox on DELETE /messages', async function () {
    await send('to be deleted');
    const res = await fetch(`${sandbox.httpUrl}/messages`, { method: 'DELETE' });
    assert.equal(res.status, 204);
    assert.deepEqual(sandbox.messages(), []);
    assert.deepEqual(await (await fetch(`${sandbox.httpUrl}/messages`)).json(), []);
  });

  it('switches the outage over HTTP and validates the mode', async function () {
    const bad = await fetch(`${sandbox.httpUrl}/outage`, { method: 'PUT', body: JSON.stringify({ mode: 'flood' }) });
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { error: string }).error, /body\.mode must be one of none, reject, refuse, hang, got "flood"/);

    const notJson = await fetch(`${sandbox.httpUrl}/outage`, { method: 'PUT', body: '{' });
    assert.equal(notJson.status, 400);

    const on = await fetch(`${sandbox.httpUrl}/outage`, { method: 'PUT', body: JSON.stringify({ mode: 'reject' }) });
    assert.deepEqual(await on.json(), { mode: 'reject' });
    await assert.rejects(send('during outage'), (err: unknown) => (err as { responseCode?: number }).responseCode === 421);

    await fetch(`${sandbox.httpUrl}/outage`, { method: 'PUT', body: JSON.stringify({ mode: 'none' }) });
    assert.equal((await send('after outage')).subject, 'after outage');
  });

  it('answers unknown routes and methods with an error naming them', async function () {
    const res = await fetch(`${sandbox.httpUrl}/nope`);
    assert.equal(res.status, 404);
    assert.match(((await res.json()) as { error: string }).error, /no route for GET \/nope/);
    const post = await fetch(`${sandbox.httpUrl}/messages`, { method: 'POST' });
    assert.equal(post.status, 405);
  });

  it('waitForMessage rejects with a clear error when nothing matches in time', async function () {
    await assert.rejects(sandbox.waitForMessage((m) => m.subject === 'never sent', 50), /no matching message arrived within 50 ms/);
  });
});
