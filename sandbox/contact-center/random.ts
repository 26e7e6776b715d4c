// Seeded randomness: the simulation must replay exactly for a seed, so nothing here touches Math.random.
// sfc32 (Chris Doty-Humphrey's small fast counting generator) seeded through splitmix32: 128-bit state,
// passes PractRand far beyond what a simulation run draws, a handful of integer ops per number.

export interface Random {
  /** Uniform on [0, 1). */
  next(): number;
  /** Exponential with the given mean. */
  exponential(mean: number): number;
  /** Lognormal with the given mean and coefficient of variation (sd / mean). */
  lognormal(mean: number, cv: number): number;
  bernoulli(p: number): boolean;
}

function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export function createRandom(seed: number): Random {
  const init = splitmix32(seed);
  let a = init();
  let b = init();
  let c = init();
  let d = init();
  const TWO_TO_32 = 4294967296;

  function next(): number {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / TWO_TO_32;
  }
  for (let i = 0; i < 12; i++) next(); // discard the first outputs, as the sfc32 reference does

  let spareNormal: number | null = null;
  function standardNormal(): number {
    if (spareNormal !== null) {
      const z = spareNormal;
      spareNormal = null;
      return z;
    }
    // Box-Muller; 1 - u keeps the logarithm's argument in (0, 1].
    const r = Math.sqrt(-2 * Math.log(1 - next()));
    const angle = 2 * Math.PI * next();
    spareNormal = r * Math.sin(angle);
    return r * Math.cos(angle);
  }

  return {
    next,
    exponential: (mean) => -Math.log(1 - next()) * mean,
    lognormal(mean, cv) {
      const sigma2 = Math.log(1 + cv * cv);
      return Math.exp(Math.log(mean) - sigma2 / 2 + Math.sqrt(sigma2) * standardNormal());
    },
    bernoulli: (p) => next() < p,
  };
}

/** Independent streams per purpose, so switching a tier on does not shift the arrival times (common random numbers). */
export function deriveSeed(seed: number, stream: number): number {
  return splitmix32((seed ^ Math.imul(stream + 1, 0x9e3779b1)) >>> 0)();
}
