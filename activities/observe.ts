// The poll's one observe step: queue metrics, the Messenger probe and every actuator's read-back in one
// activity, so a poll costs one activity task, not one per actuator. Each part succeeds or fails on its own
// and says why, classified (workflows/failure-classes.ts); the activity itself fails only on bad input.
// The workflow stamps the sample with its own time: no worker clock appears here.
import { ApplicationFailure, msOptionalToNumber } from '@temporalio/common';
import { failureClassOf } from '../workflows/failure-classes';
import { flagsFingerprint, type ActuatorRead, type Observation, type ObservationPart, type ObserveInput, type ObservedValue } from '../workflows/observation';
import type { CloudflareActivities } from './cloudflare';
import type { GenesysReads } from './genesys';
import type { SurgeActivities } from './index';

export interface ObserveDeps {
  fetchQueueMetrics: SurgeActivities['fetchQueueMetrics'];
  probeMessengerBootstrap: SurgeActivities['probeMessengerBootstrap'];
  readEdgeFlag: CloudflareActivities['readEdgeFlag'];
  fetchLeadingSignals: SurgeActivities['fetchLeadingSignals'];
  genesys: GenesysReads;
}

export function createObserveActivity(deps: ObserveDeps): Pick<SurgeActivities, 'observeWorld'> {
  async function part<T>(run: () => Promise<T>): Promise<ObservationPart<T>> {
    try {
      return { ok: true, value: await run() };
    } catch (err) {
      const type = err instanceof ApplicationFailure ? err.type : undefined;
      // A 429 says when to ask again (activities throw it as nextRetryDelay): the workflow waits that long, no
      // retry here calls while limited.
      const retryAfterMs = err instanceof ApplicationFailure ? msOptionalToNumber(err.nextRetryDelay ?? undefined) : undefined;
      return {
        ok: false,
        error: err instanceof Error ? err.message : String(err),
        failureClass: failureClassOf(type),
        ...(retryAfterMs !== undefined ? { retryAfterSeconds: Math.ceil(retryAfterMs / 1000) } : {}),
      };
    }
  }

  function read(r: ActuatorRead): Promise<ObservedValue> {
    switch (r.kind) {
      case 'kv':
        return deps.readEdgeFlag({ key: r.key });
      case 'flags-row':
        return deps.genesys.readFlagsRow({ datatableId: r.datatableId, rowKey: r.rowKey }).then((row) => (row ? flagsFingerprint(row) : null));
      case 'flow':
        return deps.genesys.readFlowPublishedVersion({ flowId: r.flowId });
      case 'deployment':
        return deps.genesys.readDeploymentConfigurationVersion({ deploymentId: r.deploymentId });
    }
  }

  return {
    async observeWorld(input: ObserveInput): Promise<Observation> {
      if (!input || !Array.isArray(input.reads)) throw ApplicationFailure.nonRetryable('observeWorld needs { reads: ActuatorRead[] }', 'InvalidActivityInput');
      // Everything at once: the parts are independent, and the slowest bounds the poll.
      const leadingInput = input.queueIds && input.leading ? { queueIds: input.queueIds, at: input.at ?? new Date().toISOString(), ...input.leading } : undefined;
      const [metrics, probe, leading, ...reads] = await Promise.all([
        input.queueIds ? part(() => deps.fetchQueueMetrics({ queueIds: input.queueIds! }).then(({ waiting, agentsAvailable, perQueue }) => ({ waiting, agentsAvailable, perQueue }))) : undefined,
        input.probeUrl ? part(() => deps.probeMessengerBootstrap({ url: input.probeUrl! }).then(({ healthy, error }) => ({ healthy, ...(error ? { error } : {}) }))) : undefined,
        leadingInput ? part(() => deps.fetchLeadingSignals(leadingInput)) : undefined,
        ...input.reads.map((r) => part(() => read(r))),
      ]);
      const actuators: Observation['actuators'] = {};
      input.reads.forEach((r, i) => (actuators[r.id] = reads[i] as ObservationPart<ObservedValue>));
      return {
        ...(metrics ? { metrics: metrics as Observation['metrics'] } : {}),
        ...(probe ? { probe: probe as Observation['probe'] } : {}),
        ...(leading ? { leading: leading as Observation['leading'] } : {}),
        actuators,
      };
    },
  };
}
