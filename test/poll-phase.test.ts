// The per-event poll phase (workflows/poll-phase.ts): stable, inside the interval, spread, and a grid that holds.
import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { pollBatchPhase, pollPhaseOffsetMs, pollSlotAtOrAfter, pollSlotIndex } from '../workflows/poll-phase';

describe('poll phase: events started together do not poll together', () => {
  it('the offset is stable for an event and inside its poll interval', () => {
    assert.equal(pollPhaseOffsetMs('black-friday-2026', 30), pollPhaseOffsetMs('black-friday-2026', 30));
    for (const interval of [5, 10, 30, 300]) {
      for (let i = 0; i < 200; i++) {
        const off = pollPhaseOffsetMs(`ev-${i}`, interval);
        assert.ok(Number.isInteger(off) && off >= 0 && off < interval * 1000, `${off} for interval ${interval}`);
      }
    }
  });

  it('1,000 events starting on the hour spread over the interval: no second of a 10 s interval holds more than twice its share', () => {
    const perSecond = new Array(10).fill(0);
    for (let i = 0; i < 1000; i++) perSecond[Math.floor(pollPhaseOffsetMs(`scale-1000-aligned-${i}`, 10) / 1000)]++;
    for (const n of perSecond) assert.ok(n > 50 && n < 200, `per-second counts ${perSecond.join(',')}`);
  });

  const start = Date.parse('2026-11-27T10:00:00.000Z');
  const cases: { name: string; at: number; want: number }[] = [
    { name: 'before the start: the first slot', at: start - 60_000, want: start + 7_000 },
    { name: 'at the start: the first slot', at: start, want: start + 7_000 },
    { name: 'on a slot: that slot', at: start + 37_000, want: start + 37_000 },
    { name: 'just after a slot: the next one', at: start + 37_001, want: start + 67_000 },
    { name: 'a late poll skips to the grid, never shifts it', at: start + 7_000 + 95_000, want: start + 127_000 },
  ];
  for (const c of cases) {
    it(`slots on start + offset + k x interval: ${c.name}`, () => {
      assert.equal(pollSlotAtOrAfter(c.at, start, 7_000, 30_000), c.want);
    });
  }

  it('slot index: k for start + offset + k x interval, the nearest k off the grid', () => {
    assert.equal(pollSlotIndex(start + 7_000, start, 7_000, 30_000), 0);
    assert.equal(pollSlotIndex(start + 97_000, start, 7_000, 30_000), 3);
    assert.equal(pollSlotIndex(start + 98_000, start, 7_000, 30_000), 3);
  });

  it('batch phase: stable, inside the batch, independent of the poll phase', () => {
    assert.equal(pollBatchPhase('black-friday-2026', 30), pollBatchPhase('black-friday-2026', 30));
    assert.equal(pollBatchPhase('any', 1), 0);
    assert.equal(pollBatchPhase('any', 0), 0);
    // Same poll phase, different batch phases: the two hashes are salted apart.
    const pairs = new Set<string>();
    for (let i = 0; i < 300; i++) {
      const id = `ev-${i}`;
      const b = pollBatchPhase(id, 30);
      assert.ok(Number.isInteger(b) && b >= 0 && b < 30);
      pairs.add(`${Math.floor(pollPhaseOffsetMs(id, 10) / 1000)}:${b}`);
    }
    assert.ok(pairs.size > 150, `only ${pairs.size} (poll second, batch phase) pairs over 300 events: the phases move together`);
  });
});
