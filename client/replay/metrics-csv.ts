// Reads a recorded queue series for `surge replay`: a CSV with a header naming `timestamp`, `waiting` and
// `agents` (or `agentsAvailable`) columns, one poll per line. A row with waiting and agents both empty is
// a failed poll (it counts toward tier 4, as it would have live). Errors name the line and the column.
// Optional columns feed the leading rules: `agentsOnQueue`, `interacting`, `offeredPerMinute`,
// `offeredTrendPerMinute` and `botSessions` (a row with offeredPerMinute empty has no leading signals).
import type { ReplaySample } from './replay';

export class MetricsCsvError extends Error {
  override name = 'MetricsCsvError';
}

export function parseMetricsCsv(text: string, source = 'metrics CSV'): ReplaySample[] {
  const lines = text.split(/\r?\n/).map((l, i) => ({ no: i + 1, text: l.trim() })).filter((l) => l.text !== '' && !l.text.startsWith('#'));
  if (lines.length === 0) throw new MetricsCsvError(`${source}: empty (expected a header "timestamp,waiting,agents" and one line per poll)`);
  const header = lines[0].text.split(',').map((h) => h.trim().toLowerCase());
  const col = (...names: string[]) => header.findIndex((h) => names.includes(h));
  const iTime = col('timestamp', 'time', 'at');
  const iWaiting = col('waiting');
  const iAgents = col('agents', 'agentsavailable', 'agents_available');
  const iOnQueue = col('agentsonqueue');
  const iInteracting = col('interacting');
  const iOffered = col('offeredperminute');
  const iTrend = col('offeredtrendperminute');
  const iBot = col('botsessions');
  if (iOffered < 0 && (iTrend >= 0 || iBot >= 0)) throw new MetricsCsvError(`${source} line ${lines[0].no}: offeredTrendPerMinute and botSessions need an offeredPerMinute column`);
  const missing = [iTime < 0 && 'timestamp', iWaiting < 0 && 'waiting', iAgents < 0 && 'agents'].filter(Boolean);
  if (missing.length > 0) throw new MetricsCsvError(`${source} line ${lines[0].no}: the header has no ${missing.join(', ')} column (got "${lines[0].text}")`);
  const samples: ReplaySample[] = [];
  for (const line of lines.slice(1)) {
    const cells = line.text.split(',').map((c) => c.trim());
    const where = `${source} line ${line.no}`;
    const atMs = Date.parse(cells[iTime] ?? '');
    if (Number.isNaN(atMs)) throw new MetricsCsvError(`${where}: timestamp "${cells[iTime] ?? ''}" is not an ISO 8601 instant`);
    const [w, a] = [cells[iWaiting] ?? '', cells[iAgents] ?? ''];
    if (w === '' && a === '') {
      samples.push({ atMs, ok: false, error: 'no sample recorded (failed poll)' });
      continue;
    }
    const count = (raw: string, name: string) => {
      const n = Number(raw);
      if (raw === '' || !Number.isInteger(n) || n < 0) throw new MetricsCsvError(`${where}: ${name} "${raw}" is not a non-negative whole number`);
      return n;
    };
    const optional = (i: number, name: string, parse: (raw: string, name: string) => number) => (i < 0 || (cells[i] ?? '') === '' ? undefined : parse(cells[i], name));
    const number = (raw: string, name: string) => {
      const n = Number(raw);
      if (!Number.isFinite(n)) throw new MetricsCsvError(`${where}: ${name} "${raw}" is not a number`);
      return n;
    };
    const rate = (raw: string, name: string) => {
      const n = number(raw, name);
      if (n < 0) throw new MetricsCsvError(`${where}: ${name} "${raw}" is negative`);
      return n;
    };
    const onQueue = optional(iOnQueue, 'agentsOnQueue', count);
    const interacting = optional(iInteracting, 'interacting', count);
    const offered = optional(iOffered, 'offeredPerMinute', rate);
    const bot = optional(iBot, 'botSessions', count);
    samples.push({
      atMs,
      ok: true,
      waiting: count(w, 'waiting'),
      agentsAvailable: count(a, 'agents'),
      ...(onQueue === undefined ? {} : { agentsOnQueue: onQueue }),
      ...(interacting === undefined ? {} : { interacting }),
      ...(offered === undefined
        ? {}
        : { leading: { offeredPerMinute: offered, offeredTrendPerMinute: optional(iTrend, 'offeredTrendPerMinute', number) ?? 0, ...(bot === undefined ? {} : { botSessions: bot }) } }),
    });
  }
  for (let i = 1; i < samples.length; i++) {
    if (samples[i].atMs <= samples[i - 1].atMs) throw new MetricsCsvError(`${source}: timestamps must increase (row ${i + 1} is not after row ${i})`);
  }
  return samples;
}
