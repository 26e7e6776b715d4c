// The event-config file operators write: the shipped example is valid, and bad files are refused by field.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'mocha';
import { EventConfigError, loadEventConfig, parseEventConfig } from '../client/event-config';
import { main } from '../client/cli';
import { refuseUnknownQueues } from '../client/commands/events';
import { startGenesysSandbox } from '../sandbox/genesys';
import { SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET } from '../sandbox/genesys/seed';

const EXAMPLE = path.resolve(__dirname, '../examples/black-friday-2026.yaml');

describe('event config files', () => {
  it('the shipped example is valid, with defaults applied', async () => {
    const config = await loadEventConfig(EXAMPLE);
    assert.equal(config.eventId, 'black-friday-2026');
    assert.equal(config.staleAfterSeconds, 90);
    assert.equal(config.dataTable?.rowKey, 'surge-black-friday-2026');
    assert.deepEqual(config.tiers[1].activate, { waitingAbove: 50, sustainSeconds: 600 });
    assert.deepEqual(config.modes, { 1: 'on', 2: 'on' });
  });

  it('refuses unknown fields, bad types and bad instants, naming each field', () => {
    assert.throws(
      () => parseEventConfig({ eventId: 'x', startAt: 'tomorrow', endAt: '2026-11-28T00:00:00Z', queueIds: [], pollIntervalSeconds: -1, colour: 'red' }),
      (err: unknown) =>
        err instanceof EventConfigError &&
        /startAt: must be an ISO 8601 instant/.test(err.message) &&
        /queueIds: /.test(err.message) &&
        /pollIntervalSeconds: /.test(err.message) &&
        /colour/.test(err.message),
    );
  });

  it('surge start refuses unknown queue IDs by name (real SDK against the Genesys sandbox)', async () => {
    const sandbox = await startGenesysSandbox({ port: 0 });
    try {
      const env = { GENESYS_CLIENT_ID: SANDBOX_CLIENT_ID, GENESYS_CLIENT_SECRET: SANDBOX_CLIENT_SECRET, GENESYS_GATEWAY_URL: sandbox.url };
      const config = await loadEventConfig(EXAMPLE);
      config.queueIds = ['q-sales', 'q-does-not-exist'];
      await assert.rejects(refuseUnknownQueues(config, 'event.yaml', env), (err: unknown) =>
        err instanceof EventConfigError && err.problems.length === 1 && /^queueIds\.1: queue q-does-not-exist does not exist/.test(err.problems[0]!),
      );
      config.queueIds = ['q-sales', 'q-support'];
      await refuseUnknownQueues(config, 'event.yaml', env);
    } finally {
      await sandbox.close();
    }
  });

  it('surge start --validate-only prints the config; a bad file exits 2', async () => {
    assert.equal(await main(['start', EXAMPLE, '--validate-only']), 0);
    assert.equal(await main(['start', path.resolve(__dirname, 'fixtures/does-not-exist.yaml')]), 2);
  });
});
