// Rendering the surgeEvent workflow's state: the `status` query answer and the Temporal UI's current
// details. Pure functions of the state the workflow holds.
import type { ActuationRecord, ActuatorStatus, DriftRecord, EndEventRequest, SurgeStatus } from './messages';
import type { Observation, ObservedValue } from './observation';
import type { DesiredActuator } from './reconciler';
import { TIER_DESCRIPTIONS } from './tiers';
import { TIERS, type EventConfig, type EventPhase, type PolicyState } from './types';

export interface LastRead {
  at: string;
  part: Observation['actuators'][string];
}

export interface StatusView {
  config: EventConfig;
  phase: EventPhase;
  policy: PolicyState;
  actuators: DesiredActuator[];
  known: Record<string, ObservedValue>;
  lastReads: Record<string, LastRead>;
  openDrifts: string[];
  drifts: DriftRecord[];
  actuations: ActuationRecord[];
  series: SurgeStatus['series'];
  endRequest: EndEventRequest | null;
  endingFailures: NonNullable<SurgeStatus['endingFailures']>;
}

export function actuatorStatuses(v: Pick<StatusView, 'actuators' | 'known' | 'lastReads' | 'openDrifts'>): ActuatorStatus[] {
  return v.actuators.map((a) => {
    const read = v.lastReads[a.id];
    return {
      id: a.id,
      tier: a.tier,
      desired: a.desired,
      ...(read?.part.ok ? { observed: read.part.value, observedAt: read.at } : {}),
      ...(read && !read.part.ok ? { readError: read.part.error, observedAt: read.at } : {}),
      inLine: a.id in v.known && v.known[a.id] === a.desired,
      drift: v.openDrifts.includes(a.id),
    };
  });
}

export function buildStatus(v: StatusView): SurgeStatus {
  const actuators = actuatorStatuses(v);
  const { config, policy, phase } = v;
  return {
    eventId: config.eventId,
    name: config.name,
    phase,
    startAt: config.startAt,
    endAt: config.endAt,
    dryRun: config.dryRun,
    automationPaused: policy.automationPaused,
    pausedReason: policy.pausedReason,
    tiers: TIERS.map((t) => {
      const mine = actuators.filter((a) => a.tier === t || (a.tier === null && config.actuators[t].some((c) => c.kind === 'dataTableFlag')));
      return {
        tier: t,
        name: TIER_DESCRIPTIONS[t].name,
        active: policy.tiers[t].active,
        mode: policy.tiers[t].mode,
        since: policy.tiers[t].since,
        reason: policy.tiers[t].reason,
        // Confirmed only when every actuator serving the tier is known to hold its desired value.
        applied: mine.every((a) => a.inLine) ? policy.tiers[t].active : null,
        recommendation: policy.tiers[t].recommendation,
      };
    }),
    lastSample: policy.lastSample,
    health: policy.health,
    transitions: policy.transitions,
    actuations: v.actuations,
    openAlerts: policy.openAlerts,
    series: v.series,
    endedReason: v.endRequest ? v.endRequest.reason : phase === 'ended' || phase === 'ended-with-failures' || phase === 'ending' ? 'event end time reached' : null,
    actuators,
    drifts: v.drifts,
    ...(v.endingFailures.length > 0 ? { endingFailures: v.endingFailures } : {}),
  };
}

/** Markdown for the Temporal UI's "current details". */
export function currentDetails(v: StatusView): string {
  const { config, policy, phase } = v;
  const s = policy.lastSample;
  const rows = TIERS.map((t) => {
    const ts = policy.tiers[t];
    return `| ${t} ${TIER_DESCRIPTIONS[t].name} | ${ts.active ? '**ACTIVE**' : 'off'} | ${ts.mode} | ${ts.since} | ${ts.reason} |`;
  });
  const actuators = actuatorStatuses(v).map(
    (a) => `| ${a.id} | ${a.desired} | ${a.readError ? `read failed: ${a.readError}` : a.observed === undefined ? 'not read yet' : String(a.observed)} | ${a.drift ? '**DRIFT**' : a.inLine ? 'in line' : 'pending'} |`,
  );
  return [
    `**${config.name}** (${config.eventId}): ${phase}${config.dryRun ? ' (DRY RUN)' : ''}${policy.automationPaused ? `, automation PAUSED: ${policy.pausedReason}` : ''}`,
    s ? (s.ok ? `Last sample ${s.at}: waiting ${s.waiting}, agents available ${s.agentsAvailable}` : `Last sample ${s.at} FAILED: ${s.error}`) : 'No sample yet',
    ...(v.endingFailures.length > 0 ? ['', '**NOT RESTORED (fix by hand):**', ...v.endingFailures.map((f) => `- ${f.actuator}: ${f.fix}`)] : []),
    '',
    '| tier | state | mode | since | why |',
    '|---|---|---|---|---|',
    ...rows,
    '',
    '| actuator | desired | observed | |',
    '|---|---|---|---|',
    ...actuators,
  ].join('\n');
}
