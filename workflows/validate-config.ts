// Semantic checks of an event config, run by the CLI before starting and by the workflow on start,
// so a config that would flap, never fire or fight itself is refused with the field named.
import { validateLeading } from './leading-rules';
import type { ActuatorConfig, EventConfig, MetricCondition, MetricRule } from './types';

const TIER_KEYS = ['1', '2', '3', '4'];
const EVENT_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** Returns one message per problem, each starting with the path of the field; empty when valid. */
export function validateEventConfig(config: EventConfig): string[] {
  const errors: string[] = [];
  const add = (path: string, message: string) => errors.push(`${path}: ${message}`);

  if (!EVENT_ID.test(config.eventId ?? '')) add('eventId', 'must be 1-63 lowercase letters, digits or dashes, starting with a letter or digit');
  const start = Date.parse(config.startAt);
  const end = Date.parse(config.endAt);
  if (Number.isNaN(start)) add('startAt', `not an ISO 8601 instant: ${JSON.stringify(config.startAt)}`);
  if (Number.isNaN(end)) add('endAt', `not an ISO 8601 instant: ${JSON.stringify(config.endAt)}`);
  if (!Number.isNaN(start) && !Number.isNaN(end) && end <= start) add('endAt', 'must be after startAt');
  if (!Array.isArray(config.queueIds) || config.queueIds.length === 0) add('queueIds', 'at least one queue ID is required');
  positive(config.pollIntervalSeconds, 'pollIntervalSeconds', add);
  positive(config.staleAfterSeconds, 'staleAfterSeconds', add);

  for (const key of Object.keys(config.tiers ?? {})) if (!TIER_KEYS.includes(key)) add(`tiers.${key}`, 'unknown tier (tiers are 1, 2, 3 and 4)');
  for (const key of Object.keys(config.actuators ?? {})) if (!TIER_KEYS.includes(key)) add(`actuators.${key}`, 'unknown tier (tiers are 1, 2, 3 and 4)');
  for (const key of Object.keys(config.modes ?? {})) if (!TIER_KEYS.includes(key)) add(`modes.${key}`, 'unknown tier (tiers are 1, 2, 3 and 4)');

  for (const t of [1, 2, 3] as const) {
    const tier = config.tiers?.[t];
    if (!tier) {
      add(`tiers.${t}`, 'missing');
      continue;
    }
    validateRule(tier.activate, `tiers.${t}.activate`, config.pollIntervalSeconds, add);
    validateRule(tier.restore, `tiers.${t}.restore`, config.pollIntervalSeconds, add);
    const overlap = tier.activate && tier.restore ? overlapExample(tier.activate, tier.restore) : null;
    if (overlap) {
      add(`tiers.${t}.restore`, `overlaps tiers.${t}.activate (${overlap} meets both), so the tier would flap; restore must exclude every sample that activates`);
    }
  }
  const t4 = config.tiers?.[4];
  if (!t4) add('tiers.4', 'missing');
  else {
    positiveInteger(t4.activateAfterFailedProbes, 'tiers.4.activateAfterFailedProbes', add);
    positiveInteger(t4.restoreAfterHealthyProbes, 'tiers.4.restoreAfterHealthyProbes', add);
  }

  validateLeading(config, add);
  validateActuators(config, add);
  if (!Array.isArray(config.alerts?.recipients)) add('alerts.recipients', 'must be a list of email addresses');
  else config.alerts.recipients.forEach((r, i) => {
    if (!/^[^\s@<>]+@[^\s@<>]+$/.test(r)) add(`alerts.recipients.${i}`, `not an email address: ${JSON.stringify(r)}`);
  });
  return errors;
}

function validateRule(rule: MetricRule | undefined, path: string, pollSeconds: number, add: (p: string, m: string) => void): void {
  if (!rule) return add(path, 'missing');
  const bounds = ['waitingAbove', 'waitingBelow', 'agentsAvailableAbove', 'agentsAvailableBelow'] as const;
  if (bounds.every((b) => rule[b] === undefined)) add(path, `needs at least one of ${bounds.join(', ')}`);
  for (const b of bounds) {
    const v = rule[b];
    if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v) && v >= 0)) add(`${path}.${b}`, 'must be a number >= 0');
  }
  const hasSustain = rule.sustainSeconds !== undefined;
  const hasPolls = rule.consecutivePolls !== undefined;
  if (hasSustain === hasPolls) return add(path, 'needs exactly one of sustainSeconds or consecutivePolls');
  if (hasPolls) return positiveInteger(rule.consecutivePolls, `${path}.consecutivePolls`, add);
  if (positive(rule.sustainSeconds, `${path}.sustainSeconds`, add) && typeof pollSeconds === 'number' && (rule.sustainSeconds as number) < pollSeconds) {
    add(`${path}.sustainSeconds`, `${rule.sustainSeconds} s is shorter than pollIntervalSeconds (${pollSeconds} s), so no window could be covered by samples`);
  }
}

function validateActuators(config: EventConfig, add: (p: string, m: string) => void): void {
  const flowOwner = new Map<string, string>();
  for (const t of [1, 2, 3, 4] as const) {
    const list: ActuatorConfig[] | undefined = config.actuators?.[t];
    if (!Array.isArray(list)) {
      add(`actuators.${t}`, 'must be a list (may be empty)');
      continue;
    }
    list.forEach((a, i) => {
      const path = `actuators.${t}.${i}`;
      switch (a?.kind) {
        case 'flowVersion':
          if (!a.flowId) add(`${path}.flowId`, 'required');
          if (!a.surgeVersion) add(`${path}.surgeVersion`, 'required');
          if (!a.normalVersion) add(`${path}.normalVersion`, 'required');
          if (a.surgeVersion && a.surgeVersion === a.normalVersion) add(`${path}.surgeVersion`, 'must differ from normalVersion');
          // Two tiers publishing versions of one flow would undo each other.
          if (a.flowId && flowOwner.has(a.flowId)) add(`${path}.flowId`, `flow ${a.flowId} is already driven by ${flowOwner.get(a.flowId)}`);
          else if (a.flowId) flowOwner.set(a.flowId, path);
          break;
        case 'dataTableFlag':
          if (!config.dataTable?.datatableId) add(`${path}`, 'dataTableFlag needs dataTable.datatableId');
          break;
        case 'edgeFlag':
          if (a.key !== 'chat_surge_active' && a.key !== 'chat_fallback_active') add(`${path}.key`, 'must be chat_surge_active or chat_fallback_active');
          break;
        case 'messengerDeployment':
          if (!a.deploymentId) add(`${path}.deploymentId`, 'required');
          if (!a.surgeConfigurationVersion) add(`${path}.surgeConfigurationVersion`, 'required');
          if (!a.normalConfigurationVersion) add(`${path}.normalConfigurationVersion`, 'required');
          break;
        default:
          add(`${path}.kind`, `unknown actuator ${JSON.stringify((a as { kind?: unknown })?.kind)} (flowVersion, dataTableFlag, edgeFlag, messengerDeployment)`);
      }
    });
  }
  if (config.dataTable && (!config.dataTable.datatableId || !config.dataTable.rowKey)) add('dataTable', 'needs datatableId and rowKey');
}

/** A sample (waiting, agents) meeting both conditions, or null when they exclude each other. Counts are integers. */
function overlapExample(a: MetricCondition, b: MetricCondition): string | null {
  const range = (above?: number, below?: number) => ({ lo: above === undefined ? 0 : Math.floor(above) + 1, hi: below === undefined ? Infinity : Math.ceil(below) - 1 });
  const intersect = (x: { lo: number; hi: number }, y: { lo: number; hi: number }) => ({ lo: Math.max(x.lo, y.lo), hi: Math.min(x.hi, y.hi) });
  const waiting = intersect(range(a.waitingAbove, a.waitingBelow), range(b.waitingAbove, b.waitingBelow));
  const agents = intersect(range(a.agentsAvailableAbove, a.agentsAvailableBelow), range(b.agentsAvailableAbove, b.agentsAvailableBelow));
  if (waiting.lo > waiting.hi || agents.lo > agents.hi) return null;
  return `waiting ${waiting.lo}, agents available ${agents.lo}`;
}

function positive(value: unknown, path: string, add: (p: string, m: string) => void): boolean {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return true;
  add(path, `must be a number > 0, got ${JSON.stringify(value)}`);
  return false;
}

function positiveInteger(value: unknown, path: string, add: (p: string, m: string) => void): void {
  if (!(typeof value === 'number' && Number.isInteger(value) && value >= 1)) add(path, `must be a whole number >= 1, got ${JSON.stringify(value)}`);
}
