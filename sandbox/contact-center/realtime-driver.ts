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
  /** Called once when untilSimMs is reached. */
  onFinish?: () => void;
}

export interface RealtimeDriver {
  start(): void;
  stop(): void;
  /** Advances to the simulated time the wall clock now maps to; returns it. */
  tick(): number;
  readonly running: boolean;
  readonly finished: boolean;
}

export function createRealtimeDriver(options: RealtimeDriverOptions): RealtimeDriver {
  const { sim, acceleration } = options;
  if (!(acceleration > 0)) throw new RangeError(`acceleration must be > 0 (got ${acceleration})`);
  const clock = options.clock ?? (() => performance.now());
  const tickMs = options.tickMs ?? 100;
  const until = options.untilSimMs ?? Infinity;
  const wallStart = clock();
  const simStart = sim.now();
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
      const target = Math.min(until, simStart + (clock() - wallStart) * acceleration);
      if (target > sim.now()) sim.advanceTo(target);
      options.onTick?.(sim.now());
      if (sim.now() >= until) {
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
  };
  return driver;
}
