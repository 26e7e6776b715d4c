// Turns a finished run into a compact, printable summary (for drills, the CLI script and tuning).
import type { ContactCenter } from './simulator';

export interface RunSummary {
  simulatedMinutes: number;
  outcomes: ReturnType<ContactCenter['outcomes']>;
  waits: ReturnType<ContactCenter['waitStats']>;
  peakWaiting: number;
  peakOpenConversations: number;
  minAgentsIdle: number;
  /** Minutes during which each tier was active (as read from the controls). */
  tierMinutes: Record<1 | 2 | 3 | 4, number>;
  eventsProcessed: number;
}

export function summarise(sim: ContactCenter): RunSummary {
  const series = sim.timeSeries();
  const tierMinutes = { 1: 0, 2: 0, 3: 0, 4: 0 };
  for (const s of series.slice(1)) for (const t of s.activeTiers) tierMinutes[t as 1 | 2 | 3 | 4]++;
  return {
    simulatedMinutes: sim.now() / 60_000,
    outcomes: sim.outcomes(),
    waits: sim.waitStats(),
    peakWaiting: Math.max(...series.map((s) => s.waiting)),
    peakOpenConversations: Math.max(...series.map((s) => s.openConversations)),
    minAgentsIdle: Math.min(...series.map((s) => s.agentsIdle)),
    tierMinutes,
    eventsProcessed: sim.eventsProcessed(),
  };
}
