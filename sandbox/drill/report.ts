// The drill's written report (markdown): outcomes with and without the controller, waits, service level,
// each tier's moves against when its rule was met, the API calls used, and a plain verdict.
import { describeRule } from '../../workflows/policy';
import { describeLeadingRule } from '../../workflows/leading-rules';
import { TIER_DESCRIPTIONS } from '../../workflows/tiers';
import type { EventConfig, TierNumber } from '../../workflows/types';
import { DEFLECTION_CHANNELS, type Outcomes } from '../contact-center';
import type { PromiseSummary } from './promises';
import { FLAP_MINUTES, type DrillResult, type RunOutcome } from './run-drill';

const fmt = (m: number | null) => (m === null ? '-' : `min ${m.toFixed(1)}`);
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

export function verdict(result: DrillResult): string {
  const o = result.controller.outcomes;
  const b = result.baseline.outcomes;
  if (result.customerFacingErrors === 0) {
    return `YES: with this config no customer saw an error (0 errored, 0 dropped), against ${b.errored} errored and ${b.dropped} dropped without the controller.`;
  }
  return `NO: with this config ${o.errored} customers got "something went wrong" and ${o.dropped} conversations were dropped (baseline: ${b.errored} errored, ${b.dropped} dropped).`;
}

function forcedTiers(config: EventConfig): TierNumber[] {
  return ([1, 2, 3, 4] as const).filter((t) => config.modes?.[t] === 'on');
}

function outcomeRows(c: Outcomes, b: Outcomes): string[] {
  const row = (name: string, x: number, y: number) => `| ${name} | ${x} | ${y} |`;
  return [
    '| customers | with controller | baseline (no tiers) |',
    '|---|---:|---:|',
    row('arrived', c.arrivals, b.arrivals),
    row('**errored** (bot at its limit)', c.errored, b.errored),
    row('**dropped** (platform connection limit)', c.dropped, b.dropped),
    row('abandoned in queue', c.abandoned, b.abandoned),
    ...DEFLECTION_CHANNELS.map((ch) => row(`deflected: ${ch}`, c.deflected[ch], b.deflected[ch])),
    row('contained by bot', c.containedByBot, b.containedByBot),
    row('served by an agent', c.served, b.served),
    row('still open at the end', c.open, b.open),
  ];
}

function waitRows(c: RunOutcome, b: RunOutcome): string[] {
  const row = (name: string, f: (r: RunOutcome) => string) => `| ${name} | ${f(c)} | ${f(b)} |`;
  return [
    '| waits (served conversations) | with controller | baseline |',
    '|---|---:|---:|',
    row('p50', (r) => `${r.waits.p50Seconds.toFixed(0)} s`),
    row('p90', (r) => `${r.waits.p90Seconds.toFixed(0)} s`),
    row('p99', (r) => `${r.waits.p99Seconds.toFixed(0)} s`),
    row('mean (incl. abandons)', (r) => `${r.waits.meanWaitSeconds.toFixed(0)} s`),
    row(`service level (answered in ${c.waits.serviceLevelTargetSeconds} s)`, (r) => `${pct(r.waits.serviceLevel)} ${r.waits.serviceLevel >= 0.8 ? '(meets 80/20)' : '(misses 80/20)'}`),
    row('peak waiting', (r) => String(Math.max(...r.series.map((s) => s.waiting)))),
  ];
}

export function renderDrillReport(result: DrillResult, chartFile = 'chart.svg'): string {
  const { scenario, config, controller, baseline } = result;
  const forced = forcedTiers(config);
  const lines: string[] = [];
  lines.push(`# Drill: ${scenario.name}`, '');
  lines.push(`${scenario.description}`, '');
  lines.push(`**Would this config have kept customer-facing errors at zero? ${verdict(result)}**`, '');
  if (forced.length > 0) {
    lines.push(
      `Note: tier(s) ${forced.join(', ')} were **pre-armed** (forced on by \`modes\` from the event start at ${fmt((Date.parse(config.startAt) - (Date.parse(config.endAt) - scenario.durationMinutes * 60_000)) / 60_000)}), ` +
        'not switched on by their rules. The result above depends on an operator doing that; the "rule first met" column shows when the rules alone would have acted.',
      '',
    );
  }
  lines.push(`Seed ${result.seed}; ${scenario.durationMinutes} simulated minutes; polls every ${config.pollIntervalSeconds} s; drill took ${(result.elapsedMs / 1000).toFixed(1)} s.`, '');
  lines.push(`![waiting, agents and tiers](${chartFile})`, '');
  lines.push('## Customers', '', ...outcomeRows(controller.outcomes, baseline.outcomes), '');
  lines.push('## Waits', '', ...waitRows(controller, baseline), '');
  lines.push('## Tiers', '');
  lines.push('| tier | rule (activate / restore) | mode | rule first met (activate / restore) | periods live (cause) | flaps |', '|---|---|---|---|---|---:|');
  for (const t of result.tiers) {
    const t4 = config.tiers[4];
    const tc = t.tier === 4 ? null : config.tiers[t.tier];
    const early = tc?.activateEarly ? ` (or early: ${describeLeadingRule(tc.activateEarly, config.leading?.horizonSeconds)})` : '';
    const rule = tc === null ? `${t4.trigger}: ${t4.activate.failedProbes} failed polls / ${t4.restore.healthyProbes} healthy` : `${tc.trigger}: ${describeRule(tc.activate)}${early} / ${describeRule(tc.restore)}`;
    const periods = t.periods.length === 0 ? 'never' : t.periods.map((p) => `${fmt(p.onMinute)} (${p.onCause}) to ${p.offMinute === null ? 'end' : `${fmt(p.offMinute)} (${p.offCause})`}`).join('; ');
    lines.push(`| ${t.tier} ${TIER_DESCRIPTIONS[t.tier].name} | ${rule} | ${config.modes?.[t.tier] ?? 'auto'} | ${fmt(t.activateRuleMetMinute)} / ${fmt(t.restoreRuleMetMinute)} | ${periods} | ${t.flaps} |`);
  }
  lines.push('', `A flap is a tier moving back within ${FLAP_MINUTES} minutes of its previous move. "Rule first met" replays the polls through the lagging rules only (the leading signals are not recorded per poll).`, '');
  const failed = result.polls.filter((p) => !p.ok);
  lines.push('## Polls and API use', '');
  lines.push(`- polls: ${result.polls.length}, failed: ${failed.length}${failed.length > 0 ? ` (minutes ${failed.map((p) => p.minute.toFixed(1)).slice(0, 12).join(', ')}${failed.length > 12 ? ', ...' : ''})` : ''}`);
  lines.push(`- Genesys API requests: ${result.genesysApiCalls.total} (${(result.genesysApiCalls.total / scenario.durationMinutes).toFixed(1)} per simulated minute; the limit is 300 per minute per token)`);
  for (const [route, c] of Object.entries(result.genesysApiCalls.byRoute).sort((a, b) => b[1].count - a[1].count)) {
    lines.push(`  - ${route}: ${c.count} (${Object.entries(c.byStatus).map(([s, n]) => `${s}: ${n}`).join(', ')})`);
  }
  lines.push(`- Cloudflare KV writes: ${result.cloudflareKvWrites}; alert emails: ${result.alertsSent}`, '');
  if (result.promises) lines.push(...promiseLines(result.promises));
  return lines.join('\n');
}

function promiseLines(p: PromiseSummary): string[] {
  const alerts = Object.entries(p.alerts).map(([kind, n]) => `${kind}: ${n}`).join(', ') || 'none';
  return [
    '## Promises', '',
    `Customers who accepted an async follow-up in the simulator: ${p.accepted.email} email, ${p.accepted.callback} callback (callbacks are an agent's promise and are not followed up here). ` +
      `One in every ${p.sampleEvery} email acceptances (capped per drill, to keep it fast) was posted to POST /deflections with a ${p.deadlineMinutes}-minute deadline: ${p.sampled} promises made for real.`,
    '',
    '| sampled promises | count |', '|---|---:|',
    `| made | ${p.sampled} |`,
    `| **kept on time** | ${p.keptOnTime} |`,
    `| kept late | ${p.late} |`,
    `| failed | ${p.failed} |`,
    `| still pending at the end | ${p.stillPending} |`,
    `| not recorded (endpoint refused or failed) | ${p.notRecorded} |`,
    '',
    `Operator alerts raised by the promises: ${alerts}.`,
    ...(p.errors.length > 0 ? ['', 'Endpoint errors (first few):', ...p.errors.map((e) => `- ${e}`)] : []),
    '',
  ];
}
