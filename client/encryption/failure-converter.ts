// Loaded by path (the SDK's `failureConverterPath`): in the workflow bundle and by every worker and client. A
// failure's message and stack trace are otherwise stored in clear beside the encrypted payloads, and some quote
// customer data (an SMTP refusal names the recipient; a validation error quotes the bad value). With
// `encodeCommonAttributes` they travel as a payload, which the payload codec encrypts. Sandbox-safe: no Node built-ins.
import { DefaultFailureConverter } from '@temporalio/common';

export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
