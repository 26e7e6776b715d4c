// Fixed test keys (not secrets: they only ever encrypt test data), so encrypted fixtures stay decodable.
import { keyringFromEnv, type EncryptionKeyring } from '../../client/encryption/keys';

export const TEST_KEY_A = 'test-a:' + Buffer.alloc(32, 0xa1).toString('base64');
export const TEST_KEY_B = 'test-b:' + Buffer.alloc(32, 0xb2).toString('base64');

export function testKeyring(keys: string[], current: string): EncryptionKeyring {
  return keyringFromEnv({ SURGE_ENCRYPTION_KEYS: keys.join(','), SURGE_ENCRYPTION_KEY_ID: current })!;
}
