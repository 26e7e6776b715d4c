// The one data converter every process uses (worker, CLI, dashboard, deflection endpoint, codec server, local
// stack): every payload encrypted with the current key, and failure messages and stack traces moved into an
// encrypted payload too (an SMTP refusal quotes the customer's address; a failure message is otherwise stored in clear).
import type { DataConverter } from '@temporalio/common';
import { AesGcmPayloadCodec } from './aes-gcm-codec';
import { keyringFromEnv, type EncryptionKeyring } from './keys';

/** Give this to bundleWorkflowCode too: a prebuilt workflow bundle carries its own failure converter. */
export const FAILURE_CONVERTER_PATH = require.resolve('../../workflows/failure-converter');

export function encryptingDataConverter(keyring: EncryptionKeyring | null): DataConverter {
  return {
    payloadCodecs: [new AesGcmPayloadCodec(keyring)],
    failureConverterPath: FAILURE_CONVERTER_PATH,
  };
}

/** From SURGE_ENCRYPTION_KEYS / SURGE_ENCRYPTION_KEY_ID; without keys, payloads are written in clear (see README). */
export function dataConverterFromEnv(env: NodeJS.ProcessEnv = process.env): DataConverter {
  return encryptingDataConverter(keyringFromEnv(env));
}

/** Said once at start by processes that write payloads, so running in clear is never silent. */
export function encryptionNotice(env: NodeJS.ProcessEnv = process.env): string {
  const keyring = keyringFromEnv(env);
  return keyring
    ? `payload encryption on (AES-256-GCM, current key "${keyring.currentKeyId}", ${keyring.keys.size} key(s) can decode)`
    : 'payload encryption OFF: SURGE_ENCRYPTION_KEYS is not set, so workflow inputs (customer contact details) are stored in clear in Temporal';
}

/**
 * For processes that write customer data into Temporal (the deflection endpoint): without keys they refuse to
 * start, unless SURGE_ENCRYPTION=off says running in clear is intended (a private dev cluster).
 */
export function requireEncryptionForCustomerData(env: NodeJS.ProcessEnv = process.env): void {
  if (keyringFromEnv(env) || env.SURGE_ENCRYPTION === 'off') return;
  throw new Error(
    'SURGE_ENCRYPTION_KEYS: required by the deflection endpoint, which stores customer email addresses and phone numbers in Temporal; ' +
      'set it (e.g. SURGE_ENCRYPTION_KEYS=k1:$(openssl rand -base64 32)), or SURGE_ENCRYPTION=off to store them in clear on purpose',
  );
}
