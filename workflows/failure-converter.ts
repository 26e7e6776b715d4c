// Loaded by path (the SDK's `failureConverterPath`): in the workflow bundle and by every worker and client (see
// client/encryption/data-converter.ts; it lives here because it is bundled with the workflows, by `npm run build`
// and the Docker build stage, which copy only workflows/ and activities/). A
// failure's message and stack trace are otherwise stored in clear beside the encrypted payloads, and some quote
// customer data (an SMTP refusal names the recipient; a validation error quotes the bad value). With
// `encodeCommonAttributes` they travel as a payload, which the payload codec encrypts.
// One exception: the codec's own key errors stay in clear. They name only a key ID, and a failure encrypted
// because its key is missing would hide the one fact the operator needs ("add key X back").
// Sandbox-safe: no Node built-ins (the error classes are recognised by name, not imported).
import { DefaultFailureConverter, type PayloadConverter, type ProtoFailure, type SerializationContext } from '@temporalio/common';

const KEY_ERRORS = new Set(['UnknownEncryptionKeyError', 'PayloadDecryptionError']);

class CustomerSafeFailureConverter extends DefaultFailureConverter {
  private readonly inClear = new DefaultFailureConverter({ encodeCommonAttributes: false });

  override errorToFailure(err: unknown, payloadConverter: PayloadConverter, context?: SerializationContext): ProtoFailure {
    if (err instanceof Error && KEY_ERRORS.has(err.name)) return this.inClear.errorToFailure(err, payloadConverter, context);
    return super.errorToFailure(err, payloadConverter, context);
  }
}

export const failureConverter = new CustomerSafeFailureConverter({ encodeCommonAttributes: true });
