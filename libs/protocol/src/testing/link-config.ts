/**
 * The configuration of one direction of a simulated link, its defaults, and
 * its validation. Validation names the bad field, because a grid test that
 * builds configs in loops otherwise fails far from the typo.
 */
import { DEFAULT_MAX_DATAGRAM } from '../wire/messages';

export type LossConfig =
  | { model: 'none' }
  /** Every datagram is lost independently with probability p. */
  | { model: 'bernoulli'; p: number }
  /**
   * Two-state Markov chain (Gilbert-Elliott): losses come in bursts while the
   * chain sits in the bad state. The state transition is drawn once per
   * datagram, after the loss decision for that datagram.
   */
  | { model: 'gilbert-elliott'; pGoodToBad: number; pBadToGood: number; lossInGood: number; lossInBad: number };

/** A half-open interval [startMs, endMs) of virtual time. */
export type TimeWindow = readonly [startMs: number, endMs: number];

export interface LinkConfig {
  /** Fixed one-way propagation delay, ms. */
  latencyMs: number;
  /** Extra delay drawn uniformly from [0, jitterMs) per datagram, ms. */
  jitterMs: number;
  /**
   * When false (default), jitter never lets a datagram overtake an earlier
   * one on the same link (a queue whose delay varies); reordering then only
   * comes from `reorderProbability`, so tests control it separately. When
   * true, jitter reorders freely, like netem.
   */
  jitterReorders: boolean;
  /** Bottleneck rate in bytes/s; 0 = unlimited (no serialisation delay, no queue). */
  bandwidthBytesPerSec: number;
  /** Bytes the bottleneck queue holds, including the datagram being serialised; over that is tail-dropped. Infinity allowed. */
  queueBytes: number;
  /** Largest datagram carried, bytes; larger ones are dropped. Infinity allowed. */
  mtu: number;
  loss: LossConfig;
  /** Probability that a datagram is delivered twice. */
  duplicateProbability: number;
  /** Probability that a datagram is held back by `reorderExtraDelayMs`, letting later ones overtake it. */
  reorderProbability: number;
  reorderExtraDelayMs: number;
  /** Probability that a datagram arrives with 1 to 3 of its bits flipped. */
  corruptProbability: number;
  /** Windows during which every datagram handed to the link is dropped. */
  blackholes: readonly TimeWindow[];
}

export type LinkConfigInput = Partial<LinkConfig>;

/**
 * A clean, fast LAN-ish default: 10 ms one way (20 ms RTT) so RTT estimators
 * see a non-zero sample, an MTU that fits the protocol's default datagram,
 * and a 256 KiB queue that only matters once a bandwidth is set.
 */
export const DEFAULT_LINK_CONFIG: Readonly<LinkConfig> = Object.freeze({
  latencyMs: 10,
  jitterMs: 0,
  jitterReorders: false,
  bandwidthBytesPerSec: 0,
  queueBytes: 256 * 1024,
  mtu: DEFAULT_MAX_DATAGRAM,
  loss: Object.freeze({ model: 'none' }),
  duplicateProbability: 0,
  reorderProbability: 0,
  reorderExtraDelayMs: 0,
  corruptProbability: 0,
  blackholes: Object.freeze([]),
});

export class LinkConfigError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'LinkConfigError';
  }
}

/** Merges `input` over `base` (the defaults unless given) and validates the result. */
export function resolveLinkConfig(input: LinkConfigInput = {}, base: Readonly<LinkConfig> = DEFAULT_LINK_CONFIG, label = 'link'): LinkConfig {
  const config: LinkConfig = { ...base, ...dropUndefined(input) };
  validateLinkConfig(config, label);
  return config;
}

/** Throws a LinkConfigError naming the first bad field. */
export function validateLinkConfig(config: LinkConfig, label = 'link'): void {
  const fail = (field: string, expected: string, got: unknown): never => {
    throw new LinkConfigError(field, `${label}: ${field} must be ${expected}, got ${show(got)}`);
  };
  const nonNegative = (field: keyof LinkConfig, allowInfinity = false): void => {
    const v = config[field];
    const ok = typeof v === 'number' && !Number.isNaN(v) && v >= 0 && (allowInfinity || Number.isFinite(v));
    if (!ok) fail(field, allowInfinity ? 'a number >= 0 (Infinity allowed)' : 'a finite number >= 0', v);
  };
  const probability = (field: string, v: unknown): void => {
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) fail(field, 'a number in [0, 1]', v);
  };

  nonNegative('latencyMs');
  nonNegative('jitterMs');
  if (typeof config.jitterReorders !== 'boolean') fail('jitterReorders', 'a boolean', config.jitterReorders);
  nonNegative('bandwidthBytesPerSec');
  nonNegative('queueBytes', true);
  nonNegative('mtu', true);
  probability('duplicateProbability', config.duplicateProbability);
  probability('reorderProbability', config.reorderProbability);
  nonNegative('reorderExtraDelayMs');
  probability('corruptProbability', config.corruptProbability);

  const loss: unknown = config.loss;
  if (typeof loss !== 'object' || loss === null || !('model' in loss)) {
    fail('loss', "an object with a model ('none', 'bernoulli' or 'gilbert-elliott')", loss);
  }
  const l = config.loss;
  switch (l.model) {
    case 'none':
      break;
    case 'bernoulli':
      probability('loss.p', l.p);
      break;
    case 'gilbert-elliott':
      probability('loss.pGoodToBad', l.pGoodToBad);
      probability('loss.pBadToGood', l.pBadToGood);
      probability('loss.lossInGood', l.lossInGood);
      probability('loss.lossInBad', l.lossInBad);
      break;
    default:
      fail('loss.model', "'none', 'bernoulli' or 'gilbert-elliott'", (l as { model: unknown }).model);
  }

  if (!Array.isArray(config.blackholes)) fail('blackholes', 'an array of [startMs, endMs) pairs', config.blackholes);
  config.blackholes.forEach((w, i) => {
    const field = `blackholes[${i}]`;
    if (!Array.isArray(w) || w.length !== 2) fail(field, 'a [startMs, endMs) pair', w);
    const [start, end] = w;
    if (typeof start !== 'number' || !Number.isFinite(start) || start < 0) fail(`${field}[0]`, 'a finite number >= 0', start);
    if (typeof end !== 'number' || Number.isNaN(end) || end <= start) fail(`${field}[1]`, `a number > startMs (${start}); Infinity allowed`, end);
  });
}

/** Mean loss rate of a loss model in the long run (the stationary distribution for Gilbert-Elliott). */
export function meanLossRate(loss: LossConfig): number {
  switch (loss.model) {
    case 'none':
      return 0;
    case 'bernoulli':
      return loss.p;
    case 'gilbert-elliott': {
      const leave = loss.pGoodToBad + loss.pBadToGood;
      // A chain that never moves stays in its start state, which is good.
      const piBad = leave === 0 ? 0 : loss.pGoodToBad / leave;
      return (1 - piBad) * loss.lossInGood + piBad * loss.lossInBad;
    }
  }
}

function dropUndefined(input: LinkConfigInput): LinkConfigInput {
  // `{ ...defaults, latencyMs: undefined }` would erase the default: treat undefined as "not given".
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) if (v !== undefined) out[k] = v;
  return out as LinkConfigInput;
}

function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(show).join(', ')}]`;
  if (typeof v === 'object' && v !== null) return JSON.stringify(v);
  return String(v);
}
