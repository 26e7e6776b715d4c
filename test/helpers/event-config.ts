// Event configs for tests: the real parser (so defaults are the playbook's), with small overrides.
import { parseEventConfig, type EventConfigFile } from '../../client/event-config';
import type { EventConfig } from '../../workflows/types';

export const T0 = '2026-11-27T10:00:00.000Z';

export function testEventConfig(overrides: Partial<EventConfigFile> = {}): EventConfig {
  return parseEventConfig({
    eventId: 'test-event',
    name: 'Test event',
    startAt: T0,
    endAt: '2026-11-27T20:00:00.000Z',
    queueIds: ['q-sales', 'q-support'],
    pollIntervalSeconds: 30,
    dataTable: { datatableId: 'dt-surge-flags' },
    ...overrides,
  }, '(test config)', { sandbox: true });
}

/** ISO instant `seconds` after T0. */
export function at(seconds: number): string {
  return new Date(Date.parse(T0) + seconds * 1000).toISOString();
}
