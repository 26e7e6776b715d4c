// Maps wall-clock time to simulated time with an acceleration factor (60x: an hour of scenario a minute),
// for the local stack and drills. The simulation itself stays a pure function of simulated time; only how
// fast we walk through it depends on the wall clock.

export interface Advanceable {
  advanceTo(simTimeMs: number): void;
  now(): number;
}

export interface RealtimeDriverOptions {
  sim: Advanceable;
  /** Simulated ms per wall-clock ms. */
  acceleration: number;
  /** How often to advance (wall ms); every tick runs all events due. */
  tickMs?: number;
  /** Stop advancing here (usually the scenario's duration). */
  untilSimMs?: number;
  /** Wall clock in ms; injectable for tests. */
  clock?: () => number;
  onTick?: (simTimeMs: number) => void;
  /** Called once when untilSimMs is reached (never with `loop`). */
  onFinish?: () => void;
  /**
   * Repeat the scenario: when untilSimMs is reached, the simulator this returns takes over at its minute 0
   * and the driver carries on (the scenario's clock restarts, the wall clock does not stop). `cycle` counts
   * from 1 for the first repeat. Without it the driver finishes at untilSimMs.
   */
  loop?: (cycle: number) => Advanceable;
}

export interface RealtimeDriver {
  start(): void;
  stop(): void;
  /** Advances to the simulated time the wall clock now maps to; returns it. */
  tick(): number;
  readonly running: boolean;
  readonly finished: boolean;
  /** How many times the scenario has restarted (0 in the first run through it). */
  readonly cycle: number;
}

export function createRealtimeDriver(options: RealtimeDriverOptions): RealtimeDriver {
  const { acceleration } = options;
  if (!(acceleration > 0)) throw new RangeError(`acceleration must be > 0 (got ${acceleration})`);
  const clock = options.clock ?? (() => performance.now());
  const tickMs = options.tickMs ?? 100;
  const until = options.untilSimMs ?? Infinity;
  const loop = options.loop;
  if (loop && !(until > 0 && Number.isFinite(until))) throw new RangeError(`loop needs a finite untilSimMs > 0 (got ${until})`);
  const wallStart = clock();
  let sim = options.sim;
  const simStart = sim.now();
  let cycle = 0;
  let timer: NodeJS.Timeout | undefined;
  let finished = false;

  const driver: RealtimeDriver = {
    start() {
      if (timer || finished) return;
      timer = setInterval(() => driver.tick(), tickMs);
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
    tick() {
      if (finished) return sim.now();
      const elapsed = simStart + (clock() - wallStart) * acceleration;
      if (loop) {
        // Whole cycles since the driver started; a fresh simulator for a new one (a stalled process that
        // slept through several cycles skips them rather than replaying them).
        const due = Math.floor(elapsed / until);
        if (due > cycle) {
          sim = loop(due);
          cycle = due;
        }
      }
      const target = Math.min(until, loop ? elapsed - cycle * until : elapsed);
      if (target > sim.now()) sim.advanceTo(target);
      options.onTick?.(sim.now());
      if (!loop && sim.now() >= until) {
        finished = true;
        driver.stop();
        options.onFinish?.();
      }
      return sim.now();
    },
    get running() {
      return timer !== undefined;
    },
    get finished() {
      return finished;
    },
    get cycle() {
      return cycle;
    },
  };
  return driver;
}
