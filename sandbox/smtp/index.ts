// The SMTP sandbox's public surface, for tests, scenarios and the local stack.
export { startSmtpSandbox, OUTAGE_MODES } from './server';
export type { SmtpSandbox, SmtpSandboxOptions, StoredMessage, OutageMode } from './server';
