// The lines the chart draws: each metric tier's activate/restore bounds, read from the event's config.
// The status query does not carry the config, so it is read once from the workflow's start event (the
// config never changes across continue-as-new) and cached.
import type { Client } from '@temporalio/client';
import { decodeFromPayloadsAtIndex } from '@temporalio/common/lib/internal-non-workflow';
import type { SurgeEventInput } from '../../workflows/surge-event';
import { surgeEventWorkflowId } from '../../workflows/ids';
import type { EventConfig, HealthTierConfig, MetricRule, TierNumber } from '../../workflows/types';

export interface Threshold {
  tier: TierNumber;
  metric: 'waiting' | 'agentsAvailable';
  /** `activate`: the tier turns on beyond this line; `restore`: it may turn off beyond this one. */
  kind: 'activate' | 'restore';
  /** `above`: the rule needs the metric above the line; `below`: under it. */
  side: 'above' | 'below';
  value: number;
  trigger: 'auto' | 'manual';
  /** The rule in words, e.g. "waiting > 50 for 600 s". */
  rule: string;
}

export interface EventThresholds {
  pollIntervalSeconds: number;
  thresholds: Threshold[];
  tier4: HealthTierConfig;
}

export function thresholdsOf(config: EventConfig): EventThresholds {
  const thresholds: Threshold[] = [];
  for (const tier of [1, 2, 3] as const) {
    const t = config.tiers[tier];
    for (const kind of ['activate', 'restore'] as const) {
      const rule = t[kind];
      const words = describeRule(rule);
      const push = (metric: Threshold['metric'], side: Threshold['side'], value: number | undefined) => {
        if (value !== undefined) thresholds.push({ tier, metric, kind, side, value, trigger: t.trigger, rule: words });
      };
      push('waiting', 'above', rule.waitingAbove);
      push('waiting', 'below', rule.waitingBelow);
      push('agentsAvailable', 'above', rule.agentsAvailableAbove);
      push('agentsAvailable', 'below', rule.agentsAvailableBelow);
    }
  }
  return { pollIntervalSeconds: config.pollIntervalSeconds, thresholds, tier4: config.tiers[4] };
}

export function describeRule(rule: MetricRule): string {
  const bounds = [
    rule.waitingAbove !== undefined ? `waiting > ${rule.waitingAbove}` : null,
    rule.waitingBelow !== undefined ? `waiting < ${rule.waitingBelow}` : null,
    rule.agentsAvailableAbove !== undefined ? `agents available > ${rule.agentsAvailableAbove}` : null,
    rule.agentsAvailableBelow !== undefined ? `agents available < ${rule.agentsAvailableBelow}` : null,
  ].filter((b) => b !== null);
  const hold = rule.sustainSeconds !== undefined ? `for ${rule.sustainSeconds} s` : `${rule.consecutivePolls} polls in a row`;
  return `${bounds.join(' and ')}, ${hold}`;
}

export interface ThresholdSource {
  /** null when the workflow does not exist. */
  get(eventId: string): Promise<EventThresholds | null>;
}

export function createThresholdSource(client: Client): ThresholdSource {
  // A minute's cache: an ended event may be started again under the same ID with other numbers.
  const cache = new Map<string, { value: EventThresholds; until: number }>();
  return {
    async get(eventId) {
      const cached = cache.get(eventId);
      if (cached && cached.until > Date.now()) return cached.value;
      let input: SurgeEventInput;
      try {
        // One event is enough: the start event of the latest run holds the input.
        const page = await client.workflowService.getWorkflowExecutionHistory({
          namespace: client.options.namespace,
          execution: { workflowId: surgeEventWorkflowId(eventId) },
          maximumPageSize: 1,
        });
        const started = page.history?.events?.[0]?.workflowExecutionStartedEventAttributes;
        if (!started) return null;
        input = await decodeFromPayloadsAtIndex<SurgeEventInput>(client.options.loadedDataConverter, 0, started.input?.payloads);
      } catch (err) {
        if ((err as { code?: number }).code === 5 /* NOT_FOUND */) return null;
        throw err;
      }
      const thresholds = thresholdsOf(input.config);
      cache.set(eventId, { value: thresholds, until: Date.now() + 60_000 });
      return thresholds;
    },
  };
}
