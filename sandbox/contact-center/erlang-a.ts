// Exact steady-state measures of the M/M/c+M (Erlang-A, Palm) queue, from its birth-death chain:
// birth rate lambda in every state n; death rate n*mu for n <= c (as in Erlang C) and c*mu + (n-c)*theta above
// c (each waiting customer abandons at rate theta). Used to validate the simulator.

export interface ErlangAInput {
  /** lambda: arrivals per unit time. */
  arrivalRate: number;
  /** mu: 1 / mean handle time. */
  serviceRate: number;
  /** theta: 1 / mean patience (0: Erlang C, which needs lambda < c*mu). */
  abandonRate: number;
  /** c */
  agents: number;
}

export interface ErlangAResult {
  /** P(wait) = sum over n >= c of pi_n (PASTA: what an arrival sees). */
  probWait: number;
  /** P(ab) = sum over n > c of (n-c)*theta*pi_n / lambda. */
  probAbandon: number;
  /** E[Lq] = sum over n > c of (n-c)*pi_n. */
  meanQueueLength: number;
  /** E[W] = E[Lq] / lambda (Little), over all arrivals, served or not. */
  meanWait: number;
  /** Fraction of time each agent is busy: (1 - P(ab)) * lambda / (c * mu). */
  agentUtilisation: number;
}

export function erlangA({ arrivalRate: lambda, serviceRate: mu, abandonRate: theta, agents: c }: ErlangAInput): ErlangAResult {
  if (!(lambda > 0 && mu > 0 && theta >= 0 && Number.isInteger(c) && c >= 1)) {
    throw new RangeError(`erlangA: need arrivalRate > 0, serviceRate > 0, abandonRate >= 0, integer agents >= 1 (got ${lambda}, ${mu}, ${theta}, ${c})`);
  }
  if (theta === 0 && lambda >= c * mu) throw new RangeError('erlangA: without abandonment the queue is unstable when arrivalRate >= agents * serviceRate');

  // Unnormalised pi_n with pi_0 = 1; rescaled on the way when terms get huge (large c at high load).
  let term = 1;
  let total = 1;
  let atLeastC = c === 0 ? 1 : 0;
  let queueLength = 0;
  const rescale = (factor: number) => {
    term *= factor;
    total *= factor;
    atLeastC *= factor;
    queueLength *= factor;
  };
  for (let n = 1; ; n++) {
    const death = n <= c ? n * mu : c * mu + (n - c) * theta;
    term *= lambda / death;
    total += term;
    if (n >= c) atLeastC += term;
    if (n > c) queueLength += (n - c) * term;
    if (total > 1e250) rescale(1e-250);
    // Past c the ratio lambda/death falls towards 0, so once a term is negligible the tail is too.
    if (n > c && lambda / death < 1 && term * (n - c + 1) < total * 1e-17) break;
    if (n > c + 1e7) throw new Error('erlangA: series did not converge');
  }
  const probWait = atLeastC / total;
  const meanQueueLength = queueLength / total;
  const probAbandon = (theta * meanQueueLength) / lambda;
  return {
    probWait,
    probAbandon,
    meanQueueLength,
    meanWait: meanQueueLength / lambda,
    agentUtilisation: ((1 - probAbandon) * lambda) / (c * mu),
  };
}
