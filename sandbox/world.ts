// One call that stands up everything the controller talks to, wired together the way production is: the
// Genesys sandbox reports the contact-centre simulator's numbers, and the simulator learns which tiers are
// live from where the real actuators write them (flags row, flow versions, KV flags). Used by `npm start`
// (real time, accelerated) and by drills (the simulated clock is the Temporal test server's).
import nodemailer from 'nodemailer';
import type { ActivityDeps } from '../activities';
import { createCloudflareClient } from '../activities/cloudflare';
import { GenesysSession, type GenesysSessionOptions } from '../activities/genesys-client';
import { SMTP_TIMEOUTS } from '../activities/notify';
import { createMemoryKvBackend, SANDBOX_CLOUDFLARE, startCloudflareSandbox, type CloudflareSandbox, type KvBackend } from './cloudflare';
import { createContactCenter, createRealtimeDriver, loadScenario, type ContactCenter, type MetricsSource, type RealtimeDriver, type Scenario } from './contact-center';
import type { AsyncDeflectionHook } from './contact-center/deflection-hook';
import { SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET, startGenesysSandbox, type GenesysSandbox } from './genesys';
import { startSmtpSandbox, type SmtpSandbox } from './smtp';
import { createApiFaultApplier, type ApiFaultApplier } from './world/api-faults';
import { DEFAULT_TIER_WIRING, createTierControlsReader, type CachedTierControls, type TierControlsWiring } from './world/tier-controls';

export { scaledEventConfig, drillEventConfig, type ScaledEventConfigOptions } from './world/event-config';
export { DEFAULT_TIER_WIRING, type TierControlsWiring } from './world/tier-controls';

export const ALERT_FROM_SANDBOX = 'Surge alerts <surge@sandbox.local>';

/** The worker's environment for sandboxes at these addresses: GENESYS_*, CLOUDFLARE_*, SMTP_URL, ALERT_FROM. */
export function sandboxWorkerEnv(at: { genesysUrl: string; cloudflareUrl: string; smtpUrl: string }): Record<string, string> {
  return {
    GENESYS_CLIENT_ID: SANDBOX_CLIENT_ID,
    GENESYS_CLIENT_SECRET: SANDBOX_CLIENT_SECRET,
    GENESYS_GATEWAY_URL: at.genesysUrl,
    CLOUDFLARE_API_TOKEN: SANDBOX_CLOUDFLARE.token,
    CLOUDFLARE_ACCOUNT_ID: SANDBOX_CLOUDFLARE.accountId,
    CLOUDFLARE_KV_NAMESPACE_ID: SANDBOX_CLOUDFLARE.namespaceId,
    CLOUDFLARE_ZONE_ID: SANDBOX_CLOUDFLARE.zoneId,
    CLOUDFLARE_BASE_URL: at.cloudflareUrl,
    SMTP_URL: at.smtpUrl,
    ALERT_FROM: ALERT_FROM_SANDBOX,
  };
}

export interface SandboxWorldOptions {
  /** A scenario name in sandbox/scenarios/, a path, or a parsed scenario. */
  scenario: string | Scenario;
  /** Defaults to the scenario's seed. */
  seed?: number;
  /**
   * `realtime`: the simulator runs on the wall clock, `acceleration` times faster. A function: simulated ms
   * since the scenario's start, read whenever the world syncs (a drill hands in the test server's time).
   */
  clock: 'realtime' | (() => number);
  /** Simulated ms per wall ms in `realtime` (default 60: a 3-hour scenario in 3 minutes). */
  acceleration?: number;
  /**
   * `realtime` only: when the scenario ends it starts again at minute 0 with a fresh simulator (same seed,
   * so every cycle tells the same story), for as long as the world runs. Default: the simulator stops there.
   */
  loop?: boolean;
  /** Where KV flags live (hand in Miniflare's namespace to reach the local edge Worker); in-memory otherwise. */
  kv?: KvBackend;
  /** Ports to listen on (127.0.0.1); 0 (random) for each one not given. */
  ports?: { genesys?: number; cloudflare?: number; smtp?: number; smtpHttp?: number };
  /** Epoch ms of the scenario's minute 0 (the Genesys sandbox's clock with a function clock); default now. */
  epochMs?: number;
  /** Which row and flows carry tiers 1 and 2 (defaults: the sandbox seed's flags table and flows). */
  wiring?: TierControlsWiring;
  /** How long a flow publish takes in the Genesys sandbox (its clock); default the sandbox's 1.5 s. */
  publishDelayMs?: number;
  /** Scales injected API latency (a drill on a compressed clock passes < 1); default 1. */
  faultLatencyScale?: number;
  /** Minimum gap between KV writes to one key (Cloudflare: 1 s of wall time); default 1000. */
  kvMinWriteIntervalMs?: number;
  /** Passed to the simulator: told of every customer who accepts an email or callback follow-up. */
  onAsyncDeflection?: AsyncDeflectionHook;
}

export interface SandboxWorld {
  scenario: Scenario;
  /** The worker's environment for these sandboxes: GENESYS_*, CLOUDFLARE_*, SMTP_URL, ALERT_FROM. */
  env: Record<string, string>;
  /** Activity dependencies aimed at the sandboxes (a fresh Genesys session each call). */
  activityDeps(overrides?: { genesys?: Partial<GenesysSessionOptions> }): ActivityDeps;
  /** The simulator behind the Genesys sandbox (a looping world swaps in a fresh one each cycle). */
  readonly sim: ContactCenter;
  genesys: GenesysSandbox;
  cloudflare: CloudflareSandbox;
  smtp: SmtpSandbox;
  kv: KvBackend;
  controls: CachedTierControls;
  faults: ApiFaultApplier;
  /** Epoch ms of the scenario's minute 0. */
  epochMs: number;
  /** Simulated ms since the scenario's start, as far as the simulator has run. */
  simNow(): number;
  /** Brings tier controls, API faults and the simulator up to the clock; resolves once KV has been re-read. */
  sync(): Promise<void>;
  /** `realtime` only: the driver walking the simulator. */
  driver?: RealtimeDriver;
  close(): Promise<void>;
}

/** How often a function-clock world re-applies faults and re-reads flags between requests (wall ms). */
const SYNC_EVERY_MS = 50;

export async function startSandboxWorld(options: SandboxWorldOptions): Promise<SandboxWorld> {
  const scenario = typeof options.scenario === 'string' ? loadScenario(options.scenario) : options.scenario;
  const epochMs = options.epochMs ?? Date.now();
  const clock = options.clock;
  if (clock !== 'realtime' && typeof clock !== 'function') throw new TypeError(`clock must be 'realtime' or a function returning simulated ms (got ${String(clock)})`);
  if (options.loop && clock !== 'realtime') throw new TypeError('loop: only a realtime world repeats its scenario');
  const kv = options.kv ?? createMemoryKvBackend();
  const wiring = options.wiring ?? DEFAULT_TIER_WIRING;

  // The simulator and the sandbox need each other (metrics one way, tier state the other): the metrics
  // source is bound once both exist.
  let sim!: ContactCenter;
  let faults!: ApiFaultApplier;
  let advance = () => undefined as void;
  // The sandbox's clock (epoch ms) to simulated ms: 1:1 on a function clock, `acceleration` times on a realtime one.
  const simMsAt = (ms: number) => (ms - epochMs) * (clock === 'realtime' ? (options.acceleration ?? 60) : 1);
  const metrics: MetricsSource = {
    observe(queueId) {
      advance();
      faults.checkAnalytics();
      return sim.observe(queueId);
    },
    offered(queueId, fromMs, toMs) {
      advance();
      faults.checkAnalytics();
      // A looping world (the demo) restarts its simulator each cycle: read the interval in the current cycle's time.
      const shift = options.loop ? Math.floor(simMsAt(toMs) / sim.durationMs) * sim.durationMs : 0;
      return sim.offered(queueId, simMsAt(fromMs) - shift, simMsAt(toMs) - shift);
    },
    flowSessions(flowId) {
      advance();
      faults.checkAnalytics();
      // Bot sessions are conversations in the bot flow; the inbound flow hands off at once (none linger there).
      if (flowId === wiring.botFlow?.flowId) return sim.totals().botSessions;
      return flowId === wiring.inboundFlow?.flowId ? 0 : undefined;
    },
  };

  const ports = options.ports ?? {};
  const started: { close(): Promise<void> }[] = [];
  try {
    const genesys = await startGenesysSandbox({
      port: ports.genesys ?? 0,
      metrics,
      clock: clock === 'realtime' ? Date.now : () => epochMs + clock(),
      ...(options.publishDelayMs !== undefined ? { publishDelayMs: options.publishDelayMs } : {}),
    });
    started.push(genesys);
    genesys.state.addQueues(scenario.queues.map((q) => ({ id: q.id, name: q.name ?? q.id, memberCount: q.agents.count })));
    // On a simulated clock (drills, time-skipping tests) KV's one-write-per-second-per-key limit runs on that clock too:
    // a second of skipped time is a second, as it would be for the real API.
    const cloudflare = await startCloudflareSandbox({
      port: ports.cloudflare ?? 0,
      kv,
      minWriteIntervalMs: options.kvMinWriteIntervalMs,
      ...(typeof clock === 'function' ? { now: clock } : {}),
    });
    started.push(cloudflare);
    const smtp = await startSmtpSandbox({ port: ports.smtp ?? 0, httpPort: ports.smtpHttp ?? 0 });
    started.push(smtp);

    const controls = createTierControlsReader(genesys.state, kv, wiring);
    await controls.refresh();
    faults = createApiFaultApplier(scenario, genesys.state, { latencyScale: options.faultLatencyScale, seed: options.seed });
    const newSim = () => createContactCenter({ scenario, seed: options.seed, controls, onAsyncDeflection: options.onAsyncDeflection });
    sim = newSim();

    let driver: RealtimeDriver | undefined;
    let ticker: NodeJS.Timeout | undefined;
    if (clock === 'realtime') {
      driver = createRealtimeDriver({
        sim,
        acceleration: options.acceleration ?? 60,
        untilSimMs: sim.durationMs,
        ...(options.loop ? { loop: () => (sim = newSim()) } : {}),
        onTick: (simMs) => {
          void controls.refresh();
          faults.apply(simMs);
        },
      });
      driver.start();
    } else {
      advance = () => {
        controls.refreshGenesys();
        // Never past the scenario's end: the baseline stops there, and wall time spent after the event (its
        // ending reads, the report's queries) must not add customers to one side of the comparison.
        const target = Math.min(clock(), sim.durationMs);
        faults.apply(target);
        if (target > sim.now()) sim.advanceTo(target);
      };
      ticker = setInterval(() => {
        void controls.refresh();
        advance();
      }, SYNC_EVERY_MS);
      ticker.unref();
      advance();
    }

    const env = sandboxWorkerEnv({ genesysUrl: genesys.url, cloudflareUrl: cloudflare.url, smtpUrl: smtp.smtpUrl });

    return {
      scenario,
      env,
      activityDeps: (overrides = {}) => ({
        genesys: new GenesysSession({ clientId: SANDBOX_CLIENT_ID, clientSecret: SANDBOX_CLIENT_SECRET, gatewayUrl: genesys.url, ...overrides.genesys }),
        cloudflare: {
          client: createCloudflareClient({ apiToken: SANDBOX_CLOUDFLARE.token, baseURL: cloudflare.url }),
          accountId: SANDBOX_CLOUDFLARE.accountId,
          namespaceId: SANDBOX_CLOUDFLARE.namespaceId,
          zoneId: SANDBOX_CLOUDFLARE.zoneId,
        },
        notify: { transport: nodemailer.createTransport({ url: smtp.smtpUrl, ...SMTP_TIMEOUTS }), from: ALERT_FROM_SANDBOX },
      }),
      get sim() {
        return sim;
      },
      genesys,
      cloudflare,
      smtp,
      kv,
      controls,
      faults,
      epochMs,
      simNow: () => sim.now(),
      async sync() {
        await controls.refresh();
        if (driver) driver.tick();
        else advance();
      },
      driver,
      async close() {
        driver?.stop();
        if (ticker) clearInterval(ticker);
        await Promise.allSettled(started.reverse().map((s) => s.close()));
      },
    };
  } catch (err) {
    await Promise.allSettled(started.reverse().map((s) => s.close()));
    throw err;
  }
}
