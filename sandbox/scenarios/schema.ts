// The scenario file format (documented in README.md next to this file). Every number the simulator uses
// comes from here; strict objects so a misspelt field is reported instead of silently defaulted.
import { z } from 'zod';

const minute = z.number().nonnegative();
const probability = z.number().min(0).max(1);

const phase = z.discriminatedUnion('shape', [
  z.strictObject({ fromMinute: minute, toMinute: minute, shape: z.literal('constant'), multiplier: z.number().nonnegative() }),
  z.strictObject({ fromMinute: minute, toMinute: minute, shape: z.literal('linear'), from: z.number().nonnegative(), to: z.number().nonnegative() }),
  /** from + (to - from)(1 - e^(-t/tau)): a flash-sale onset (from < to) or a decay (from > to). */
  z.strictObject({
    fromMinute: minute,
    toMinute: minute,
    shape: z.literal('exponential'),
    from: z.number().nonnegative(),
    to: z.number().nonnegative(),
    timeConstantMinutes: z.number().positive(),
  }),
  z.strictObject({
    fromMinute: minute,
    toMinute: minute,
    shape: z.literal('sine'),
    mean: z.number().nonnegative(),
    amplitude: z.number().nonnegative(),
    periodMinutes: z.number().positive(),
  }),
]);

const agents = z.strictObject({
  count: z.number().int().nonnegative(),
  /** Staffing changes: from `atMinute` on, `count` agents are on queue. */
  schedule: z.array(z.strictObject({ atMinute: minute, count: z.number().int().nonnegative() })).optional(),
});

const queue = z.strictObject({
  id: z.string().min(1),
  name: z.string().optional(),
  /** Fraction of arrivals routed to this queue; shares sum to 1. */
  share: probability,
  agents,
});

const handleTime = z.discriminatedUnion('distribution', [
  z.strictObject({ distribution: z.literal('exponential'), meanSeconds: z.number().positive() }),
  z.strictObject({ distribution: z.literal('lognormal'), meanSeconds: z.number().positive(), cv: z.number().positive() }),
]);

const bot = z.strictObject({
  /** Concurrent bot sessions the bot platform takes; one more gets "something went wrong". */
  concurrencyLimit: z.number().int().positive(),
  /** Mean bot session (exponential). */
  sessionSeconds: z.number().positive(),
  /**
   * Tier 1: mean session of a low-urgency customer, who is offered the async answer at once instead of the full
   * dialogue (so tier 1 also frees bot sessions). Defaults to sessionSeconds.
   */
  boostedSessionSeconds: z.number().positive().optional(),
  containment: z.strictObject({ normal: probability, boosted: probability }),
  /** Share of customers with a low-urgency intent (the only ones tier 1 contains more of). */
  lowUrgencyShare: probability,
});

const apiFault = z.discriminatedUnion('kind', [
  z.strictObject({ fromMinute: minute, toMinute: minute, kind: z.literal('outage'), scope: z.enum(['all', 'login', 'analytics', 'architect', 'messenger']).default('all') }),
  z.strictObject({
    fromMinute: minute,
    toMinute: minute,
    kind: z.literal('5xx'),
    scope: z.enum(['all', 'login', 'analytics', 'architect', 'messenger']).default('all'),
    errorRate: probability,
    status: z.union([z.literal(500), z.literal(502), z.literal(503), z.literal(504)]).default(503),
  }),
  z.strictObject({
    fromMinute: minute,
    toMinute: minute,
    kind: z.literal('latency'),
    scope: z.enum(['all', 'login', 'analytics', 'architect', 'messenger']).default('all'),
    latencyMs: z.number().int().positive(),
  }),
]);

const tierWindow = z.strictObject({
  tier: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]),
  fromMinute: minute,
  toMinute: minute,
});

export const scenarioSchema = z
  .strictObject({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lowercase letters, digits and dashes'),
    description: z.string().default(''),
    durationMinutes: z.number().positive(),
    seed: z.number().int().nonnegative().default(1),
    arrivals: z.strictObject({
      /** Customers starting a chat per minute on a normal day (multiplier 1). */
      baselinePerMinute: z.number().nonnegative(),
      /** Multipliers of the baseline over time; minutes no phase covers run at 1. */
      profile: z.array(phase).default([]),
    }),
    queues: z.array(queue).min(1),
    service: z.strictObject({
      /** Messaging conversations an agent handles at once (Genesys utilization). */
      concurrency: z.number().int().positive(),
      /** Which agent gets a new chat: the busiest with a free slot, or the least busy. */
      routing: z.enum(['fill-up', 'least-busy']).default('fill-up'),
      handleTime,
      /** Customer patience in the queue (exponential); omit for customers who never abandon. */
      patience: z.strictObject({ meanSeconds: z.number().positive() }).optional(),
      serviceLevelTargetSeconds: z.number().positive().default(20),
    }),
    /** Omit for no bot: every conversation goes straight to its queue. */
    bot: bot.optional(),
    deflection: z
      .strictObject({
        /** Tier 2: fraction of the customers offered email/callback/FAQ who take it. */
        tier2AcceptShare: probability,
        /** Tier 2: how the acceptances split between channels (weights, normalised). */
        tier2Channels: z.strictObject({ email: z.number().nonnegative(), callback: z.number().nonnegative(), faq: z.number().nonnegative() }),
        /** Tier 3: fraction of new page loads that still start a chat (a widget already open, a direct link). */
        tier3StartFraction: probability,
      })
      .default({ tier2AcceptShare: 0.5, tier2Channels: { email: 0.4, callback: 0.2, faq: 0.4 }, tier3StartFraction: 0.1 }),
    platform: z
      .strictObject({
        /** Open conversations (bot + waiting + interacting) the media servers hold; above it they drop. */
        connectionLimit: z.number().int().positive().optional(),
      })
      .default({}),
    /** Genesys API fault windows the local stack applies to the Genesys sandbox. */
    apiFaults: z.array(apiFault).default([]),
    /** An operator's plan (which tiers an operator would switch on when), for scripted drills and tests. */
    tierPlan: z.array(tierWindow).default([]),
  })
  .superRefine((s, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    const shareSum = s.queues.reduce((sum, q) => sum + q.share, 0);
    if (Math.abs(shareSum - 1) > 1e-6) issue(['queues'], `queue shares must sum to 1 (they sum to ${shareSum})`);
    const ids = new Set<string>();
    s.queues.forEach((q, i) => {
      if (ids.has(q.id)) issue(['queues', i, 'id'], `duplicate queue id "${q.id}"`);
      ids.add(q.id);
      (q.agents.schedule ?? []).forEach((step, j) => {
        const previous = q.agents.schedule?.[j - 1];
        if (previous && step.atMinute < previous.atMinute) issue(['queues', i, 'agents', 'schedule', j, 'atMinute'], 'schedule must be in time order');
      });
    });
    const windows = (list: { fromMinute: number; toMinute: number }[], field: string) =>
      list.forEach((w, i) => {
        if (w.toMinute <= w.fromMinute) issue([field, i, 'toMinute'], `toMinute (${w.toMinute}) must be after fromMinute (${w.fromMinute})`);
        if (w.toMinute > s.durationMinutes) issue([field, i, 'toMinute'], `toMinute (${w.toMinute}) is past durationMinutes (${s.durationMinutes})`);
      });
    windows(s.arrivals.profile, 'arrivals.profile');
    windows(s.apiFaults, 'apiFaults');
    windows(s.tierPlan, 'tierPlan');
    s.arrivals.profile.forEach((p, i) => {
      const previous = s.arrivals.profile[i - 1];
      if (previous && p.fromMinute < previous.toMinute) issue(['arrivals', 'profile', i, 'fromMinute'], 'phases must be in time order and must not overlap');
      if (p.shape === 'sine' && p.amplitude > p.mean) issue(['arrivals', 'profile', i, 'amplitude'], 'amplitude above mean would make the rate negative');
    });
    if (s.bot && s.bot.containment.boosted < s.bot.containment.normal) issue(['bot', 'containment', 'boosted'], 'boosted containment must be at least normal');
  });

export type Scenario = z.output<typeof scenarioSchema>;
export type ScenarioInput = z.input<typeof scenarioSchema>;
export type RatePhase = Scenario['arrivals']['profile'][number];
export type ApiFault = Scenario['apiFaults'][number];
