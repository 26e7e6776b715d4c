// The leading rules (`activateEarly`): when a forecast meets one and how one reads in a message. Their
// checks (and those of the `leading` settings) are the one config schema's (workflows/config-schema.ts).
// Pure, no Temporal import.
import type { Forecast, LeadingCondition, LeadingRule } from './types';

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
