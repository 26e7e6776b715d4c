// Each event polls on its own phase inside the poll interval (issue 15): at start + offset + k × interval,
// the offset a hash of the event ID. Events that start together (planned events start on the hour) then do
// not all poll at the same instant, so one worker and one server see an even load instead of a burst every
// interval. The grid is fixed by the event's start, so a continue-as-new or a late poll never shifts it.
// Pure: the rules' timing is unchanged (streaks and windows work on sample times; only the first poll moves).

/** This event's offset inside the poll interval, in ms: FNV-1a of the event ID (stable across runs and workers). */
export function pollPhaseOffsetMs(eventId: string, pollIntervalSeconds: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < eventId.length; i++) {
    h ^= eventId.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % (pollIntervalSeconds * 1000);
}

/** The first poll slot (start + offset + k × interval, k ≥ 0) at or after `atMs`. */
export function pollSlotAtOrAfter(atMs: number, startMs: number, offsetMs: number, intervalMs: number): number {
  const first = startMs + offsetMs;
  if (atMs <= first) return first;
  return first + Math.ceil((atMs - first) / intervalMs) * intervalMs;
}
