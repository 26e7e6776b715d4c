// The Messenger probe against the real edge Worker (workerd) and the fake Genesys apps host: it goes
// upstream, so tier 3's stub at the edge never hides a Messenger outage, and a stub answer is never healthy.
import assert from 'node:assert/strict';
import { createProbeActivities, MessengerFailure } from '../activities/probe';
import { startLocalEdge, type LocalEdge } from '../sandbox/edge';
import { FAKE_BOOTSTRAP_PATH, startMessengerSandbox, type MessengerSandbox } from '../sandbox/messenger/server';
import { FailureType, failureClassOf } from '../workflows/failure-classes';
import { rejection } from './helpers/failures';

describe('Messenger probe (edge in workerd, fake apps host)', function () {
  this.timeout(60_000);
  let messenger: MessengerSandbox;
  let edge: LocalEdge;
  const { probeMessengerBootstrap } = createProbeActivities({ timeoutMs: 5_000 });

  before(async () => {
    messenger = await startMessengerSandbox();
    edge = await startLocalEdge({ messengerUpstream: messenger.url });
  });
  after(async () => {
    await edge?.dispose();
    await messenger?.close();
  });
  beforeEach(async () => {
    messenger.failWith(null);
    await edge.kv.delete('chat_surge_active');
  });

  it('upstream up: healthy', async () => {
    assert.deepEqual(await probeMessengerBootstrap({ url: messenger.url + FAKE_BOOTSTRAP_PATH }), { healthy: true, status: 200 });
  });

  it('tier 3 on at the edge and Messenger down: the upstream probe still sees the outage (platform)', async () => {
    await edge.kv.put('chat_surge_active', 'true');
    messenger.failWith(503);
    const throughEdge = await fetch(edge.url + FAKE_BOOTSTRAP_PATH);
    assert.equal(throughEdge.status, 200, 'the edge serves its stub: through it the outage is invisible');
    assert.equal(throughEdge.headers.get('x-surge-mode'), 'stub');
    await throughEdge.text();
    const failure = await rejection(probeMessengerBootstrap({ url: messenger.url + FAKE_BOOTSTRAP_PATH }));
    assert.equal(failure.type, MessengerFailure.unavailable);
    assert.equal(failureClassOf(failure.type), 'platform', 'counts toward tier 4');
    assert.match(failure.message, /HTTP 503/);
  });

  it('a stub answer is never healthy: a probe URL through our edge is the controller misconfigured, naming the fix', async () => {
    await edge.kv.put('chat_surge_active', 'true');
    const failure = await rejection(probeMessengerBootstrap({ url: edge.url + FAKE_BOOTSTRAP_PATH }));
    assert.equal(failure.type, FailureType.controllerMisconfigured);
    assert.equal(failureClassOf(failure.type), 'controller', 'never tier 4');
    assert.equal(failure.nonRetryable, true);
    assert.match(failure.message, /apps\.<region>\/genesys-bootstrap\/genesys\.min\.js/);
  });

  it('nothing listening (connection refused): platform, retryable', async () => {
    const dead = await startMessengerSandbox();
    const url = dead.url + FAKE_BOOTSTRAP_PATH;
    await dead.close();
    const failure = await rejection(probeMessengerBootstrap({ url }));
    assert.equal(failureClassOf(failure.type), 'platform');
    assert.equal(failure.nonRetryable, false);
  });
});
