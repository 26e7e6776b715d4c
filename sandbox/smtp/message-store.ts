// The SMTP sandbox's mailbox: every accepted message, parsed, in memory, oldest first.
import { EventEmitter } from 'node:events';
import { simpleParser } from 'mailparser';
import type { AddressObject, HeaderValue } from 'mailparser';

export interface StoredMessage {
  /** Sequential per sandbox run: "1", "2", ... */
  id: string;
  receivedAt: string;
  /** What the client said in MAIL FROM / RCPT TO (Bcc recipients show here only). */
  envelope: { from: string | null; to: string[] };
  /** The Message-ID header, angle brackets included, as nodemailer's `info.messageId`. */
  messageId: string | null;
  subject: string;
  /** Header texts, e.g. `Surge alerts <surge@example.com>`. */
  from: string;
  to: string;
  /** Decoded headers, lower-case names; address and structured headers as text. */
  headers: Record<string, string>;
  text: string;
  html: string | null;
  size: number;
}

export interface MessageStore {
  /** Parses and keeps a raw RFC 5322 message; resolves with what was stored. */
  add(raw: Buffer, envelope: StoredMessage['envelope']): Promise<StoredMessage>;
  list(): StoredMessage[];
  get(id: string): StoredMessage | undefined;
  raw(id: string): Buffer | undefined;
  clear(): void;
  /** Resolves with the first stored (or future) message matching; rejects after timeoutMs. */
  waitFor(predicate: (message: StoredMessage) => boolean, timeoutMs: number): Promise<StoredMessage>;
}

function addressText(value: AddressObject | AddressObject[] | undefined): string {
  if (!value) return '';
  return (Array.isArray(value) ? value : [value]).map((address) => address.text).join(', ');
}

function headerText(value: HeaderValue): string {
  if (typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((item) => headerText(item as HeaderValue)).join(', ');
  if (value && typeof value === 'object') {
    if ('text' in value && typeof value.text === 'string') return value.text;
    if ('value' in value && typeof value.value === 'string') {
      const params = 'params' in value && value.params ? Object.entries(value.params).map(([k, v]) => `; ${k}=${v}`) : [];
      return value.value + params.join('');
    }
  }
  return JSON.stringify(value);
}

export function createMessageStore(options: { maxMessages?: number } = {}): MessageStore {
  // Bounded so a long-running local stack can't grow without limit; the oldest go first.
  const maxMessages = options.maxMessages ?? 1000;
  const messages: { message: StoredMessage; raw: Buffer }[] = [];
  const arrivals = new EventEmitter();
  arrivals.setMaxListeners(0); // one listener per pending waitFor; many may wait at once
  let nextId = 1;

  return {
    async add(raw, envelope) {
      const parsed = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true });
      const headers: Record<string, string> = {};
      for (const [name, value] of parsed.headers) headers[name.toLowerCase()] = headerText(value);
      const message: StoredMessage = {
        id: String(nextId++),
        receivedAt: new Date().toISOString(),
        envelope,
        messageId: parsed.messageId ?? null,
        subject: parsed.subject ?? '',
        from: addressText(parsed.from),
        to: addressText(parsed.to),
        headers,
        text: parsed.text ?? '',
        html: typeof parsed.html === 'string' ? parsed.html : null,
        size: raw.length,
      };
      messages.push({ message, raw });
      if (messages.length > maxMessages) messages.splice(0, messages.length - maxMessages);
      arrivals.emit('message', message);
      return message;
    },
    list: () => messages.map((entry) => entry.message),
    get: (id) => messages.find((entry) => entry.message.id === id)?.message,
    raw: (id) => messages.find((entry) => entry.message.id === id)?.raw,
    clear: () => {
      messages.length = 0;
    },
    waitFor(predicate, timeoutMs) {
      const existing = messages.find((entry) => predicate(entry.message));
      if (existing) return Promise.resolve(existing.message);
      // A persistent listener, not a loop of once(): a second arrival in the same tick is not missed.
      return new Promise<StoredMessage>((resolve, reject) => {
        const onMessage = (message: StoredMessage) => {
          if (!predicate(message)) return;
          clearTimeout(timer);
          arrivals.off('message', onMessage);
          resolve(message);
        };
        const timer = setTimeout(() => {
          arrivals.off('message', onMessage);
          reject(new Error(`no matching message arrived within ${timeoutMs} ms (${messages.length} stored)`));
        }, timeoutMs);
        arrivals.on('message', onMessage);
      });
    },
  };
}
