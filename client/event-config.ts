// The event-config file operators write (JSON or YAML): its shape, its defaults (the playbook's numbers,
// workflows/tiers.ts) and its semantic checks (workflows/validate-config.ts), with every error naming its field.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import YAML from 'yaml';
import { DEFAULT_ACTUATORS, DEFAULT_LEADING, DEFAULT_TIER_CONFIG, defaultEarlyRule } from '../workflows/tiers';
import type { EventConfig, TierNumber } from '../workflows/types';
import { validateEventConfig } from '../workflows/validate-config';

const count = z.number().min(0);
const metricRule = z
  .object({
    waitingAbove: count.optional(),
    waitingBelow: count.optional(),
    agentsAvailableAbove: count.optional(),
    agentsAvailableBelow: count.optional(),
    sustainSeconds: z.number().optional(),
    consecutivePolls: z.number().optional(),
  })
  .strict();
const leadingRule = z
  .object({
    forecastWaitingAbove: count.optional(),
    arrivalRateAbove: count.optional(),
    botLoadAbove: count.optional(),
    forecastBotLoadAbove: count.optional(),
    sustainSeconds: z.number().optional(),
    consecutivePolls: z.number().optional(),
  })
  .strict();
/** `activateEarly: false` turns the playbook's leading rule off for a tier. */
const metricTier = z
  .object({ trigger: z.enum(['auto', 'manual']).optional(), activate: metricRule.optional(), restore: metricRule.optional(), activateEarly: z.union([leadingRule, z.literal(false)]).optional() })
  .strict();
const leadingSettings = z
  .object({
    horizonSeconds: z.number().default(DEFAULT_LEADING.horizonSeconds),
    arrivalWindowSeconds: z.number().default(DEFAULT_LEADING.arrivalWindowSeconds),
    agentConcurrency: z.number(),
    handleTimeSeconds: z.number(),
    patienceSeconds: z.number().optional(),
    botFlowId: z.string().optional(),
    botConcurrencyLimit: z.number().optional(),
  })
  .strict();
const healthTier = z
  .object({ trigger: z.enum(['auto', 'manual']).optional(), activateAfterFailedProbes: z.number().optional(), restoreAfterHealthyProbes: z.number().optional() })
  .strict();
const actuator = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('flowVersion'), flowId: z.string().min(1), surgeVersion: z.string().min(1), normalVersion: z.string().min(1) }).strict(),
  z.object({ kind: z.literal('dataTableFlag') }).strict(),
  z.object({ kind: z.literal('edgeFlag'), key: z.enum(['chat_surge_active', 'chat_fallback_active']) }).strict(),
  z
    .object({
      kind: z.literal('messengerDeployment'),
      deploymentId: z.string().min(1),
      surgeConfigurationVersion: z.string().min(1),
      normalConfigurationVersion: z.string().min(1),
    })
    .strict(),
]);
const isoInstant = z.union([z.string(), z.date()]).transform((v, ctx) => {
  const ms = v instanceof Date ? v.getTime() : Date.parse(v);
  if (Number.isNaN(ms)) {
    ctx.addIssue({ code: 'custom', message: `not an ISO 8601 instant: ${JSON.stringify(v)}` });
    return z.NEVER;
  }
  return new Date(ms).toISOString();
});
const mode = z.enum(['auto', 'on', 'off']);

export const eventConfigFileSchema = z
  .object({
    eventId: z.string(),
    name: z.string().optional(),
    startAt: isoInstant,
    endAt: isoInstant,
    queueIds: z.array(z.string().min(1)).min(1),
    pollIntervalSeconds: z.number().positive().default(30),
    staleAfterSeconds: z.number().positive().optional(),
    dryRun: z.boolean().default(false),
    messengerProbeUrl: z.url().optional(),
    tiers: z.object({ 1: metricTier.optional(), 2: metricTier.optional(), 3: metricTier.optional(), 4: healthTier.optional() }).strict().default({}),
    actuators: z
      .object({ 1: z.array(actuator).optional(), 2: z.array(actuator).optional(), 3: z.array(actuator).optional(), 4: z.array(actuator).optional() })
      .strict()
      .default({}),
    dataTable: z.object({ datatableId: z.string().min(1), rowKey: z.string().min(1).optional() }).strict().optional(),
    alerts: z
      .object({ recipients: z.array(z.email()).default([]), dashboardUrl: z.url().optional(), temporalUiUrl: z.url().optional() })
      .strict()
      .default({ recipients: [] }),
    modes: z.object({ 1: mode.optional(), 2: mode.optional(), 3: mode.optional(), 4: mode.optional() }).strict().optional(),
    leading: leadingSettings.optional(),
  })
  .strict();

export type EventConfigFile = z.input<typeof eventConfigFileSchema>;

export class EventConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`invalid event config ${source}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'EventConfigError';
  }
}

/** Applies the defaults and every check; throws EventConfigError listing each problem by field. */
export function parseEventConfig(raw: unknown, source = '(input)'): EventConfig {
  const parsed = eventConfigFileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new EventConfigError(source, parsed.error.issues.map((i) => `${i.path.join('.') || '(top level)'}: ${i.message}`));
  }
  const f = parsed.data;
  // A rule given in the file replaces the default rule whole: mixing a default `sustainSeconds` into a
  // rule that says `consecutivePolls` would make a rule nobody wrote.
  // With `leading` settings the playbook's leading rule applies to a tier unless the file gives its own
  // (or `false`); without them there is nothing to forecast from, so no tier gets one.
  const early = (t: 1 | 2 | 3) => {
    const given = f.tiers[t]?.activateEarly;
    if (given === false) return undefined;
    return given ?? (f.leading ? defaultEarlyRule(t, f.leading.botFlowId !== undefined) : undefined);
  };
  const metricTierConfig = (t: 1 | 2 | 3) => {
    const activateEarly = early(t);
    return {
      trigger: f.tiers[t]?.trigger ?? DEFAULT_TIER_CONFIG[t].trigger,
      activate: f.tiers[t]?.activate ?? DEFAULT_TIER_CONFIG[t].activate,
      restore: f.tiers[t]?.restore ?? DEFAULT_TIER_CONFIG[t].restore,
      ...(activateEarly ? { activateEarly } : {}),
    };
  };
  const actuators = (t: TierNumber) => f.actuators[t] ?? DEFAULT_ACTUATORS[t];
  const config: EventConfig = {
    eventId: f.eventId,
    name: f.name ?? f.eventId,
    startAt: f.startAt,
    endAt: f.endAt,
    queueIds: f.queueIds,
    pollIntervalSeconds: f.pollIntervalSeconds,
    staleAfterSeconds: f.staleAfterSeconds ?? Math.max(60, 3 * f.pollIntervalSeconds),
    dryRun: f.dryRun,
    tiers: {
      1: metricTierConfig(1),
      2: metricTierConfig(2),
      3: metricTierConfig(3),
      4: { ...DEFAULT_TIER_CONFIG[4], ...f.tiers[4] },
    },
    actuators: { 1: actuators(1), 2: actuators(2), 3: actuators(3), 4: actuators(4) },
    ...(f.dataTable ? { dataTable: { datatableId: f.dataTable.datatableId, rowKey: f.dataTable.rowKey ?? `surge-${f.eventId}` } } : {}),
    ...(f.messengerProbeUrl ? { messengerProbeUrl: f.messengerProbeUrl } : {}),
    alerts: f.alerts,
    ...(f.modes ? { modes: f.modes } : {}),
    ...(f.leading ? { leading: f.leading } : {}),
  };
  const problems = validateEventConfig(config);
  if (problems.length > 0) throw new EventConfigError(source, problems);
  return config;
}

/** Reads a `.json`, `.yaml` or `.yml` event config. */
export async function loadEventConfig(path: string): Promise<EventConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new EventConfigError(path, [`cannot read the file: ${(err as Error).message}`]);
  }
  let raw: unknown;
  try {
    raw = path.endsWith('.json') ? JSON.parse(text) : YAML.parse(text);
  } catch (err) {
    throw new EventConfigError(path, [`not valid ${path.endsWith('.json') ? 'JSON' : 'YAML'}: ${(err as Error).message}`]);
  }
  return parseEventConfig(raw, path);
}
