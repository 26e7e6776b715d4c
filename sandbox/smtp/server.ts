// A real SMTP server standing in for the operators' mail relay: accepts any sender, recipient and
// credentials, keeps every message in memory and shows them over HTTP. Can fake an outage.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { createMessageStore } from './message-store';
import type { StoredMessage } from './message-store';
import { createSmtpSandboxHttpHandler } from './http-api';
import type { OutageMode } from './http-api';

export type { StoredMessage } from './message-store';
export { OUTAGE_MODES } from './http-api';
export type { OutageMode } from './http-api';

export interface SmtpSandboxOptions {
  /** SMTP port; 2525 by default, 0 for a random one. */
  port?: number;
  host?: string;
  /** HTTP port of the message viewer; 8902 by default, 0 for a random one. */
  httpPort?: number;
  /** Oldest messages are dropped beyond this. */
  maxMessages?: number;
  /** Where server-side errors go (a client resetting its connection is not one); console.error by default. */
  onError?: (err: Error) => void;
}

export interface SmtpSandbox {
  smtpPort: number;
  /** `smtp://host:port`, ready for SMTP_URL. */
  smtpUrl: string;
  httpPort: number;
  httpUrl: string;
  /** Everything received, oldest first. */
  messages(): StoredMessage[];
  waitForMessage(predicate: (message: StoredMessage) => boolean, timeoutMs: number): Promise<StoredMessage>;
  clearMessages(): void;
  outage(): OutageMode;
  /** Simulates a mail server outage (`none` ends it); resolves once the new mode is in force. */
  setOutage(mode: OutageMode): Promise<void>;
  close(): Promise<void>;
}

type GreetingCallback = (err?: Error | null) => void;

function smtpError(message: string, responseCode: number): Error {
  return Object.assign(new Error(message), { responseCode });
}

function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

export async function startSmtpSandbox(options: SmtpSandboxOptions = {}): Promise<SmtpSandbox> {
  const host = options.host ?? '127.0.0.1';
  const store = createMessageStore({ maxMessages: options.maxMessages });
  const reportError = options.onError ?? ((err: Error) => console.error(`[smtp-sandbox] ${err.message}`));
  let outage: OutageMode = 'none';
  // Connections held before the greeting while in `hang` mode.
  const heldGreetings = new Set<GreetingCallback>();

  const smtp = new SMTPServer({
    banner: 'surge-fallback SMTP sandbox',
    logger: false,
    // No TLS and no required auth: a local stand-in, loopback only. Credentials, if sent, are accepted.
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    allowInsecureAuth: true,
    disableReverseLookup: true,
    size: 10 * 1024 * 1024,
    closeTimeout: 1_000,
    onAuth(auth, _session, callback) {
      callback(null, { user: auth.username ?? 'sandbox' });
    },
    onConnect(_session, callback) {
      if (outage === 'reject') return callback(smtpError('Service not available (sandbox outage), try again later', 421));
      if (outage === 'hang') {
        heldGreetings.add(callback);
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (stream.sizeExceeded) return callback(smtpError('Message exceeds the sandbox size limit', 552));
        const envelope = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
        };
        store.add(Buffer.concat(chunks), envelope).then(
          (message) => callback(null, `Message queued as ${message.id}`),
          (err: unknown) => callback(smtpError(`Message could not be parsed: ${err instanceof Error ? err.message : String(err)}`, 554)),
        );
      });
    },
  });
  smtp.on('error', (err: Error & { code?: string }) => {
    if (err.code !== 'ECONNRESET' && err.code !== 'EPIPE') reportError(err);
  });

  function listenSmtp(port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      smtp.server.once('error', reject);
      smtp.listen(port, host, () => {
        smtp.server.off('error', reject);
        resolve((smtp.server.address() as AddressInfo).port);
      });
    });
  }

  function releaseHeldGreetings(err?: Error): void {
    for (const callback of heldGreetings) callback(err);
    heldGreetings.clear();
  }

  const smtpPort = await listenSmtp(options.port ?? 2525);

  const http = createServer(
    createSmtpSandboxHttpHandler(store, {
      get: () => outage,
      set: (mode) => setOutage(mode),
    }),
  );
  const httpPort = await new Promise<number>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.httpPort ?? 8902, host, () => {
      http.off('error', reject);
      resolve((http.address() as AddressInfo).port);
    });
  });

  async function setOutage(mode: OutageMode): Promise<void> {
    const previous = outage;
    if (mode === previous) return;
    outage = mode;
    if (previous === 'hang') releaseHeldGreetings();
    if (mode === 'refuse') {
      // Closing the listener makes new connections fail with ECONNREFUSED; open sessions may finish.
      smtp.server.close();
    } else if (previous === 'refuse') {
      // Same port again, so SMTP_URL stays valid across the simulated outage.
      await listenSmtp(smtpPort);
    }
  }

  return {
    smtpPort,
    smtpUrl: `smtp://${hostForUrl(host)}:${smtpPort}`,
    httpPort,
    httpUrl: `http://${hostForUrl(host)}:${httpPort}`,
    messages: () => store.list(),
    waitForMessage: (predicate, timeoutMs) => store.waitFor(predicate, timeoutMs),
    clearMessages: () => store.clear(),
    outage: () => outage,
    setOutage,
    async close() {
      releaseHeldGreetings(smtpError('Sandbox shutting down', 421));
      http.closeAllConnections();
      await Promise.all([
        new Promise<void>((resolve) => smtp.close(() => resolve())),
        new Promise<void>((resolve) => http.close(() => resolve())),
      ]);
    },
  };
}
