// Genesys API budget of the metrics poll: calls per minute vs queues watched, beside the per-token limit.
// Computed from the chunking rule (one observation query per 100 queues per poll) and confirmed by running
// real polls against the sandbox and reading its request counters.
import { reportFigure } from './table';
import { performance } from 'node:perf_hooks';
import { startGenesysSandbox } from '../sandbox/genesys';
import { sandboxSession } from '../sandbox/genesys/testing';
import { MAX_QUEUES_PER_OBSERVATION_QUERY, createGenesysActivities } from '../activities/genesys';

const QUEUE_COUNTS = [1, 10, 100, 1_000];
const POLL_SECONDS = [10, 30];
const RATE_LIMIT_PER_MINUTE = 300;
const MEASURED_POLLS = 3;
const OBSERVATIONS = 'POST /api/v2/analytics/queues/observations/query';

async function main(): Promise<void> {
  const sandbox = await startGenesysSandbox({ port: 0, rateLimitPerMinute: 100_000 });
  try {
    const genesys = createGenesysActivities(sandboxSession(sandbox));
    const rows: string[][] = [];
    for (const queues of QUEUE_COUNTS) {
      const queueIds = Array.from({ length: queues }, (_, i) => `q-bench-${i}`);
      sandbox.state.addQueues(queueIds.map((id) => ({ id })));
      await genesys.fetchQueueMetrics({ queueIds }); // log in and warm up outside the measurement
      sandbox.state.resetCounters();
      const started = performance.now();
      for (let i = 0; i < MEASURED_POLLS; i++) await genesys.fetchQueueMetrics({ queueIds });
      const msPerPoll = (performance.now() - started) / MEASURED_POLLS;
      const measuredPerPoll = (sandbox.state.readCounters().byRoute[OBSERVATIONS]?.count ?? 0) / MEASURED_POLLS;
      const computedPerPoll = Math.ceil(queues / MAX_QUEUES_PER_OBSERVATION_QUERY);
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
        reportFigure(`Genesys API calls/min, ${queues} queues at ${poll} s polls`, perMinute.toFixed(0), `<= ${RATE_LIMIT_PER_MINUTE}/min per token`, perMinute <= RATE_LIMIT_PER_MINUTE);
      }
    }
    const header = ['queues', 'poll', 'calls/poll (rule)', 'calls/poll (measured)', 'calls/min', `of ${RATE_LIMIT_PER_MINUTE}/min`, 'fits', 'ms/poll (sandbox)'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i])).join('  ');
    console.log(`Genesys API calls per minute for the metrics poll (client-credentials token limit ${RATE_LIMIT_PER_MINUTE}/min)`);
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
