// The drill's async-deflection promises: the simulator tells the hook of every customer who accepts an
// email (or callback) follow-up; a deterministic sample of the email ones is posted to the real deflection
// endpoint (the Data Action's path), and at the end each sampled promise's deflectionStatus says whether
// it was kept on time, late, failed or is still pending.
import type { Client } from '@temporalio/client';
import { SECRET_HEADER } from '../../client/deflections';
import { deflectionStatusQuery, type DeflectionResponse, type DeflectionState } from '../../workflows/deflection-types';
import type { AsyncDeflection, AsyncDeflectionHook } from '../contact-center/deflection-hook';

export interface DrillPromiseSamplerOptions {
  /** Where POST /deflections listens, and the shared secret it wants. */
  endpointUrl: () => string;
  secret: string;
  /** Epoch ms of the scenario's minute 0: simulated times become the promised instants. */
  epochMs: number;
  /** Makes conversation IDs unique on a server shared by several drills. */
  runId: string;
  eventId?: string;
  /** Post every k-th email acceptance ... */
  sampleEvery: number;
  /** ... and at most this many, so a drill stays fast. */
  maxSampled: number;
  deadlineMinutes: number;
}

export interface PromiseSummary {
  /** Every customer who accepted an async follow-up in the simulator, by channel. */
  accepted: { email: number; callback: number };
  /** Email promises posted to the endpoint (every `sampleEvery`-th, at most `maxSampled`). */
  sampled: number;
  sampleEvery: number;
  deadlineMinutes: number;
  keptOnTime: number;
  late: number;
  failed: number;
  stillPending: number;
  /** Posts the endpoint refused or could not answer (each one is a promise nobody will keep). */
  notRecorded: number;
  /** Operator alerts the promises raised (at-risk, missed, failed), by kind. */
  alerts: Record<string, number>;
  /** The first few endpoint errors, for the report. */
  errors: string[];
}

export interface DrillPromises {
  hook: AsyncDeflectionHook;
  /** Waits for every post, then for every recorded promise's workflow to close (time skips meanwhile). */
  settle(client: Client): Promise<void>;
  summarise(client: Client): Promise<PromiseSummary>;
}

const PENDING: readonly DeflectionState[] = ['awaiting-content', 'delivering'];

/** Every k-th of the expected acceptances, so at most `maxSampled` spread across the whole drill. */
export function sampleEveryFor(expectedAcceptances: number, maxSampled: number): number {
  return Math.max(1, Math.ceil(expectedAcceptances / Math.max(1, maxSampled)));
}

export function createDrillPromises(options: DrillPromiseSamplerOptions): DrillPromises {
  const accepted = { email: 0, callback: 0 };
  const posts: Promise<void>[] = [];
  const recorded: string[] = [];
  const errors: string[] = [];
  let sampled = 0;

  async function post(d: AsyncDeflection, n: number): Promise<void> {
    const conversationId = `${options.runId}-${n}`;
    const body = {
      conversationId,
      queueId: d.queueId,
      intent: 'order_status',
      channel: 'email',
      customerName: `Drill customer ${n}`,
      customerEmail: `customer-${n}@drill.example`,
      promisedBy: new Date(options.epochMs + d.simTimeMs + options.deadlineMinutes * 60_000).toISOString(),
      ...(options.eventId ? { eventId: options.eventId } : {}),
    };
    try {
      const res = await fetch(`${options.endpointUrl()}/deflections`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [SECRET_HEADER]: options.secret },
        body: JSON.stringify(body),
      });
      const answer = (await res.json()) as Partial<DeflectionResponse> & { error?: string };
      if (!res.ok || !answer.workflowId) throw new Error(`POST /deflections answered ${res.status}: ${answer.error ?? JSON.stringify(answer)}`);
      recorded.push(answer.workflowId);
    } catch (err) {
      errors.push(err instanceof Error ? err.message : String(err));
    }
  }

  const hook: AsyncDeflectionHook = (d) => {
    accepted[d.channel]++;
    // Callbacks are an agent's promise, not this service's: counted, not posted.
    if (d.channel !== 'email') return;
    if ((accepted.email - 1) % options.sampleEvery !== 0 || sampled >= options.maxSampled) return;
    sampled++;
    posts.push(post(d, accepted.email));
  };

  async function settle(client: Client): Promise<void> {
    await Promise.all(posts);
    // One at a time: the test server's client unlocks time skipping around each result() wait, and overlapping
    // waits unbalance that lock. A failed promise still completes its workflow; a failing workflow is reported
    // by its status query, not here.
    for (const id of recorded) {
      await client.workflow.getHandle(id).result().catch(() => undefined);
    }
  }

  async function summarise(client: Client): Promise<PromiseSummary> {
    await Promise.all(posts);
    const statuses = await Promise.all(recorded.map((id) => client.workflow.getHandle(id).query(deflectionStatusQuery)));
    const count = (f: (s: (typeof statuses)[number]) => boolean) => statuses.filter(f).length;
    const alerts: Record<string, number> = {};
    for (const s of statuses) for (const a of s.alerts) alerts[a.kind] = (alerts[a.kind] ?? 0) + 1;
    return {
      accepted: { ...accepted },
      sampled,
      sampleEvery: options.sampleEvery,
      deadlineMinutes: options.deadlineMinutes,
      keptOnTime: count((s) => s.state === 'kept'),
      late: count((s) => s.state === 'kept-late'),
      failed: count((s) => s.state === 'failed'),
      stillPending: count((s) => PENDING.includes(s.state)),
      notRecorded: sampled - recorded.length,
      alerts,
      errors: errors.slice(0, 5),
    };
  }

  return { hook, settle, summarise };
}
