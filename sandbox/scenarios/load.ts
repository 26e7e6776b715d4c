// Reads and validates scenario files. Errors name the file and the field, e.g.
// `scenario flash-sale-10x.json: queues.0.share: Too big: expected number to be <=1`.
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { scenarioSchema, type ApiFault, type Scenario } from './schema';

export const SCENARIOS_DIR = __dirname;

export class ScenarioError extends Error {
  override name = 'ScenarioError';
}

/** Validates parsed JSON; `source` names it in errors. */
export function parseScenario(data: unknown, source = 'scenario'): Scenario {
  const result = scenarioSchema.safeParse(data);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : '(root)'}: ${i.message}`);
    throw new ScenarioError(`${source} is invalid:\n  ${lines.join('\n  ')}`);
  }
  return result.data;
}

/** A bare name (`flash-sale-10x`) is looked up in sandbox/scenarios/; anything else is a path. */
export function loadScenario(nameOrPath: string): Scenario {
  const file = /[/\\]|\.json$/.test(nameOrPath) ? path.resolve(nameOrPath) : path.join(SCENARIOS_DIR, `${nameOrPath}.json`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ScenarioError(`scenario ${nameOrPath}: cannot read ${file}: ${(err as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new ScenarioError(`scenario ${path.basename(file)}: not valid JSON: ${(err as Error).message}`);
  }
  return parseScenario(data, `scenario ${path.basename(file)}`);
}

export function listScenarios(): string[] {
  return readdirSync(SCENARIOS_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

/** The API faults in force at a simulated minute (for the stack to apply to the Genesys sandbox). */
export function activeApiFaults(scenario: Scenario, atMinute: number): ApiFault[] {
  return scenario.apiFaults.filter((f) => atMinute >= f.fromMinute && atMinute < f.toMinute);
}
