// The demo event behind `npm start`, live whenever the stack is up: one long event (days of wall time) over a
// world whose simulator repeats the flash sale in a loop, each cycle with calm stretches before and after the
// sale so tiers restore before the next one. Every start begins a fresh demo at minute 0: the sandboxes keep
// their state in memory and restart empty, so an earlier run's event (which believes in tiers those sandboxes
// no longer have) is ended, not resumed.
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { SurgeClient, SurgeClientError } from '../client/surge-client';
import { surgeEventWorkflowId } from '../workflows/ids';
import type { SurgeStatus } from '../workflows/messages';
import { compileRateProfile, expectedRatePerMinute } from './contact-center/rate-profile';
import { scaledEventConfig, type SandboxWorld } from './world';

export const DEMO_EVENT_ID = 'demo-flash-sale';
/** How long the demo event stays open (wall time): a week of flash sales in a loop. */
export const DEMO_WINDOW_MS = 7 * 24 * 3600_000;
const REPLACED_REASON = 'npm start: replaced by a fresh demo';
/** How long an earlier demo gets to restore its tiers and complete before it is terminated. */
const END_EARLIER_WITHIN_MS = 30_000;

export interface DemoEvent {
  eventId: string;
  /** What became of a demo still open from an earlier start. */
  earlier: 'none' | 'ended' | 'terminated';
  startAt: string;
  endAt: string;
}

/** Ends any earlier demo, then starts one whose minute 0 is the world's (its simulator's) minute 0. */
export async function startDemoEvent(
  client: Client,
  world: SandboxWorld,
  options: { acceleration: number; windowMs?: number; dashboardUrl: string; temporalUiUrl: string },
): Promise<DemoEvent> {
  const surge = new SurgeClient(client);
  const earlier = await endEarlierDemo(client, surge);
  const config = scaledEventConfig(world.scenario, {
    epochMs: world.epochMs,
    acceleration: options.acceleration,
    eventId: DEMO_EVENT_ID,
    preArm: false,
    alertRecipients: ['cc-ops@example.com'],
  });
  config.name = 'Demo flash sale (10x, accelerated, repeating)';
  config.endAt = new Date(world.epochMs + (options.windowMs ?? DEMO_WINDOW_MS)).toISOString();
  // Scaled time shrinks the staleness limit below a second; on a busy laptop a sample can take that long to
  // reach the policy, and a stale sample holds every tier. Keep a few real seconds of slack.
  config.staleAfterSeconds = Math.max(config.staleAfterSeconds, 5);
  config.alerts = { ...config.alerts, dashboardUrl: options.dashboardUrl, temporalUiUrl: options.temporalUiUrl };
  await surge.startEvent(config);
  return { eventId: DEMO_EVENT_ID, earlier, startAt: config.startAt, endAt: config.endAt };
}

async function endEarlierDemo(client: Client, surge: SurgeClient): Promise<DemoEvent['earlier']> {
  const handle = client.workflow.getHandle(surgeEventWorkflowId(DEMO_EVENT_ID));
  const described = await handle.describe().catch((err: unknown) => {
    if (err instanceof WorkflowNotFoundError) return null;
    throw err;
  });
  if (described?.status.name !== 'RUNNING') return 'none';
  // Ended the ordinary way, so its tiers are restored and the audit log says why; one already ending refuses.
  await surge.endEvent(DEMO_EVENT_ID, { reason: REPLACED_REASON, by: 'npm start' }).catch((err: unknown) => {
    if (!(err instanceof SurgeClientError)) throw err;
  });
  let timer: NodeJS.Timeout | undefined;
  const closed = await Promise.race([
    handle.result().then(() => true, () => true),
    new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), END_EARLIER_WITHIN_MS))),
  ]);
  clearTimeout(timer);
  if (closed) return 'ended';
  await handle.terminate(`${REPLACED_REASON} (it did not complete within ${END_EARLIER_WITHIN_MS / 1000} s)`);
  return 'terminated';
}

/**
 * One line every `everyMs` saying where the demo is, from the simulator (cycle, minute, demand, waiting) and
 * the controller (phase, tiers on, a recommendation waiting for an operator). Returns a stop function.
 */
export function startDemoStatusLine(client: Client, world: SandboxWorld, options: { everyMs: number; log: (line: string) => void }): () => void {
  const surge = new SurgeClient(client);
  const profile = compileRateProfile(world.scenario);
  const baseline = world.scenario.arrivals.baselinePerMinute;
  let inFlight = false;
  const timer = setInterval(() => {
    if (inFlight) return;
    inFlight = true;
    surge
      .status(DEMO_EVENT_ID)
      .then(
        (status) => options.log(demoStatusLine(world, profile, baseline, status)),
        (err: unknown) => options.log(demoStatusLine(world, profile, baseline, null, err instanceof Error ? err.message : String(err))),
      )
      .finally(() => (inFlight = false));
  }, options.everyMs);
  return () => clearInterval(timer);
}

function demoStatusLine(world: SandboxWorld, profile: ReturnType<typeof compileRateProfile>, baseline: number, status: SurgeStatus | null, error?: string): string {
  const minute = Math.floor(world.simNow() / 60_000);
  const demand = expectedRatePerMinute(profile, minute) / baseline;
  const parts = [
    `demo: cycle ${(world.driver?.cycle ?? 0) + 1}`,
    `minute ${minute} of ${world.scenario.durationMinutes}`,
    `demand ${demand.toFixed(1)}x`,
    `waiting ${world.sim.totals().waiting}`,
  ];
  if (!status) {
    // One line, whatever the error: a gRPC message can run to paragraphs.
    parts.push(`controller not answering (${(error ?? 'no status').split('\n')[0]!.slice(0, 100)})`);
  } else if (status.phase === 'ended' || status.phase === 'ended-with-failures') {
    parts.push(`event ${status.phase}${status.endedReason ? ` (${status.endedReason})` : ''}: re-run npm start for a fresh demo`);
  } else {
    const on = status.tiers.filter((t) => t.active).map((t) => t.tier);
    parts.push(on.length > 0 ? `tiers on: ${on.join(', ')}` : 'no tier on');
    for (const t of status.tiers) if (t.recommendation) parts.push(`tier ${t.tier} awaits approval on the dashboard`);
    if (status.phase !== 'active') parts.push(`phase ${status.phase}`);
  }
  return parts.join(' · ');
}
