// preEventCheck: the day before an event (or on demand), exercise every lever the event's controller will
// pull, harmlessly, and report. ID `pre-event-check-<eventId>`. Each check is its own activity, so each
// result is in the history; the running tally is in the UI's current details and the `result` query, and
// the summary goes to the event's recipients by email. The workflow completes with the report; failed
// checks do not fail the workflow (the report is the product).
import { ActivityFailure, ApplicationFailure, defineQuery, log, proxyActivities, setCurrentDetails, setHandler, workflowInfo } from '@temporalio/workflow';
import type { SurgeActivities } from '../activities';
import type { ReadinessActivities, ReadinessResult } from '../activities/readiness';
import type { EventConfig } from './types';

export type { ReadinessResult } from '../activities/readiness';

/** How long before the event's start the automatic check runs, unless configured otherwise. */
export const DEFAULT_CHECK_LEAD_TIME_MS = 24 * 60 * 60 * 1000;

export function preEventCheckWorkflowId(eventId: string): string {
  return `pre-event-check-${eventId}`;
}

export interface PreEventCheckInput {
  config: EventConfig;
  /** The static fallback page as customers reach it; its cache state is checked when given. */
  fallbackPageUrl?: string;
}

export interface ReadinessReport {
  eventId: string;
  eventName: string;
  /** False while checks are still running (a `result` query mid-run). */
  complete: boolean;
  ok: boolean;
  checkedAt: string;
  results: ReadinessResult[];
  failures: ReadinessResult[];
  /** Message ID of the summary email, or why none was sent. */
  email: { sent: true; messageId: string } | { sent: false; reason: string } | null;
}

export const resultQuery = defineQuery<ReadinessReport>('result');

/** One check to run: which activity, with what input. Pure, so the CLI runs exactly the workflow's list. */
export type PlannedCheck =
  | { activity: 'checkGenesysCredentials'; input: undefined }
  | { activity: 'checkQueues'; input: { queueIds: string[] } }
  | { activity: 'checkFlowVersions'; input: { flowId: string; surgeVersion: string; normalVersion: string; tiers: number[] } }
  | { activity: 'checkFlagsTable'; input: { datatableId: string; rowKey: string } }
  | { activity: 'checkKvWritable'; input: undefined }
  | { activity: 'checkFallbackPage'; input: { url: string } }
  | { activity: 'checkSmtp'; input: undefined };

/** The levers this event's config actually uses, each once. */
export function planReadinessChecks(input: PreEventCheckInput): PlannedCheck[] {
  const { config } = input;
  const actuators = ([1, 2, 3, 4] as const).flatMap((tier) => config.actuators[tier].map((a) => ({ tier, a })));
  const plan: PlannedCheck[] = [
    { activity: 'checkGenesysCredentials', input: undefined },
    { activity: 'checkQueues', input: { queueIds: config.queueIds } },
  ];
  // A flow serving several tiers with the same versions is checked once, naming every tier.
  const flows = new Map<string, { flowId: string; surgeVersion: string; normalVersion: string; tiers: number[] }>();
  for (const { tier, a } of actuators) {
    if (a.kind !== 'flowVersion') continue;
    const id = `${a.flowId}\u0000${a.surgeVersion}\u0000${a.normalVersion}`;
    const entry = flows.get(id) ?? { flowId: a.flowId, surgeVersion: a.surgeVersion, normalVersion: a.normalVersion, tiers: [] };
    if (!entry.tiers.includes(tier)) entry.tiers.push(tier);
    flows.set(id, entry);
  }
  for (const input of flows.values()) plan.push({ activity: 'checkFlowVersions', input });
  if (config.dataTable) plan.push({ activity: 'checkFlagsTable', input: { datatableId: config.dataTable.datatableId, rowKey: config.dataTable.rowKey } });
  if (actuators.some(({ a }) => a.kind === 'edgeFlag')) plan.push({ activity: 'checkKvWritable', input: undefined });
  if (input.fallbackPageUrl) plan.push({ activity: 'checkFallbackPage', input: { url: input.fallbackPageUrl } });
  plan.push({ activity: 'checkSmtp', input: undefined });
  return plan;
}

/** When the automatic check should start, relative to `nowMs`: null when that moment has passed. */
export function preEventCheckStartDelayMs(config: EventConfig, nowMs: number, leadTimeMs = DEFAULT_CHECK_LEAD_TIME_MS): number | null {
  const delay = Date.parse(config.startAt) - leadTimeMs - nowMs;
  return delay > 0 ? delay : null;
}

/** One PASS/FAIL line per check, then the fix under each failure: the email body and the CLI's output. */
export function formatReadinessReport(report: Pick<ReadinessReport, 'results'>): string {
  return report.results
    .map((r) => `${r.ok ? 'PASS' : 'FAIL'}  ${r.check}: ${r.detail}${r.fix ? `\n      fix: ${r.fix}` : ''}`)
    .join('\n');
}

export function readinessHeadline(report: Pick<ReadinessReport, 'eventName' | 'results' | 'failures'>): string {
  return report.failures.length === 0
    ? `readiness check for ${report.eventName}: all ${report.results.length} checks passed`
    : `readiness check for ${report.eventName}: ${report.failures.length} of ${report.results.length} checks FAILED (${report.failures.map((f) => f.check).join('; ')})`;
}

type CheckActivities = Pick<ReadinessActivities, PlannedCheck['activity']>;

// Each check catches the lever's own failures and returns them; retries here cover only the worker side
// (a lost attempt, a crash), so a dead platform answers within seconds instead of hanging the report.
const checks = proxyActivities<CheckActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2s', maximumAttempts: 3 },
});
const { sendAlert } = proxyActivities<Pick<SurgeActivities, 'sendAlert'>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '5s', backoffCoefficient: 2, maximumAttempts: 4 },
});

function runPlanned(check: PlannedCheck): Promise<ReadinessResult> {
  switch (check.activity) {
    case 'checkQueues':
      return checks.checkQueues(check.input);
    case 'checkFlowVersions':
      return checks.checkFlowVersions(check.input);
    case 'checkFlagsTable':
      return checks.checkFlagsTable(check.input);
    case 'checkFallbackPage':
      return checks.checkFallbackPage(check.input);
    default:
      return checks[check.activity]();
  }
}

/** The name a failed activity is reported under (the activity never ran to say it itself). */
function checkName(check: PlannedCheck): string {
  switch (check.activity) {
    case 'checkFlowVersions':
      return `flow ${check.input.flowId} (tier ${check.input.tiers.join(', ')})`;
    case 'checkFlagsTable':
      return `data table ${check.input.datatableId}`;
    default:
      return check.activity;
  }
}

export async function preEventCheck(input: PreEventCheckInput): Promise<ReadinessReport> {
  const { config } = input;
  if (!config?.eventId) throw ApplicationFailure.nonRetryable('preEventCheck needs { config: EventConfig } with an eventId', 'InvalidInput');
  const plan = planReadinessChecks(input);
  const report: ReadinessReport = {
    eventId: config.eventId,
    eventName: config.name,
    complete: false,
    ok: false,
    checkedAt: new Date().toISOString(),
    results: [],
    failures: [],
    email: null,
  };
  setHandler(resultQuery, () => report);
  setCurrentDetails(`checking ${plan.length} levers for ${config.name}`);

  for (const check of plan) {
    let result: ReadinessResult;
    try {
      result = await runPlanned(check);
    } catch (err) {
      const cause = err instanceof ActivityFailure && err.cause ? err.cause.message : (err as Error).message;
      result = { check: checkName(check), ok: false, detail: `the check itself failed: ${cause}`, fix: `see the worker's log; is a worker with the readiness activities polling ${workflowInfo().taskQueue}?` };
    }
    report.results.push(result);
    if (!result.ok) report.failures.push(result);
    setCurrentDetails(`**${report.failures.length === 0 ? 'passing' : `${report.failures.length} failing`}** (${report.results.length}/${plan.length} checked)\n\n${formatReadinessReport(report)}`);
  }
  report.ok = report.failures.length === 0;
  report.complete = true;
  const headline = readinessHeadline(report);
  setCurrentDetails(`${headline}\n\n${formatReadinessReport(report)}`);

  if (config.alerts.recipients.length === 0) {
    report.email = { sent: false, reason: 'the event config has no alerts.recipients' };
  } else {
    try {
      const { messageId } = await sendAlert({
        eventId: config.eventId,
        eventName: config.name,
        kind: 'event',
        subject: headline,
        body: `${formatReadinessReport(report)}\n\nEvent starts ${config.startAt}. Workflow ${workflowInfo().workflowId}.`,
        recipients: config.alerts.recipients,
        ...(config.alerts.dashboardUrl ? { dashboardUrl: config.alerts.dashboardUrl } : {}),
        ...(config.alerts.temporalUiUrl ? { temporalUiUrl: config.alerts.temporalUiUrl } : {}),
      });
      report.email = { sent: true, messageId };
    } catch (err) {
      const cause = err instanceof ActivityFailure && err.cause ? err.cause.message : (err as Error).message;
      log.warn('readiness summary email not sent', { error: cause });
      report.email = { sent: false, reason: cause };
    }
  }
  return report;
}
