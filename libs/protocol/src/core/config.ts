/**
 * Endpoint configuration: the defaults, and resolveEndpointConfig, which
 * merges a partial config over them and validates every knob. An invalid knob
 * throws a ConfigError whose message names the option ("receiver.windowBytes
 * must be ..."), because the alternative (a session that silently never sends)
 * is far harder to debug than a refusal at start-up.
 */
import { DEFAULT_MAX_DATAGRAM, chunkSizeFor } from '../wire/messages';
import { validateWireOptions } from '../wire/options';
import type { EndpointConfig, EndpointConfigInput, ReceiverConfig, SenderConfig } from './types';

const MiB = 1024 * 1024;
const U32_MAX = 0xffff_ffff;

export class ConfigError extends Error {
  constructor(
    /** Dotted path of the bad option, e.g. "sender.rateBytesPerSec". */
    readonly option: string,
    message: string,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Every default, in one place (PROTOCOL.md "Sessions" lists them too). */
export function defaultEndpointConfig(): EndpointConfig {
  return {
    wire: { maxDatagram: DEFAULT_MAX_DATAGRAM },
    sender: {
      rateBytesPerSec: 12_500_000, // 100 Mbit/s
      // resolveEndpointConfig derives it from rateBytesPerSec when not given (see there).
      endpointRateBytesPerSec: 12_500_000,
      burstDatagrams: 16,
      initialRttMs: 100,
      offerTimeoutMs: 10_000,
      idleTimeoutMs: 10_000,
      deadlineBaseMs: 30_000,
      deadlinePerMiBMs: 10_000,
      maxTransmissionsPerChunk: 20,
      maxTransfers: 64,
      maxBackoffMs: 2_000,
    },
    receiver: {
      maxBytesPerTransfer: 256 * MiB,
      maxTransfers: 64,
      maxMemoryBytes: 1024 * MiB,
      windowBytes: 4 * MiB,
      maxRateBytesPerSec: 0,
      ackEveryChunks: 16,
      maxAckDelayMs: 10,
      reorderChunks: 3,
      reorderRttFraction: 0.125,
      idleTimeoutMs: 10_000,
      tombstoneTtlMs: 120_000,
      maxTombstones: 4096,
      replayWindowMs: 60_000,
      autoCommit: false,
      commitTimeoutMs: 30_000,
      initialRttMs: 100,
      minNackIntervalMs: 2,
    },
    progressIntervalMs: 250,
    controlQueueLimit: 256,
  };
}

interface NumberRule {
  min: number;
  max?: number;
  integer?: boolean;
  /** The bound is exclusive (value must be > min). */
  exclusiveMin?: boolean;
}

function checkNumber(option: string, value: unknown, rule: NumberRule): void {
  const max = rule.max ?? Number.MAX_SAFE_INTEGER;
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (rule.exclusiveMin ? value > rule.min : value >= rule.min) &&
    value <= max &&
    (!rule.integer || Number.isInteger(value));
  if (!ok) {
    const kind = rule.integer ? 'an integer' : 'a number';
    const lower = rule.exclusiveMin ? `(${rule.min}` : `[${rule.min}`;
    throw new ConfigError(option, `${option} must be ${kind} in ${lower}, ${max}], got ${String(value)}`);
  }
}

function checkBoolean(option: string, value: unknown): void {
  if (typeof value !== 'boolean') throw new ConfigError(option, `${option} must be a boolean, got ${String(value)}`);
}

function checkSender(s: SenderConfig): void {
  checkNumber('sender.rateBytesPerSec', s.rateBytesPerSec, { min: 1000, max: 1e11 });
  // 0 turns the shared bucket off; otherwise the same bounds as the per-transfer rate.
  if (s.endpointRateBytesPerSec !== 0) checkNumber('sender.endpointRateBytesPerSec', s.endpointRateBytesPerSec, { min: 1000, max: 1e11 });
  checkNumber('sender.burstDatagrams', s.burstDatagrams, { min: 1, max: 65_536, integer: true });
  checkNumber('sender.initialRttMs', s.initialRttMs, { min: 0, max: 60_000, exclusiveMin: true });
  checkNumber('sender.offerTimeoutMs', s.offerTimeoutMs, { min: 1, max: 3_600_000 });
  checkNumber('sender.idleTimeoutMs', s.idleTimeoutMs, { min: 1, max: 3_600_000 });
  checkNumber('sender.deadlineBaseMs', s.deadlineBaseMs, { min: 1, max: 86_400_000 });
  checkNumber('sender.deadlinePerMiBMs', s.deadlinePerMiBMs, { min: 0, max: 86_400_000 });
  // Stored per chunk in a Uint8Array.
  checkNumber('sender.maxTransmissionsPerChunk', s.maxTransmissionsPerChunk, { min: 2, max: 255, integer: true });
  checkNumber('sender.maxTransfers', s.maxTransfers, { min: 1, max: 1_000_000, integer: true });
  checkNumber('sender.maxBackoffMs', s.maxBackoffMs, { min: 1, max: 3_600_000 });
}

function checkReceiver(r: ReceiverConfig, chunkSize: number): void {
  checkNumber('receiver.maxBytesPerTransfer', r.maxBytesPerTransfer, { min: 0, max: 2 ** 32 * 1024, integer: true });
  checkNumber('receiver.maxTransfers', r.maxTransfers, { min: 1, max: 1_000_000, integer: true });
  checkNumber('receiver.maxMemoryBytes', r.maxMemoryBytes, { min: 0, integer: true });
  // At least one chunk of credit, or a sender could never send anything.
  checkNumber('receiver.windowBytes', r.windowBytes, { min: chunkSize, max: U32_MAX, integer: true });
  checkNumber('receiver.maxRateBytesPerSec', r.maxRateBytesPerSec, { min: 0, max: U32_MAX, integer: true });
  checkNumber('receiver.ackEveryChunks', r.ackEveryChunks, { min: 1, max: 65_536, integer: true });
  checkNumber('receiver.maxAckDelayMs', r.maxAckDelayMs, { min: 0, max: 10_000 });
  checkNumber('receiver.reorderChunks', r.reorderChunks, { min: 1, max: 65_536, integer: true });
  checkNumber('receiver.reorderRttFraction', r.reorderRttFraction, { min: 0, max: 10 });
  checkNumber('receiver.idleTimeoutMs', r.idleTimeoutMs, { min: 1, max: 3_600_000 });
  checkNumber('receiver.tombstoneTtlMs', r.tombstoneTtlMs, { min: 0, max: 86_400_000 });
  checkNumber('receiver.maxTombstones', r.maxTombstones, { min: 0, max: 10_000_000, integer: true });
  checkNumber('receiver.replayWindowMs', r.replayWindowMs, { min: 1, max: 86_400_000 });
  checkBoolean('receiver.autoCommit', r.autoCommit);
  checkNumber('receiver.commitTimeoutMs', r.commitTimeoutMs, { min: 1, max: 3_600_000 });
  checkNumber('receiver.initialRttMs', r.initialRttMs, { min: 0, max: 60_000, exclusiveMin: true });
  checkNumber('receiver.minNackIntervalMs', r.minNackIntervalMs, { min: 0, max: 60_000 });
}

/**
 * `input` merged over defaultEndpointConfig() and validated. Throws
 * ConfigError naming the first bad option. Cross-field rule: in
 * authenticated mode tombstoneTtlMs must cover replayWindowMs, else a
 * replayed OFFER could arrive after its tombstone expired but while its
 * createdAt still looks fresh, and restart a finished transfer.
 */
export function resolveEndpointConfig(input: EndpointConfigInput = {}): EndpointConfig {
  const d = defaultEndpointConfig();
  const config: EndpointConfig = {
    wire: { ...d.wire, ...input.wire },
    sender: {
      ...d.sender,
      ...input.sender,
      // Follows the per-transfer rate unless set: an application that raises rateBytesPerSec for one fast
      // transfer must not find it silently capped at the default, and a single transfer then runs exactly
      // as before while N concurrent ones share that rate instead of multiplying it.
      endpointRateBytesPerSec: input.sender?.endpointRateBytesPerSec ?? input.sender?.rateBytesPerSec ?? d.sender.endpointRateBytesPerSec,
    },
    receiver: { ...d.receiver, ...input.receiver },
    progressIntervalMs: input.progressIntervalMs ?? d.progressIntervalMs,
    controlQueueLimit: input.controlQueueLimit ?? d.controlQueueLimit,
  };
  if (config.wire.key === undefined) delete config.wire.key;
  const wireProblem = validateWireOptions(config.wire);
  if (wireProblem) throw new ConfigError(wireProblem.startsWith('wire.key') ? 'wire.key' : 'wire.maxDatagram', wireProblem);
  checkSender(config.sender);
  checkReceiver(config.receiver, chunkSizeFor(config.wire));
  checkNumber('progressIntervalMs', config.progressIntervalMs, { min: 0, max: 3_600_000 });
  checkNumber('controlQueueLimit', config.controlQueueLimit, { min: 1, max: 1_000_000, integer: true });
  if (config.wire.key !== undefined && config.receiver.tombstoneTtlMs < config.receiver.replayWindowMs) {
    throw new ConfigError(
      'receiver.tombstoneTtlMs',
      `receiver.tombstoneTtlMs (${config.receiver.tombstoneTtlMs}) must be >= receiver.replayWindowMs (${config.receiver.replayWindowMs}) in authenticated mode`,
    );
  }
  return config;
}
