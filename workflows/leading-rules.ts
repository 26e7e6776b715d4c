// The leading rules (`activateEarly`): when a forecast meets one, how one reads in a message, and the
// semantic checks of the rules and of the `leading` settings. Pure, no Temporal import.
import type { EventConfig, Forecast, LeadingCondition, LeadingConfig, LeadingRule } from './types';

export const LEADING_BOUNDS = ['forecastWaitingAbove', 'arrivalRateAbove', 'botLoadAbove', 'forecastBotLoadAbove'] as const;

/** Every bound given holds (strictly). No forecast, or a bot bound without bot numbers: not met. */
export function meetsLeading(condition: LeadingCondition, forecast: Forecast | null | undefined): boolean {
  if (!forecast) return false;
  const above = (bound: number | undefined, value: number | undefined) => bound === undefined || (value !== undefined && value > bound);
  return (
    above(condition.forecastWaitingAbove, forecast.forecastWaiting) &&
    above(condition.arrivalRateAbove, forecast.arrivalRate) &&
    above(condition.botLoadAbove, forecast.botLoad) &&
    above(condition.forecastBotLoadAbove, forecast.forecastBotLoad)
  );
}

export function describeLeadingRule(rule: LeadingRule, horizonSeconds?: number): string {
  const ahead = horizonSeconds === undefined ? '' : ` in ${horizonSeconds} s`;
  const parts: string[] = [];
  if (rule.forecastWaitingAbove !== undefined) parts.push(`forecast waiting${ahead} > ${rule.forecastWaitingAbove}`);
  if (rule.arrivalRateAbove !== undefined) parts.push(`arrivals > ${rule.arrivalRateAbove}/min`);
  if (rule.botLoadAbove !== undefined) parts.push(`bot load > ${Math.round(rule.botLoadAbove * 100)}%`);
  if (rule.forecastBotLoadAbove !== undefined) parts.push(`forecast bot load${ahead} > ${Math.round(rule.forecastBotLoadAbove * 100)}%`);
  const hold = rule.consecutivePolls !== undefined ? `${rule.consecutivePolls} consecutive polls` : `sustained ${rule.sustainSeconds} s`;
  return `${parts.join(' and ')}, ${hold}`;
}

/** The forecast numbers for a transition's reason. */
export function describeForecast(f: Forecast): string {
  const bot = f.botLoad === undefined ? '' : `, bot load ${pct(f.botLoad)} (forecast ${pct(f.forecastBotLoad ?? f.botLoad)})`;
  return `arrivals ${f.arrivalRate}/min, capacity ${f.capacityPerMinute}/min, forecast waiting ${f.forecastWaiting} in ${f.horizonSeconds} s${bot}`;
}

const pct = (x: number) => `${Math.round(x * 100)}%`;

type Add = (path: string, message: string) => void;

/** Checks `leading` and every `tiers.N.activateEarly`, naming the field. */
export function validateLeading(config: EventConfig, add: Add): void {
  const leading = config.leading;
  if (leading !== undefined) validateLeadingConfig(leading, add);
  for (const t of [1, 2, 3] as const) {
    const rule = config.tiers?.[t]?.activateEarly;
    if (rule === undefined) continue;
    const path = `tiers.${t}.activateEarly`;
    if (!leading) add(path, 'needs the `leading` settings (horizon, window, agent concurrency, handle time) to compute a forecast');
    validateLeadingRule(rule, path, config.pollIntervalSeconds, add);
    const usesBot = rule.botLoadAbove !== undefined || rule.forecastBotLoadAbove !== undefined;
    if (usesBot && leading && (!leading.botFlowId || !leading.botConcurrencyLimit)) {
      add(path, 'botLoadAbove / forecastBotLoadAbove need leading.botFlowId and leading.botConcurrencyLimit');
    }
  }
}

function validateLeadingRule(rule: LeadingRule, path: string, pollSeconds: number, add: Add): void {
  if (typeof rule !== 'object' || rule === null) return add(path, 'must be an object');
  const given = LEADING_BOUNDS.filter((b) => rule[b] !== undefined);
  if (given.length === 0) add(path, `needs at least one of ${LEADING_BOUNDS.join(', ')}`);
  for (const b of given) {
    const v = rule[b];
    if (!(typeof v === 'number' && Number.isFinite(v) && v >= 0)) add(`${path}.${b}`, 'must be a number >= 0');
  }
  // A load is a fraction of the limit: 90 would never be met and is surely meant as 0.9.
  for (const b of ['botLoadAbove', 'forecastBotLoadAbove'] as const) {
    const v = rule[b];
    if (typeof v === 'number' && v > 5) add(`${path}.${b}`, `is a fraction of the bot's limit (0.9 = 90%); ${v} could never be met`);
  }
  const hasSustain = rule.sustainSeconds !== undefined;
  const hasPolls = rule.consecutivePolls !== undefined;
  if (hasSustain === hasPolls) return add(path, 'needs exactly one of sustainSeconds or consecutivePolls');
  if (hasPolls) {
    if (!(typeof rule.consecutivePolls === 'number' && Number.isInteger(rule.consecutivePolls) && rule.consecutivePolls >= 1)) {
      add(`${path}.consecutivePolls`, `must be a whole number >= 1, got ${JSON.stringify(rule.consecutivePolls)}`);
    }
    return;
  }
  const s = rule.sustainSeconds;
  if (!(typeof s === 'number' && Number.isFinite(s) && s > 0)) return add(`${path}.sustainSeconds`, `must be a number > 0, got ${JSON.stringify(s)}`);
  if (typeof pollSeconds === 'number' && s < pollSeconds) add(`${path}.sustainSeconds`, `${s} s is shorter than pollIntervalSeconds (${pollSeconds} s), so no window could be covered by samples`);
}

function validateLeadingConfig(leading: LeadingConfig, add: Add): void {
  const positive = (v: unknown, path: string) => {
    if (!(typeof v === 'number' && Number.isFinite(v) && v > 0)) add(path, `must be a number > 0, got ${JSON.stringify(v)}`);
  };
  positive(leading.horizonSeconds, 'leading.horizonSeconds');
  if (typeof leading.horizonSeconds === 'number' && leading.horizonSeconds > 3600) add('leading.horizonSeconds', 'at most 3600: a forecast further out than an hour is a guess');
  const w = leading.arrivalWindowSeconds;
  if (!(typeof w === 'number' && Number.isInteger(w / 60) && w >= 120 && w <= 900)) {
    add('leading.arrivalWindowSeconds', `must be whole minutes from 120 to 900 (the rate and its trend are read per minute), got ${JSON.stringify(w)}`);
  }
  positive(leading.agentConcurrency, 'leading.agentConcurrency');
  positive(leading.handleTimeSeconds, 'leading.handleTimeSeconds');
  if (leading.patienceSeconds !== undefined) positive(leading.patienceSeconds, 'leading.patienceSeconds');
  if ((leading.botFlowId === undefined) !== (leading.botConcurrencyLimit === undefined)) {
    add('leading', 'botFlowId and botConcurrencyLimit go together (the bot load is sessions in that flow over that limit)');
  }
  if (leading.botFlowId !== undefined && (typeof leading.botFlowId !== 'string' || leading.botFlowId.trim() === '')) add('leading.botFlowId', 'must be a non-empty flow ID');
  if (leading.botConcurrencyLimit !== undefined && !(Number.isInteger(leading.botConcurrencyLimit) && leading.botConcurrencyLimit >= 1)) {
    add('leading.botConcurrencyLimit', `must be a whole number >= 1, got ${JSON.stringify(leading.botConcurrencyLimit)}`);
  }
}
