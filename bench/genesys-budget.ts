// API budget of one event's polling: Genesys calls per minute vs queues watched (metrics, leading signals and
// actuator read-backs), beside the per-token limit, and Cloudflare API calls per minute (KV read-backs) beside its
// documented limit. Computed from the rules (per poll one observation query and one conversation-aggregates query per 100 queues, plus one flow
// observation with the leading signals; Genesys read-backs
// at most once a minute; KV read-backs every poll) and confirmed by running real calls against the sandbox and
// reading its request counters.
import { reportFigure } from './table';
import { performance } from 'node:perf_hooks';
import { startGenesysSandbox } from '../sandbox/genesys';
import { sandboxSession } from '../sandbox/genesys/testing';
import { MAX_QUEUES_PER_OBSERVATION_QUERY, createGenesysActivities, createGenesysReads } from '../activities/genesys';
import { createLeadingActivities } from '../activities/genesys-leading';

/** The surgeEvent workflow reads Genesys actuators at most once a minute (workflows/surge-event.ts GENESYS_READ_INTERVAL_SECONDS). */
const GENESYS_READ_INTERVAL_SECONDS = 60;
/** A typical event's Genesys actuators: the flags row, the bot and inbound flows, one Messenger deployment. */
const GENESYS_ACTUATOR_READS = 4;
/** KV flags read every poll (chat_surge_active, chat_fallback_active). */
const KV_READS_PER_POLL = 2;
/**
 * Cloudflare: "1,200 requests per five minutes" per user or account token, cumulative across dashboard, API key
 * and token (developers.cloudflare.com/fundamentals/api/reference/limits; /work/shared/reference/cloudflare.md 1.5).
 */
const CLOUDFLARE_LIMIT_PER_MINUTE = 1_200 / 5;

const QUEUE_COUNTS = [1, 10, 100, 1_000];
const POLL_SECONDS = [10, 30];
const RATE_LIMIT_PER_MINUTE = 300;
const MEASURED_POLLS = 3;
const OBSERVATIONS = 'POST /api/v2/analytics/queues/observations/query';
const AGGREGATES = 'POST /api/v2/analytics/conversations/aggregates/query';
const FLOW_OBSERVATIONS = 'POST /api/v2/analytics/flows/observations/query';

async function main(): Promise<void> {
  const sandbox = await startGenesysSandbox({ port: 0, rateLimitPerMinute: 100_000 });
  try {
    const genesys = createGenesysActivities(sandboxSession(sandbox));
    const leading = createLeadingActivities(sandboxSession(sandbox));
    const reads = createGenesysReads(sandboxSession(sandbox));
    const readBacks = async () => {
      await reads.readFlagsRow({ datatableId: 'dt-surge-flags', rowKey: 'surge-bench' });
      await reads.readFlowPublishedVersion({ flowId: 'flow-bot' });
      await reads.readFlowPublishedVersion({ flowId: 'flow-inbound-message' });
      await reads.readDeploymentConfigurationVersion({ deploymentId: 'wd-storefront' });
    };
    await readBacks(); // log in outside the measurement
    sandbox.state.resetCounters();
    await readBacks();
    const measuredReadBacks = sandbox.state.readCounters().total;
    // One poll as the workflow's observe step makes it with `leading` settings: metrics and leading signals together.
    const pollOnce = async (queueIds: string[]) => {
      await Promise.all([genesys.fetchQueueMetrics({ queueIds }), leading.fetchLeadingSignals({ queueIds, at: new Date().toISOString(), windowSeconds: 300, botFlowId: 'flow-bot' })]);
    };
    const rows: string[][] = [];
    for (const queues of QUEUE_COUNTS) {
      const queueIds = Array.from({ length: queues }, (_, i) => `q-bench-${i}`);
      sandbox.state.addQueues(queueIds.map((id) => ({ id })));
      await pollOnce(queueIds); // log in and warm up outside the measurement
      sandbox.state.resetCounters();
      const started = performance.now();
      for (let i = 0; i < MEASURED_POLLS; i++) await pollOnce(queueIds);
      const msPerPoll = (performance.now() - started) / MEASURED_POLLS;
      const byRoute = sandbox.state.readCounters().byRoute;
      const measuredPerPoll = [OBSERVATIONS, AGGREGATES, FLOW_OBSERVATIONS].reduce((sum, route) => sum + (byRoute[route]?.count ?? 0), 0) / MEASURED_POLLS;
      const computedPerPoll = 2 * Math.ceil(queues / MAX_QUEUES_PER_OBSERVATION_QUERY) + 1;
      for (const poll of POLL_SECONDS) {
        const readBacksPerMinute = GENESYS_ACTUATOR_READS * (60 / Math.max(poll, GENESYS_READ_INTERVAL_SECONDS));
        const perMinute = computedPerPoll * (60 / poll) + readBacksPerMinute;
        rows.push([
          String(queues),
          `${poll} s`,
          String(computedPerPoll),
          measuredPerPoll.toFixed(1),
          readBacksPerMinute.toFixed(0),
          perMinute.toFixed(0),
          `${((perMinute / RATE_LIMIT_PER_MINUTE) * 100).toFixed(1)} %`,
          perMinute <= RATE_LIMIT_PER_MINUTE ? 'ok' : 'OVER',
          msPerPoll.toFixed(1),
        ]);
        reportFigure(`Genesys API calls/min with leading signals and read-backs, ${queues} queues at ${poll} s polls`, perMinute.toFixed(0), `<= ${RATE_LIMIT_PER_MINUTE}/min per token`, perMinute <= RATE_LIMIT_PER_MINUTE);
      }
    }
    const header = ['queues', 'poll', 'metric calls/poll (rule)', 'metric calls/poll (measured)', 'read-backs/min', 'calls/min', `of ${RATE_LIMIT_PER_MINUTE}/min`, 'fits', 'ms/poll (sandbox)'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i])).join('  ');
    console.log(`Genesys API calls per minute for one event's polling, metrics + leading signals + actuator read-backs (client-credentials token limit ${RATE_LIMIT_PER_MINUTE}/min)`);
    console.log(`Read-backs: ${GENESYS_ACTUATOR_READS} actuators (flags row, 2 flows, 1 deployment), ${measuredReadBacks} calls measured per read-back round, at most every ${GENESYS_READ_INTERVAL_SECONDS} s`);
    console.log(line(header));
    console.log(widths.map((w) => '-'.repeat(w)).join('  '));
    for (const r of rows) console.log(line(r));
    console.log('Logins add about 1 call per token lifetime (24 h by default); flow publishes, row writes and the read-back that verifies each happen only on tier changes or drift.');
    console.log(`Cloudflare API calls per minute (KV read-backs every poll; writes only on change), limit ${CLOUDFLARE_LIMIT_PER_MINUTE}/min (1,200 per 5 min per token):`);
    for (const poll of POLL_SECONDS) {
      const perMinute = KV_READS_PER_POLL * (60 / poll);
      console.log(`  ${poll} s polls: ${perMinute.toFixed(0)} calls/min per event, ${((perMinute / CLOUDFLARE_LIMIT_PER_MINUTE) * 100).toFixed(1)} % of the limit`);
      reportFigure(`Cloudflare API calls/min (KV read-backs), ${poll} s polls`, perMinute.toFixed(0), `<= ${CLOUDFLARE_LIMIT_PER_MINUTE}/min per token`, perMinute <= CLOUDFLARE_LIMIT_PER_MINUTE);
    }
  } finally {
    await sandbox.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
