/**
 * Command-line arguments of the impairment relay, parsed into relay options.
 * Values read the way people write them: `5%` or `0.05`, `20ms`, `50mbit`.
 */
import { parseArgs } from 'node:util';
import type { ImpairRelayOptions, LinkConfigInput, LossConfig, RelayAddress } from '@udpix/protocol';

export const IMPAIR_USAGE = `Usage: impair --listen [HOST:]PORT --target HOST:PORT [impairments]

Impairments apply to both directions unless given as --forward-X / --back-X.
  --loss P            random (Bernoulli) loss, e.g. 5% or 0.05
  --burst LEN         make loss bursty (Gilbert-Elliott) with this mean burst length in datagrams
  --delay MS          one-way delay          --jitter MS      extra delay in [0, MS)
  --reorder P         probability a datagram is held back by --reorder-delay MS (default 5)
  --duplicate P       probability a datagram is delivered twice
  --corrupt P         probability a datagram gets 1-3 bits flipped
  --rate RATE         bottleneck, e.g. 100mbit, 20MB (bytes/s), with --queue BYTES (default 256KiB)
  --seed N            random seed (default 1)
  --stats-ms MS       print counters this often (default 0: only at exit)`;

const DIRECTIONAL = ['loss', 'burst', 'delay', 'jitter', 'reorder', 'reorder-delay', 'duplicate', 'corrupt', 'rate', 'queue'] as const;
type Knob = (typeof DIRECTIONAL)[number];

export interface ImpairCli {
  options: ImpairRelayOptions;
  statsIntervalMs: number;
}

export function parseImpairArgs(argv: string[]): ImpairCli {
  const spec: Record<string, { type: 'string' }> = { listen: { type: 'string' }, target: { type: 'string' }, seed: { type: 'string' }, 'stats-ms': { type: 'string' } };
  for (const knob of DIRECTIONAL) {
    spec[knob] = { type: 'string' };
    spec[`forward-${knob}`] = { type: 'string' };
    spec[`back-${knob}`] = { type: 'string' };
  }
  const { values } = parseArgs({ args: argv, options: spec, strict: true, allowPositionals: false });
  const get = (name: string): string | undefined => values[name] as string | undefined;

  const listen = get('listen');
  const target = get('target');
  if (!listen) throw new Error('--listen is required');
  if (!target) throw new Error('--target is required');

  const direction = (prefix: 'forward' | 'back'): LinkConfigInput => {
    const knob = (k: Knob): string | undefined => get(`${prefix}-${k}`) ?? get(k);
    return linkFromKnobs(knob, prefix);
  };
  return {
    options: {
      listen: parseAddress(listen, '--listen', '0.0.0.0'),
      target: parseAddress(target, '--target'),
      forward: direction('forward'),
      backward: direction('back'),
      seed: integer(get('seed') ?? '1', '--seed'),
    },
    statsIntervalMs: integer(get('stats-ms') ?? '0', '--stats-ms'),
  };
}

function linkFromKnobs(knob: (k: Knob) => string | undefined, prefix: string): LinkConfigInput {
  const link: LinkConfigInput = {};
  const name = (k: Knob): string => `--${k} (${prefix})`;
  const lossText = knob('loss');
  if (lossText !== undefined) {
    const p = probability(lossText, name('loss'));
    const burstText = knob('burst');
    link.loss = burstText === undefined ? { model: 'bernoulli', p } : burstyLoss(p, positive(burstText, name('burst')));
  }
  const delay = knob('delay');
  if (delay !== undefined) link.latencyMs = milliseconds(delay, name('delay'));
  const jitter = knob('jitter');
  if (jitter !== undefined) link.jitterMs = milliseconds(jitter, name('jitter'));
  const reorder = knob('reorder');
  if (reorder !== undefined) {
    link.reorderProbability = probability(reorder, name('reorder'));
    link.reorderExtraDelayMs = milliseconds(knob('reorder-delay') ?? '5', name('reorder-delay'));
  }
  const duplicate = knob('duplicate');
  if (duplicate !== undefined) link.duplicateProbability = probability(duplicate, name('duplicate'));
  const corrupt = knob('corrupt');
  if (corrupt !== undefined) link.corruptProbability = probability(corrupt, name('corrupt'));
  const rate = knob('rate');
  if (rate !== undefined) {
    link.bandwidthBytesPerSec = bytesPerSecond(rate, name('rate'));
    link.queueBytes = byteCount(knob('queue') ?? '256KiB', name('queue'));
  }
  return link;
}

/**
 * Gilbert-Elliott with a lossless good state and a fully lossy bad state:
 * the mean burst is 1/pBadToGood and the stationary loss is
 * pGoodToBad / (pGoodToBad + pBadToGood).
 */
export function burstyLoss(p: number, meanBurst: number): LossConfig {
  if (p === 0) return { model: 'none' };
  const pBadToGood = Math.min(1, 1 / meanBurst);
  const pGoodToBad = Math.min(1, (p * pBadToGood) / (1 - p));
  return { model: 'gilbert-elliott', pGoodToBad, pBadToGood, lossInGood: 0, lossInBad: 1 };
}

export function parseAddress(text: string, name: string, defaultHost?: string): RelayAddress {
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(text) ?? (defaultHost !== undefined ? /^()()(\d+)$/.exec(text) : null);
  const port = match ? Number(match[3]) : NaN;
  if (!match || !Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`${name} must be HOST:PORT${defaultHost ? ' or PORT' : ''}, got "${text}"`);
  return { host: match[1] || match[2] || (defaultHost as string), port };
}

export function probability(text: string, name: string): number {
  const percent = text.endsWith('%');
  const value = Number(percent ? text.slice(0, -1) : text) / (percent ? 100 : 1);
  if (!Number.isFinite(value) || value < 0 || value > 1) throw new Error(`${name} must be a probability (0..1 or 0%..100%), got "${text}"`);
  return value;
}

export function milliseconds(text: string, name: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(text);
  if (!m) throw new Error(`${name} must be a duration like 20 or 20ms or 0.5s, got "${text}"`);
  return Number(m[1]) * (m[2] === 's' ? 1000 : 1);
}

const RATE_UNITS: Record<string, number> = { bit: 1 / 8, kbit: 1e3 / 8, mbit: 1e6 / 8, gbit: 1e9 / 8, b: 1, kb: 1e3, mb: 1e6, gb: 1e9 };

export function bytesPerSecond(text: string, name: string): number {
  const m = /^(\d+(?:\.\d+)?)([a-z]*)$/i.exec(text);
  const unit = m ? (m[2] ?? '').toLowerCase() || 'b' : '';
  const factor = RATE_UNITS[unit];
  if (!m || factor === undefined) throw new Error(`${name} must be a rate like 100mbit or 20MB, got "${text}"`);
  return Number(m[1]) * factor;
}

const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, kib: 1024, mib: 1024 ** 2, kb: 1e3, mb: 1e6 };

export function byteCount(text: string, name: string): number {
  const m = /^(\d+)([a-z]*)$/i.exec(text);
  const factor = m ? SIZE_UNITS[(m[2] ?? '').toLowerCase()] : undefined;
  if (!m || factor === undefined) throw new Error(`${name} must be a size like 262144 or 256KiB, got "${text}"`);
  return Number(m[1]) * factor;
}

function integer(text: string, name: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got "${text}"`);
  return value;
}

function positive(text: string, name: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 1) throw new Error(`${name} must be a number >= 1, got "${text}"`);
  return value;
}
