// The workflow-side validation of an event config: the one schema (workflows/config-schema.ts), with no
// defaults. Kept as a function returning `path: message` lines for callers that list problems.
import { parseResolvedEventConfig } from './config-schema';

/** Returns one message per problem, each starting with the path of the field; empty when valid. */
export function validateEventConfig(config: unknown): string[] {
  const result = parseResolvedEventConfig(config);
  return result.ok ? [] : result.problems;
}
