// Genesys API budget of the metrics poll: calls per minute vs queues watched, beside the per-token limit.
// Computed from the chunking rule (one observation query per 100 queues per poll; with the leading signals
// also one conversation-aggregates query per 100 queues and one flow-observation query) and confirmed by
// running real polls against the sandbox and reading its request counters.
import { reportFigure } from './table';
import { performance } from 'node:perf_hooks';
import { startGenesysSandbox } from '../sandbox/genesys';
import { sandboxSession } from '../sandbox/genesys/testing';
import { MAX_QUEUES_PER_OBSERVATION_QUERY, createGenesysActivities } from '../activities/genesys';
import { createLeadingActivities } from '../activities/genesys-leading';

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
    const session = sandboxSession(sandbox);
    const genesys = createGenesysActivities(session);
    const leading = createLeadingActivities(session);
    // One poll as the workflow makes it with `leading` settings: metrics, then (beside them) the leading signals.
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
        const perMinute = computedPerPoll * (60 / poll);
        rows.push([
          String(queues),
          `${poll} s`,
          String(computedPerPoll),
          measuredPerPoll.toFixed(1),
          perMinute.toFixed(0),
          `${((perMinute / RATE_LIMIT_PER_MINUTE) * 100).toFixed(1)} %`,
          perMinute <= RATE_LIMIT_PER_MINUTE ? 'ok' : 'OVER',
          msPerPoll.toFixed(1),
        ]);
        reportFigure(`Genesys API calls/min with leading signals, ${queues} queues at ${poll} s polls`, perMinute.toFixed(0), `<= ${RATE_LIMIT_PER_MINUTE}/min per token`, perMinute <= RATE_LIMIT_PER_MINUTE);
      }
    }
    const header = ['queues', 'poll', 'calls/poll (rule)', 'calls/poll (measured)', 'calls/min', `of ${RATE_LIMIT_PER_MINUTE}/min`, 'fits', 'ms/poll (sandbox)'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i])).join('  ');
    console.log(`Genesys API calls per minute for the metrics poll with the leading signals (queue observations + conversation aggregates per 100 queues, + 1 flow observation; client-credentials token limit ${RATE_LIMIT_PER_MINUTE}/min)`);
    console.log(line(header));
    console.log(widths.map((w) => '-'.repeat(w)).join('  '));
    for (const r of rows) console.log(line(r));
    console.log('Logins add about 1 call per token lifetime (24 h by default); flow publishes and row writes happen only on tier changes.');
  } finally {
    await sandbox.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
