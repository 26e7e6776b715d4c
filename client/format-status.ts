// The human-readable status table the CLI prints (the dashboard shows the same facts in HTML).
import type { SurgeStatus } from '../workflows/messages';

export function formatStatus(s: SurgeStatus): string {
  const lines: string[] = [];
  lines.push(`${s.name} (${s.eventId})  phase: ${s.phase}${s.dryRun ? '  DRY RUN' : ''}${s.automationPaused ? `  AUTOMATION PAUSED: ${s.pausedReason}` : ''}`);
  lines.push(`window: ${s.startAt} → ${s.endAt}`);
  const sample = s.lastSample;
  lines.push(
    sample === null
      ? 'last sample: none yet'
      : sample.ok
        ? `last sample: ${sample.at}  waiting ${sample.waiting}  agents available ${sample.agentsAvailable}`
        : `last sample: ${sample.at}  FAILED (${failureLabel(sample.failureClass)}): ${sample.error}`,
  );
  const live = s.livePoll;
  if (live && (!sample || Date.parse(live.at) > Date.parse(sample.at))) {
    lines.push(`latest poll: ${live.at}${live.waiting === undefined ? '' : `  waiting ${live.waiting}  agents available ${live.agentsAvailable}`}  (poll ${live.polls} of a batch under way; recorded when it hands back)`);
  }
  lines.push('');
  const rows = s.tiers.map((t) => [
    String(t.tier),
    t.name,
    t.active ? 'ACTIVE' : 'off',
    t.mode,
    t.applied === null ? 'pending' : 'yes',
    t.since,
    t.recommendation ? `RECOMMENDED: ${t.recommendation.action} (${t.recommendation.reason})` : t.reason,
  ]);
  lines.push(...table(['tier', 'name', 'state', 'mode', 'applied', 'since', 'why'], rows));
  if (s.actuators && s.actuators.length > 0) {
    const shown = (a: (typeof s.actuators)[number]) => (a.readError ? `read failed: ${a.readError}` : a.observed === undefined ? 'not read yet' : a.observed === null ? '(absent)' : a.observed);
    lines.push('', ...table(['actuator', 'desired', 'observed', 'state'], s.actuators.map((a) => [a.id, a.desired, shown(a), a.drift ? 'DRIFT (changed outside the controller)' : a.inLine ? 'in line' : 'pending'])));
  }
  if (s.endingFailures && s.endingFailures.length > 0) {
    lines.push('', 'NOT RESTORED at the end (fix by hand):');
    for (const f of s.endingFailures) lines.push(`  ${f.actuator}: ${f.fix}`);
  }
  if (s.transitions.length > 0) {
    lines.push('', 'recent transitions:');
    for (const t of s.transitions.slice(-5)) lines.push(`  ${t.at}  tier ${t.tier} ${t.to ? 'on ' : 'off'}  by ${t.by} (${t.cause}): ${t.reason}`);
  }
  if (s.openAlerts.length > 0) lines.push('', `open alerts: ${s.openAlerts.join(', ')}`);
  return lines.join('\n');
}

export function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.min(60, Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length))));
  const fmt = (cells: string[]) => cells.map((c, i) => (c.length > widths[i]! ? c.slice(0, widths[i]! - 1) + '…' : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [fmt(header), fmt(widths.map((w) => '-'.repeat(w))), ...rows.map(fmt)];
}

/** What a failed poll means for the tiers (workflows/failure-classes.ts); absent in old histories = platform. */
export function failureLabel(failureClass: 'platform' | 'controller' | 'rate-limited' | undefined): string {
  switch (failureClass) {
    case 'controller':
      return 'controller misconfigured: tiers held, not counted toward tier 4; fix the setup named here';
    case 'rate-limited':
      return 'rate-limited: everything held until the limit lifts';
    default:
      return 'platform: counts toward tier 4';
  }
}
