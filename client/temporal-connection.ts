// Where Temporal is: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TLS settings or a profile file,
// all through @temporalio/envconfig, so the CLI, the dashboard and the worker agree.
import { Client, Connection } from '@temporalio/client';
import { loadClientConnectConfig, type ClientConnectConfig } from '@temporalio/envconfig';
import { dataConverterFromEnv } from './encryption/data-converter';

export function loadTemporalConnectConfig(env: NodeJS.ProcessEnv = process.env): ClientConnectConfig {
  const overrideEnvVars = Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => typeof e[1] === 'string'));
  const config = loadClientConnectConfig({ overrideEnvVars });
  // The dev server default, so a fresh clone's `npm start` needs no configuration.
  config.connectionOptions.address ??= '127.0.0.1:7233';
  return config;
}

/** Payloads are encrypted and decrypted with SURGE_ENCRYPTION_KEYS (client/encryption), like the worker's. */
export async function connectTemporal(env: NodeJS.ProcessEnv = process.env): Promise<Client> {
  const config = loadTemporalConnectConfig(env);
  const dataConverter = dataConverterFromEnv(env); // a malformed key fails here, before connecting
  let connection: Connection;
  try {
    connection = await Connection.connect(config.connectionOptions as Parameters<typeof Connection.connect>[0]);
  } catch (err) {
    throw new Error(
      `cannot reach Temporal at ${config.connectionOptions.address} (namespace ${config.namespace ?? 'default'}): ${(err as Error).message}. ` +
        'Is `npm start` (or your Temporal server) running? Set TEMPORAL_ADDRESS / TEMPORAL_NAMESPACE to point elsewhere.',
    );
  }
  return new Client({ connection, namespace: config.namespace ?? 'default', dataConverter });
}
