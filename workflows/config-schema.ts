// THE event config schema (zod): the resolved `EventConfig` type is inferred from it, the workflow validates
// its input with it, and the CLI's file schema (client/event-config.ts) only adds defaults in front of it.
// It never applies a default itself: a changed default must not change how an old history replays.
// Pure and deterministic (no wall clock: "endAt in the future" is checked by `surge start`); it runs in the
// workflow bundle, so zod runs jitless there (no `new Function` in the workflow sandbox).
import { z } from 'zod';

z.config({ jitless: true });

import { EVENT_ID_PATTERN as EVENT_ID } from './ids';
/** An ISO 8601 instant that says its own offset: `2026-11-27T09:00:00Z` or `...+01:00`, never a bare local time. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

/** Bounds for a real org (seconds). The sandbox gets faster polls only through `simulatedTimeScale`. */
export const CONFIG_BOUNDS = {
  minPollSeconds: 5,
  maxPollSeconds: 300,
  maxQueueIds: 1_000,
  /** Stale only after two whole polls missed: one late answer is not an outage. */
  minStalePolls: 2,
  maxTimeScale: 3_600,
} as const;

const count = z.number().finite().min(0);
const nonBlank = z
  .string()
  .min(1, 'must not be empty')
  // Non-empty (above) and equal to its trim: so not blank either.
  .refine((s) => s.trim() === s, 'must not be blank or have leading/trailing spaces');

export const metricRuleSchema = z
  .object({
    waitingAbove: count.optional(),
    waitingBelow: z.number().finite().gt(0, 'must be > 0: waiting below 0 is never true, so the rule would never fire').optional(),
    agentsAvailableAbove: count.optional(),
    agentsAvailableBelow: z.number().finite().gt(0, 'must be > 0: agents available below 0 is never true').optional(),
    sustainSeconds: z.number().finite().gt(0, 'must be > 0').optional(),
    consecutivePolls: z.number().int('must be a whole number').min(1).optional(),
  })
  .strict()
  .superRefine((rule, ctx) => {
    if (rule.waitingAbove === undefined && rule.waitingBelow === undefined && rule.agentsAvailableAbove === undefined && rule.agentsAvailableBelow === undefined) {
      ctx.addIssue({ code: 'custom', message: 'needs at least one of waitingAbove, waitingBelow, agentsAvailableAbove, agentsAvailableBelow' });
    }
    if ((rule.sustainSeconds === undefined) === (rule.consecutivePolls === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'needs exactly one of sustainSeconds or consecutivePolls' });
    }
  });

// issue 14 (leading): the leading rule's bounds, the `leading` settings the forecast needs, and `activateEarly`.
export const LEADING_BOUNDS = ['forecastWaitingAbove', 'arrivalRateAbove', 'botLoadAbove', 'forecastBotLoadAbove'] as const;
/** A load is a fraction of the bot's limit: 90 would never be met and is surely meant as 0.9. */
const loadFraction = count.max(5, "is a fraction of the bot's limit (0.9 = 90%); above 5 could never be met");

/** Every bound given must hold (strictly, AND); held for `sustainSeconds` or `consecutivePolls` (exactly one), as a metric rule. */
export const leadingRuleSchema = z
  .object({
    /** Waiting expected `leading.horizonSeconds` ahead (queue arrival rate and trend against agent capacity). */
    forecastWaitingAbove: count.optional(),
    /** Conversations offered to the event's queues per minute (nOffered over `leading.arrivalWindowSeconds`). */
    arrivalRateAbove: count.optional(),
    /** Bot sessions now (oFlow) over `leading.botConcurrencyLimit`: 0.9 is 90% of the limit. */
    botLoadAbove: loadFraction.optional(),
    /** Bot sessions expected `leading.horizonSeconds` ahead (their trend since the last poll) over the limit. */
    forecastBotLoadAbove: loadFraction.optional(),
    sustainSeconds: z.number().finite().gt(0, 'must be > 0').optional(),
    consecutivePolls: z.number().int('must be a whole number').min(1).optional(),
  })
  .strict()
  .superRefine((rule, ctx) => {
    if (LEADING_BOUNDS.every((b) => rule[b] === undefined)) ctx.addIssue({ code: 'custom', message: `needs at least one of ${LEADING_BOUNDS.join(', ')}` });
    if ((rule.sustainSeconds === undefined) === (rule.consecutivePolls === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'needs exactly one of sustainSeconds or consecutivePolls' });
    }
  });

const positiveSeconds = z.number().finite().gt(0, 'must be > 0');
/** How the leading signals are read and turned into a forecast (needed by any `activateEarly` rule). */
export const leadingConfigSchema = z
  .object({
    /** Seconds ahead the forecasts look. */
    horizonSeconds: positiveSeconds.max(3600, 'at most 3600: a forecast further out than an hour is a guess'),
    /** The arrival rate is the conversations offered over this many seconds (whole minutes: the rate and its trend are read per minute). */
    arrivalWindowSeconds: z.number().refine((w) => Number.isInteger(w / 60) && w >= 120 && w <= 900, 'must be whole minutes from 120 to 900 (the rate and its trend are read per minute)'),
    /** Messaging conversations an agent takes at once (the queues' utilization setting). */
    agentConcurrency: z.number().finite().gt(0, 'must be > 0'),
    /** Mean handle time of a messaging conversation. */
    handleTimeSeconds: positiveSeconds,
    /** Mean time a customer waits in queue before abandoning; absent: nobody abandons (a pessimistic forecast). */
    patienceSeconds: positiveSeconds.optional(),
    /** The bot flow whose sessions (oFlow) count against its concurrency limit; both or neither. */
    botFlowId: nonBlank.optional(),
    botConcurrencyLimit: z.number().int('must be a whole number').min(1).optional(),
  })
  .strict()
  .superRefine((l, ctx) => {
    const why = 'botFlowId and botConcurrencyLimit go together (the bot load is sessions in that flow over that limit)';
    if (l.botFlowId !== undefined && l.botConcurrencyLimit === undefined) ctx.addIssue({ code: 'custom', path: ['botConcurrencyLimit'], message: `is required with botFlowId: ${why}` });
    if (l.botFlowId === undefined && l.botConcurrencyLimit !== undefined) ctx.addIssue({ code: 'custom', path: ['botFlowId'], message: `is required with botConcurrencyLimit: ${why}` });
  });

const trigger = z.enum(['auto', 'manual']);
export const metricTierSchema = z
  .object({
    trigger,
    activate: metricRuleSchema,
    restore: metricRuleSchema,
    /**
     * issue 14 (leading): a second way in. The tier activates when `activate` OR `activateEarly` is met, and
     * restores only on `restore`, so a forecast can bring a tier on early but never hold it on by itself.
     */
    activateEarly: leadingRuleSchema.optional(),
  })
  .strict();

/** Tier 4 has the same rule shape as tiers 1-3: activate after N failed probes, restore after M healthy ones. */
export const healthTierSchema = z
  .object({
    trigger,
    activate: z.object({ failedProbes: z.number().int('must be a whole number').min(1) }).strict(),
    restore: z.object({ healthyProbes: z.number().int('must be a whole number').min(1) }).strict(),
  })
  .strict();

/**
 * Histories recorded before tier 4 had activate/restore objects (test/fixtures) carry
 * `{activateAfterFailedProbes, restoreAfterHealthyProbes}`: read them as the same rule, so they replay.
 */
const healthTierInput = z.preprocess((raw) => {
  if (typeof raw !== 'object' || raw === null || !('activateAfterFailedProbes' in raw || 'restoreAfterHealthyProbes' in raw)) return raw;
  const { activateAfterFailedProbes, restoreAfterHealthyProbes, ...rest } = raw as Record<string, unknown>;
  return { ...rest, activate: { failedProbes: activateAfterFailedProbes }, restore: { healthyProbes: restoreAfterHealthyProbes } };
}, healthTierSchema);

const edgeFlagKey = z.enum(['chat_surge_active', 'chat_fallback_active']);
export const actuatorSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('flowVersion'), flowId: nonBlank, surgeVersion: nonBlank, normalVersion: nonBlank }).strict(),
  z.object({ kind: z.literal('dataTableFlag') }).strict(),
  z.object({ kind: z.literal('edgeFlag'), key: edgeFlagKey }).strict(),
  z.object({ kind: z.literal('messengerDeployment'), deploymentId: nonBlank, surgeConfigurationVersion: nonBlank, normalConfigurationVersion: nonBlank }).strict(),
]);

const httpUrl = z.string().refine((v) => {
  try {
    const u = new URL(v);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
}, 'must be an http(s) URL');

const instant = z.string().refine((v) => INSTANT.test(v) && !Number.isNaN(Date.parse(v)), 'must be an ISO 8601 instant with an explicit offset (Z or +hh:mm), e.g. 2026-11-27T09:00:00Z');
const mode = z.enum(['auto', 'on', 'off']);

export const eventConfigSchema = z
  .object({
    eventId: z.string().regex(EVENT_ID, 'must be 1-63 lowercase letters, digits or dashes, starting with a letter or digit'),
    name: nonBlank,
    startAt: instant,
    endAt: instant,
    queueIds: z.array(nonBlank).min(1, 'at least one queue ID is required').max(CONFIG_BOUNDS.maxQueueIds, `at most ${CONFIG_BOUNDS.maxQueueIds} queue IDs`),
    pollIntervalSeconds: z.number().finite(),
    staleAfterSeconds: z.number().finite().gt(0),
    dryRun: z.boolean(),
    tiers: z.object({ 1: metricTierSchema, 2: metricTierSchema, 3: metricTierSchema, 4: healthTierInput }).strict(),
    actuators: z.object({ 1: z.array(actuatorSchema), 2: z.array(actuatorSchema), 3: z.array(actuatorSchema), 4: z.array(actuatorSchema) }).strict(),
    /**
     * The Messenger bootstrap on the Genesys apps host, probed each poll (activities/probe.ts):
     * `https://apps.<region>/genesys-bootstrap/genesys.min.js`. Never our edge (its stub is never healthy).
     */
    messengerProbeUrl: httpUrl.optional(),
    dataTable: z.object({ datatableId: nonBlank, rowKey: nonBlank }).strict().optional(),
    alerts: z.object({ recipients: z.array(z.email()), dashboardUrl: httpUrl.optional(), temporalUiUrl: httpUrl.optional() }).strict(),
    modes: z.object({ 1: mode.optional(), 2: mode.optional(), 3: mode.optional(), 4: mode.optional() }).strict().optional(),
    /**
     * Sandbox only: wall seconds here stand for this many simulated seconds (an accelerated drill). The bounds
     * apply to the simulated durations, so acceleration never loosens them, and loopback probe URLs are
     * allowed. Absent for a real event; shown on status so nobody mistakes a drill for one.
     */
    simulatedTimeScale: z.number().finite().min(1).max(CONFIG_BOUNDS.maxTimeScale).optional(),
    /** issue 14 (leading): absent, nothing extra is read and no `activateEarly` rule may be set. */
    leading: leadingConfigSchema.optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    let problems: ConfigProblem[];
    try {
      problems = semanticProblems(c);
    } catch {
      return; // a field is already refused with its own message; cross-field rules wait for a well-typed config
    }
    for (const p of problems) ctx.addIssue({ code: 'custom', path: p.path, message: p.message });
  });

/** The resolved event config: the workflow input (never holds a secret). */
export type EventConfig = z.output<typeof eventConfigSchema>;
export type MetricRule = z.output<typeof metricRuleSchema>;
export type MetricCondition = Pick<MetricRule, 'waitingAbove' | 'waitingBelow' | 'agentsAvailableAbove' | 'agentsAvailableBelow'>;
export type MetricTierConfig = z.output<typeof metricTierSchema>;
export type HealthTierConfig = z.output<typeof healthTierSchema>;
export type ActuatorConfig = z.output<typeof actuatorSchema>;
export type LeadingRule = z.output<typeof leadingRuleSchema>;
/** A condition on the leading signals (workflows/forecast.ts); a sample without them never meets one. */
export type LeadingCondition = Pick<LeadingRule, (typeof LEADING_BOUNDS)[number]>;
export type LeadingConfig = z.output<typeof leadingConfigSchema>;

export interface ConfigProblem {
  path: (string | number)[];
  message: string;
}
type AddProblem = (path: (string | number)[], message: string) => void;

/** `path: message`, one per problem: the form every caller shows. */
export function formatIssues(error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.map(String).join('.') || '(top level)'}: ${i.message}`);
}

/** Parses (and, for old tier-4 shapes, normalizes) a resolved config; never adds a default. */
export function parseResolvedEventConfig(raw: unknown): { ok: true; config: EventConfig } | { ok: false; problems: string[] } {
  const parsed = eventConfigSchema.safeParse(raw);
  return parsed.success ? { ok: true, config: parsed.data } : { ok: false, problems: formatIssues(parsed.error) };
}

// ---------------------------------------------------------------------------------------------
// Rules across fields (run once every field has its type)

function semanticProblems(c: EventConfig): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const add = (path: (string | number)[], message: string) => out.push({ path, message });
  const scale = c.simulatedTimeScale ?? 1;
  const sim = (seconds: number) => seconds * scale;
  const simNote = scale === 1 ? '' : ` (${scale}x simulated time)`;

  const durationS = (Date.parse(c.endAt) - Date.parse(c.startAt)) / 1000;
  // NaN when either is not an instant: that field is already refused by name, and "after startAt" would blame endAt for it.
  if (durationS <= 0) add(['endAt'], 'must be after startAt');
  const poll = c.pollIntervalSeconds;
  if (!(sim(poll) >= CONFIG_BOUNDS.minPollSeconds && sim(poll) <= CONFIG_BOUNDS.maxPollSeconds)) {
    add(['pollIntervalSeconds'], `must be ${CONFIG_BOUNDS.minPollSeconds}-${CONFIG_BOUNDS.maxPollSeconds} s${simNote}, got ${poll}`);
  }
  if (c.staleAfterSeconds < CONFIG_BOUNDS.minStalePolls * poll) {
    add(['staleAfterSeconds'], `must be at least ${CONFIG_BOUNDS.minStalePolls} polls (${CONFIG_BOUNDS.minStalePolls * poll} s), got ${c.staleAfterSeconds}`);
  }

  const seen = new Map<string, number>();
  c.queueIds.forEach((id, i) => {
    if (seen.has(id)) add(['queueIds', i], `duplicate of queueIds.${seen.get(id)} (${id})`);
    else seen.set(id, i);
  });

  const within = (path: (string | number)[], seconds: number, what: string) => {
    if (durationS > 0 && seconds > durationS) add(path, `${what} (${seconds} s) is longer than the event (${durationS} s), so it could never be met`);
  };
  for (const t of [1, 2, 3] as const) {
    const tier = c.tiers[t];
    for (const side of ['activate', 'restore'] as const) {
      const rule = tier[side];
      const path = ['tiers', t, side];
      if (rule.sustainSeconds !== undefined) {
        if (rule.sustainSeconds < poll) add([...path, 'sustainSeconds'], `${rule.sustainSeconds} s is shorter than pollIntervalSeconds (${poll} s), so no window could be covered by samples`);
        within([...path, 'sustainSeconds'], rule.sustainSeconds, 'the window');
      }
      if (rule.consecutivePolls !== undefined) within([...path, 'consecutivePolls'], rule.consecutivePolls * poll, `${rule.consecutivePolls} polls`);
    }
    leadingRuleProblems(c, t, add, within); // issue 14 (leading)
    const overlap = overlapExample(tier.activate, tier.restore);
    if (overlap) add(['tiers', t, 'restore'], `overlaps tiers.${t}.activate (${overlap} meets both), so the tier would flap; restore must exclude every sample that activates`);
  }
  within(['tiers', 4, 'activate', 'failedProbes'], c.tiers[4].activate.failedProbes * poll, `${c.tiers[4].activate.failedProbes} polls`);
  within(['tiers', 4, 'restore', 'healthyProbes'], c.tiers[4].restore.healthyProbes * poll, `${c.tiers[4].restore.healthyProbes} polls`);

  // One actuator, one tier: two tiers driving one flow, KV key or deployment would undo each other.
  const owner = new Map<string, string>();
  for (const t of [1, 2, 3, 4] as const) {
    c.actuators[t].forEach((a, i) => {
      const path = ['actuators', t, i];
      const key =
        a.kind === 'flowVersion' ? { id: `flow ${a.flowId}`, field: 'flowId' }
        : a.kind === 'edgeFlag' ? { id: `KV key ${a.key}`, field: 'key' }
        : a.kind === 'messengerDeployment' ? { id: `deployment ${a.deploymentId}`, field: 'deploymentId' }
        : null;
      if (a.kind === 'flowVersion' && a.surgeVersion === a.normalVersion) add([...path, 'surgeVersion'], 'must differ from normalVersion');
      if (a.kind === 'messengerDeployment' && a.surgeConfigurationVersion === a.normalConfigurationVersion) add([...path, 'surgeConfigurationVersion'], 'must differ from normalConfigurationVersion');
      if (a.kind === 'dataTableFlag' && !c.dataTable) add(path, 'dataTableFlag needs dataTable.datatableId');
      if (!key) return;
      const prior = owner.get(key.id);
      if (prior) add([...path, key.field], `${key.id} is already driven by ${prior}`);
      else owner.set(key.id, path.join('.'));
    });
  }

  if (c.messengerProbeUrl && !c.simulatedTimeScale && isLocalHost(new URL(c.messengerProbeUrl).hostname)) {
    add(['messengerProbeUrl'], 'must not be a loopback, link-local or private-network address (point it at https://apps.<region>/genesys-bootstrap/genesys.min.js)');
  }
  return out;
}

/** issue 14 (leading): `tiers.N.activateEarly` against the rest of the config. */
function leadingRuleProblems(c: EventConfig, t: 1 | 2 | 3, add: AddProblem, within: (path: (string | number)[], seconds: number, what: string) => void): void {
  const rule = c.tiers[t].activateEarly;
  if (rule === undefined) return;
  const path = ['tiers', t, 'activateEarly'];
  if (!c.leading) add(path, 'needs the `leading` settings (horizon, window, agent concurrency, handle time) to compute a forecast');
  else if ((rule.botLoadAbove !== undefined || rule.forecastBotLoadAbove !== undefined) && c.leading.botFlowId === undefined) {
    add(path, 'botLoadAbove / forecastBotLoadAbove need leading.botFlowId and leading.botConcurrencyLimit');
  }
  const poll = c.pollIntervalSeconds;
  if (rule.sustainSeconds !== undefined) {
    if (rule.sustainSeconds < poll) add([...path, 'sustainSeconds'], `${rule.sustainSeconds} s is shorter than pollIntervalSeconds (${poll} s), so no window could be covered by samples`);
    within([...path, 'sustainSeconds'], rule.sustainSeconds, 'the window');
  }
  if (rule.consecutivePolls !== undefined) within([...path, 'consecutivePolls'], rule.consecutivePolls * poll, `${rule.consecutivePolls} polls`);
}

/**
 * Loopback, link-local (incl. cloud metadata 169.254.169.254), unspecified and private addresses. `hostname`
 * is a WHATWG URL's: lowercase, IPv4 in dotted decimal whatever the input form (`2130706433`, `0x7f.1`), IPv6
 * in brackets and compressed, an IPv4-mapped IPv6 address in hex (`[::ffff:7f00:1]` for ::ffff:127.0.0.1).
 */
function isLocalHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (h.includes(':')) {
    const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(h);
    if (mapped) return isLocalIPv4(parseInt(mapped[1], 16) >> 8, parseInt(mapped[1], 16) & 0xff);
    // ::1 loopback, :: unspecified, fe80::/10 link-local, fc00::/7 unique local (the private ranges).
    return h === '::1' || h === '::' || /^fe[89ab][0-9a-f]:/.test(h) || /^f[cd][0-9a-f]{2}:/.test(h);
  }
  const v4 = /^(\d+)\.(\d+)\.\d+\.\d+$/.exec(h);
  return v4 ? isLocalIPv4(Number(v4[1]), Number(v4[2])) : false;
}

/** By the first two octets: 127/8, 0/8, 10/8, 169.254/16, 172.16/12, 192.168/16. */
function isLocalIPv4(a: number, b: number): boolean {
  return a === 127 || a === 0 || a === 10 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
}

/** A sample (waiting, agents) meeting both conditions, or null when they exclude each other. Counts are integers. */
function overlapExample(a: MetricCondition, b: MetricCondition): string | null {
  const range = (above?: number, below?: number) => ({ lo: above === undefined ? 0 : Math.floor(above) + 1, hi: below === undefined ? Infinity : Math.ceil(below) - 1 });
  const intersect = (x: { lo: number; hi: number }, y: { lo: number; hi: number }) => ({ lo: Math.max(x.lo, y.lo), hi: Math.min(x.hi, y.hi) });
  const waiting = intersect(range(a.waitingAbove, a.waitingBelow), range(b.waitingAbove, b.waitingBelow));
  const agents = intersect(range(a.agentsAvailableAbove, a.agentsAvailableBelow), range(b.agentsAvailableAbove, b.agentsAvailableBelow));
  if (waiting.lo > waiting.hi || agents.lo > agents.hi) return null;
  return `waiting ${waiting.lo}, agents available ${agents.lo}`;
}
