// Event configs for the sandbox world: the demo event (`npm start`) and drills. Simulated minute 0 of the
// scenario is `epochMs`; on an accelerated clock every duration in the config (poll interval, sustain
// windows, staleness) shrinks by the same factor so the rules mean what they mean on the day.
import { parseEventConfig } from '../../client/event-config';
import { DEFAULT_LEADING, DEFAULT_TIER_CONFIG } from '../../workflows/tiers';
import type { EventConfig, LeadingConfig, MetricRule, MetricTierConfig, TierMode, TierNumber } from '../../workflows/types';
import type { Scenario } from '../contact-center';
import { DEFAULT_TIER_WIRING, type TierControlsWiring } from './tier-controls';

export interface ScaledEventConfigOptions {
  /** Epoch ms (of the clock the workflow runs on) of the scenario's minute 0. */
  epochMs: number;
  /** Wall ms per simulated ms is 1/acceleration; 1 on the time-skipping server (default). */
  acceleration?: number;
  eventId?: string;
  /**
   * The operator's config whose rules, modes and poll interval are kept (times, queues, flags table and
   * actuators come from the scenario and the sandbox). Default: the playbook's defaults.
   */
  base?: EventConfig;
  /**
   * Pre-arm a planned event (default true when the scenario has a `tierPlan` and no `base` is given): the
   * event starts when the plan's first tiers come on, those tiers are forced on by `modes`, and a tier the
   * plan adds later (tier 3 over the peak) is opted into `auto`. Reactive rules alone come too late for a
   * flash sale's opening surge (the bot's session limit is hit within minutes of the onset).
   */
  preArm?: boolean;
  wiring?: TierControlsWiring;
  alertRecipients?: string[];
  /** Tier 3 moves on its rules instead of recommending (what the leading-rule drills judge). */
  tier3Auto?: boolean;
}

const DEFAULT_POLL_SECONDS = 30;

export function scaledEventConfig(scenario: Scenario, options: ScaledEventConfigOptions): EventConfig {
  const accel = options.acceleration ?? 1;
  if (!(accel > 0)) throw new RangeError(`acceleration must be > 0 (got ${accel})`);
  const wiring = options.wiring ?? DEFAULT_TIER_WIRING;
  const base = options.base;
  const preArm = options.preArm ?? (base === undefined && scenario.tierPlan.length > 0);
  const minuteMs = 60_000 / accel;

  let startMinute = 0;
  let modes: Partial<Record<TierNumber, TierMode>> | undefined = base?.modes;
  const tierOverrides: Partial<Record<1 | 2 | 3, Partial<MetricTierConfig>>> = {};
  if (preArm && scenario.tierPlan.length > 0) {
    startMinute = Math.min(...scenario.tierPlan.map((w) => w.fromMinute));
    const armed = [...new Set(scenario.tierPlan.filter((w) => w.fromMinute === startMinute).map((w) => w.tier))];
    modes = { ...modes, ...Object.fromEntries(armed.map((t) => [t, 'on' as const])) };
    for (const w of scenario.tierPlan) if (!armed.includes(w.tier) && w.tier !== 4) tierOverrides[w.tier] = { trigger: 'auto' };
  }

  if (options.tier3Auto) tierOverrides[3] = { trigger: 'auto' };

  const pollSeconds = (base?.pollIntervalSeconds ?? DEFAULT_POLL_SECONDS) / accel;
  const scaleRule = (rule: MetricRule): MetricRule => (rule.sustainSeconds === undefined ? { ...rule } : { ...rule, sustainSeconds: rule.sustainSeconds / accel });
  const scaleTier = (t: 1 | 2 | 3) => {
    const tier = base?.tiers[t];
    const trigger = tierOverrides[t]?.trigger ?? tier?.trigger;
    return {
      ...(trigger ? { trigger } : {}),
      ...(tier ? { activate: scaleRule(tier.activate), restore: scaleRule(tier.restore), activateEarly: tier.activateEarly ? scaleRule(tier.activateEarly) : false } : {}),
    };
  };
  const defaultsScaled = (t: 1 | 2 | 3) => {
    if (base) return scaleTier(t);
    const playbook = DEFAULT_TIER_CONFIG[t];
    return { trigger: tierOverrides[t]?.trigger ?? playbook.trigger, activate: scaleRule(playbook.activate), restore: scaleRule(playbook.restore) };
  };

  const flowActuator = (flow: { flowId: string; surgeVersion: string } | undefined) =>
    flow ? [{ kind: 'flowVersion' as const, flowId: flow.flowId, surgeVersion: flow.surgeVersion, normalVersion: '1.0' }] : [];

  return parseEventConfig(
    {
      eventId: options.eventId ?? base?.eventId ?? `drill-${scenario.name}`,
      name: base?.name ?? `${scenario.name} (sandbox${accel === 1 ? '' : `, ${accel}x`})`,
      startAt: new Date(options.epochMs + startMinute * minuteMs).toISOString(),
      endAt: new Date(options.epochMs + scenario.durationMinutes * minuteMs).toISOString(),
      queueIds: scenario.queues.map((q) => q.id),
      pollIntervalSeconds: pollSeconds,
      staleAfterSeconds: (base?.staleAfterSeconds ?? Math.max(60, 3 * DEFAULT_POLL_SECONDS)) / accel,
      dryRun: base?.dryRun ?? false,
      tiers: { 1: defaultsScaled(1), 2: defaultsScaled(2), 3: defaultsScaled(3), ...(base ? { 4: base.tiers[4] } : {}) },
      actuators: {
        1: [{ kind: 'dataTableFlag' }, ...flowActuator(wiring.botFlow)],
        2: [{ kind: 'dataTableFlag' }, ...flowActuator(wiring.inboundFlow)],
        3: [{ kind: 'edgeFlag', key: 'chat_surge_active' }],
        4: [{ kind: 'edgeFlag', key: 'chat_fallback_active' }],
      },
      dataTable: { datatableId: wiring.datatableId, ...(wiring.rowKey ? { rowKey: wiring.rowKey } : {}) },
      alerts: { recipients: options.alertRecipients ?? base?.alerts.recipients ?? [] },
      ...(modes && Object.keys(modes).length > 0 ? { modes } : {}),
      ...leadingFor(scenario, base, wiring, accel),
      // Said out loud, not loosened: the schema checks every bound on simulated time (poll x acceleration).
      ...(accel === 1 ? {} : { simulatedTimeScale: accel }),
    },
    `sandbox event config for scenario ${scenario.name}`,
    { sandbox: true },
  );
}

/** A drill runs on the time-skipping server: simulated time is the server's time, no scaling. */
export function drillEventConfig(scenario: Scenario, options: Omit<ScaledEventConfigOptions, 'acceleration'>): EventConfig {
  return scaledEventConfig(scenario, { ...options, acceleration: 1 });
}

/**
 * The leading settings: the operator's when given; without a base, the scenario's numbers (the settings an
 * operator would copy from their org: utilization, handle time, patience, the bot flow and its limit), so
 * the playbook's leading rules apply. Only at 1:1 time: the arrival window is whole minutes of the platform's clock.
 */
function leadingFor(scenario: Scenario, base: EventConfig | undefined, wiring: TierControlsWiring, accel: number): { leading?: LeadingConfig } {
  if (base) return base.leading ? { leading: base.leading } : {};
  if (accel !== 1) return {};
  const bot = scenario.bot && wiring.botFlow ? { botFlowId: wiring.botFlow.flowId, botConcurrencyLimit: scenario.bot.concurrencyLimit } : {};
  return {
    leading: {
      ...DEFAULT_LEADING,
      agentConcurrency: scenario.service.concurrency,
      handleTimeSeconds: scenario.service.handleTime.meanSeconds,
      ...(scenario.service.patience ? { patienceSeconds: scenario.service.patience.meanSeconds } : {}),
      ...bot,
    },
  };
}
