// Each event polls on its own phase inside the poll interval (issue 15): at start + offset + k × interval,
// the offset a hash of the event ID. Events that start together (planned events start on the hour) then do
// not all poll at the same instant, so one worker and one server see an even load instead of a burst every
// interval. The grid is fixed by the event's start, so a continue-as-new or a late poll never shifts it.
// Pure: the rules' timing is unchanged (streaks and windows work on sample times; only the first poll moves).

/** FNV-1a (32-bit) of a string: stable across runs, workers and Node versions. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** This event's offset inside the poll interval, in ms: a hash of the event ID (stable across runs and workers). */
export function pollPhaseOffsetMs(eventId: string, pollIntervalSeconds: number): number {
  return fnv1a(eventId) % (pollIntervalSeconds * 1000);
}

/**
 * Which slot index, modulo a full batch (`batchPolls`), this event's batches of polls begin on. Events started
 * together would otherwise hand back their 5-minute batches together, each with a workflow task and a new batch to
 * schedule; on their own phase the hand-backs spread evenly over the batch window. Salted apart from the poll phase
 * so the two spreads are independent.
 */
export function pollBatchPhase(eventId: string, batchPolls: number): number {
  return fnv1a(`${eventId}#poll-batch`) % Math.max(1, batchPolls);
}

/** The index k of a slot on the grid (start + offset + k × interval); the nearest one for an instant off the grid. */
export function pollSlotIndex(slotMs: number, startMs: number, offsetMs: number, intervalMs: number): number {
  return Math.round((slotMs - startMs - offsetMs) / intervalMs);
}

/** The first poll slot (start + offset + k × interval, k ≥ 0) at or after `atMs`. */
export function pollSlotAtOrAfter(atMs: number, startMs: number, offsetMs: number, intervalMs: number): number {
  const first = startMs + offsetMs;
  if (atMs <= first) return first;
  return first + Math.ceil((atMs - first) / intervalMs) * intervalMs;
}
