// The event-config file operators write (JSON or YAML): the core schema (workflows/config-schema.ts) with
// the playbook's defaults (workflows/tiers.ts) filled in front of it. This file only knows which fields may
// be left out and what they default to; every type, bound and rule is the core schema's, so the CLI and
// the workflow refuse exactly the same configs, each error naming its field.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import YAML from 'yaml';
import { eventConfigSchema, formatIssues } from '../workflows/config-schema';
import { DEFAULT_ACTUATORS, DEFAULT_LEADING, DEFAULT_TIER_CONFIG, defaultEarlyRule } from '../workflows/tiers';
import type { EventConfig, LeadingConfig, LeadingRule, TierNumber } from '../workflows/types';

// Shapes only: which keys exist and may be omitted. Values are checked by the core schema after defaults.
const given = z.unknown();
// issue 14 (leading): `activateEarly: false` turns the playbook's leading rule off for a tier.
const metricTier = z.object({ trigger: given, activate: given, restore: given, activateEarly: given }).partial().strict();
const leadingSettings = z
  .object({ horizonSeconds: given, arrivalWindowSeconds: given, agentConcurrency: given, handleTimeSeconds: given, patienceSeconds: given, botFlowId: given, botConcurrencyLimit: given })
  .partial()
  .strict();
const healthTier = z.object({ trigger: given, activate: given, restore: given }).partial().strict();
const perTier = <T extends z.ZodType>(t: T) => z.object({ 1: t.optional(), 2: t.optional(), 3: t.optional(), 4: t.optional() }).strict();

export const eventConfigFileSchema = z
  .object({
    eventId: given,
    name: given.optional(),
    startAt: given,
    endAt: given,
    queueIds: given,
    pollIntervalSeconds: given.optional(),
    staleAfterSeconds: given.optional(),
    dryRun: given.optional(),
    messengerProbeUrl: given.optional(),
    tiers: z.object({ 1: metricTier.optional(), 2: metricTier.optional(), 3: metricTier.optional(), 4: healthTier.optional() }).strict().optional(),
    actuators: perTier(given).optional(),
    dataTable: z.object({ datatableId: given, rowKey: given.optional() }).strict().optional(),
    alerts: z.object({ recipients: given.optional(), dashboardUrl: given.optional(), temporalUiUrl: given.optional() }).strict().optional(),
    modes: given.optional(),
    simulatedTimeScale: given.optional(),
    leading: leadingSettings.optional(), // issue 14 (leading)
  })
  .strict();

/** What operators may write: the resolved config with every defaulted field optional. */
type MetricTierFile<C> = Partial<Omit<C, 'activateEarly'>> & { activateEarly?: LeadingRule | false };
export type EventConfigFile = Partial<Omit<EventConfig, 'tiers' | 'actuators' | 'alerts' | 'dataTable' | 'leading'>> & {
  eventId: string;
  startAt: string;
  endAt: string;
  queueIds: string[];
  tiers?: { 1?: MetricTierFile<EventConfig['tiers'][1]>; 2?: MetricTierFile<EventConfig['tiers'][2]>; 3?: MetricTierFile<EventConfig['tiers'][3]>; 4?: Partial<EventConfig['tiers'][4]> };
  leading?: Omit<LeadingConfig, 'horizonSeconds' | 'arrivalWindowSeconds'> & Partial<Pick<LeadingConfig, 'horizonSeconds' | 'arrivalWindowSeconds'>>;
  actuators?: Partial<EventConfig['actuators']>;
  alerts?: Partial<EventConfig['alerts']>;
  dataTable?: { datatableId: string; rowKey?: string };
};


export class EventConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`invalid event config ${source}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'EventConfigError';
  }
}

export interface ParseOptions {
  /** Allow `simulatedTimeScale` (accelerated sandbox drills and tests); operators' files never get it. */
  sandbox?: boolean;
}

/** Applies the defaults and every check; throws EventConfigError listing each problem by field. */
export function parseEventConfig(raw: unknown, source = '(input)', options: ParseOptions = {}): EventConfig {
  // Shape problems (unknown keys) and value problems are reported together, so one run lists them all.
  const parsed = eventConfigFileSchema.safeParse(raw);
  const shapeProblems = parsed.success ? [] : formatIssues(parsed.error);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new EventConfigError(source, shapeProblems);
  const f = (parsed.success ? parsed.data : raw) as z.output<typeof eventConfigFileSchema>;
  if (f.simulatedTimeScale !== undefined && !options.sandbox) {
    throw new EventConfigError(source, ['simulatedTimeScale: only the sandbox may accelerate time; remove it from a real event config']);
  }
  // A rule given in the file replaces the default rule whole: mixing a default `sustainSeconds` into a
  // rule that says `consecutivePolls` would make a rule nobody wrote.
  const tierConfig = (t: TierNumber) => ({
    trigger: f.tiers?.[t]?.trigger ?? DEFAULT_TIER_CONFIG[t].trigger,
    activate: f.tiers?.[t]?.activate ?? DEFAULT_TIER_CONFIG[t].activate,
    restore: f.tiers?.[t]?.restore ?? DEFAULT_TIER_CONFIG[t].restore,
  });
  // issue 14 (leading): with `leading` settings the playbook's leading rule applies to a tier unless the file
  // gives its own (or `false`); without them there is nothing to forecast from, so no tier gets one.
  const leading = isObject(f.leading) ? { ...DEFAULT_LEADING, ...f.leading } : f.leading;
  const metricTierConfig = (t: 1 | 2 | 3) => {
    const given = f.tiers?.[t]?.activateEarly;
    const activateEarly = given === false ? undefined : (given ?? (isObject(f.leading) ? defaultEarlyRule(t, f.leading.botFlowId !== undefined) : undefined));
    return { ...tierConfig(t), ...(activateEarly !== undefined ? { activateEarly } : {}) };
  };
  const poll = f.pollIntervalSeconds ?? 30;
  const resolved = {
    eventId: f.eventId,
    name: f.name ?? f.eventId,
    startAt: canonicalInstant(f.startAt),
    endAt: canonicalInstant(f.endAt),
    queueIds: f.queueIds,
    pollIntervalSeconds: poll,
    staleAfterSeconds: f.staleAfterSeconds ?? (typeof poll === 'number' ? Math.max(60, 3 * poll) : undefined),
    dryRun: f.dryRun ?? false,
    tiers: { 1: metricTierConfig(1), 2: metricTierConfig(2), 3: metricTierConfig(3), 4: tierConfig(4) },
    actuators: { 1: f.actuators?.[1] ?? DEFAULT_ACTUATORS[1], 2: f.actuators?.[2] ?? DEFAULT_ACTUATORS[2], 3: f.actuators?.[3] ?? DEFAULT_ACTUATORS[3], 4: f.actuators?.[4] ?? DEFAULT_ACTUATORS[4] },
    ...(f.dataTable ? { dataTable: { datatableId: f.dataTable.datatableId, rowKey: f.dataTable.rowKey ?? `surge-${String(f.eventId)}` } } : {}),
    ...(f.messengerProbeUrl !== undefined ? { messengerProbeUrl: f.messengerProbeUrl } : {}),
    alerts: { recipients: f.alerts?.recipients ?? [], ...(f.alerts?.dashboardUrl !== undefined ? { dashboardUrl: f.alerts.dashboardUrl } : {}), ...(f.alerts?.temporalUiUrl !== undefined ? { temporalUiUrl: f.alerts.temporalUiUrl } : {}) },
    ...(f.modes !== undefined ? { modes: f.modes } : {}),
    ...(f.simulatedTimeScale !== undefined ? { simulatedTimeScale: f.simulatedTimeScale } : {}),
    ...(leading !== undefined ? { leading } : {}), // issue 14 (leading)
  };
  const result = eventConfigSchema.safeParse(resolved);
  const problems = [...new Set([...shapeProblems, ...(result.success ? [] : formatIssues(result.error))])];
  if (problems.length > 0 || !result.success) throw new EventConfigError(source, problems);
  return result.data;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** An instant with an explicit offset, written as UTC; anything else is left for the schema to refuse by name. */
function canonicalInstant(value: unknown): unknown {
  if (typeof value !== 'string' || !eventConfigSchema.shape.startAt.safeParse(value).success) return value;
  return new Date(Date.parse(value)).toISOString();
}

/** `surge start` only: an event whose end has passed would start, restore and end at once. Wall clock, so never in the workflow. */
export function checkNotOver(config: EventConfig, nowMs = Date.now()): void {
  if (Date.parse(config.endAt) <= nowMs) {
    throw new EventConfigError(config.eventId, [`endAt: ${config.endAt} is already past; a config for a past event cannot start`]);
  }
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
