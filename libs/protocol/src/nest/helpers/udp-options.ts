/**
 * Options of ServerUdp and ClientUdp, and their validation at construction.
 * The protocol knobs map onto the core's EndpointConfig and are validated by
 * resolveEndpointConfig and the driver's resolveUdpDriverOptions; their
 * errors are re-thrown as UdpOptionsError naming the option as the caller
 * wrote it ("rate", "limits.maxTransfers", "socket.recvBufferSize").
 */
import { ConfigError, resolveEndpointConfig, type EndpointConfig, type EndpointConfigInput } from '../../core';
import { MAX_CONTENT_TYPE_BYTES, MAX_NAME_BYTES } from '../../wire';
import { resolveUdpDriverOptions, type UdpEndpointDriverOptions } from '../../node';
import type { OfferDefaults } from './udp-envelope';

export interface UdpLimitsOptions {
  /** Largest object accepted, bytes (receiver.maxBytesPerTransfer, default 256 MiB). */
  maxBytesPerTransfer?: number;
  /** Transfers in flight at once, each direction (sender/receiver.maxTransfers, default 64). */
  maxTransfers?: number;
  /** Sum of reserved receive buffers, bytes (receiver.maxMemoryBytes, default 1 GiB). */
  maxMemoryBytes?: number;
}

export interface UdpTimeoutOptions {
  /** Give up a send without ACCEPT after this long, ms (sender.offerTimeoutMs, default 10000). */
  offerMs?: number;
  /** Give up a transfer whose peer is silent this long, ms (sender/receiver.idleTimeoutMs, default 10000). */
  idleMs?: number;
  /** Longest a handler may take before the transfer fails with STORE_FAILED, ms (receiver.commitTimeoutMs, default 30000). */
  handlerMs?: number;
}

/** Knobs common to server and client. */
export interface UdpProtocolOptions {
  /** Largest datagram, 576..65507 (wire.maxDatagram, default 1472). Configure both ends alike. */
  maxDatagram?: number;
  /** Pacing rate of outgoing transfers, bytes/s (sender.rateBytesPerSec, default 12.5 MB/s). */
  rate?: number;
  /** Shared secret (>= 16 bytes; a string is taken as UTF-8): authenticated mode. Both ends need the same key. */
  key?: string | Uint8Array;
  limits?: UdpLimitsOptions;
  timeouts?: UdpTimeoutOptions;
  /** Any other core knob (PROTOCOL.md "Sessions"); the options above take precedence. */
  endpoint?: EndpointConfigInput;
  /** Socket and driver knobs (buffer sizes, family, ...); host and port are set above. */
  socket?: Omit<UdpEndpointDriverOptions, 'host' | 'port'>;
  /** OFFER name when the data has no string `name` field. Default ''. */
  name?: string;
  /** OFFER content type when the data has no string `contentType` field. Default 'application/octet-stream'. */
  contentType?: string;
}

export interface UdpServerOptions extends UdpProtocolOptions {
  /** Address to bind. Default '0.0.0.0'. */
  host?: string;
  /** Port to bind; 0 picks one (read it with unwrap().address()). Default 5000. */
  port?: number;
}

export interface UdpClientOptions extends UdpProtocolOptions {
  /** The server's host (a name is resolved once, at connect). Default '127.0.0.1'. */
  host?: string;
  /** The server's port. Default 5000. */
  port?: number;
  /** Local address to bind. Default: all interfaces. */
  localHost?: string;
  /** Local port to bind. Default 0 (any). */
  localPort?: number;
  /** A request or event not answered within this time fails (and its transfer is aborted), ms. Default 60000. */
  requestTimeoutMs?: number;
}

export const UDP_DEFAULT_HOST = '0.0.0.0';
export const UDP_DEFAULT_CLIENT_HOST = '127.0.0.1';
export const UDP_DEFAULT_PORT = 5000;
export const UDP_DEFAULT_REQUEST_TIMEOUT_MS = 60_000;

/** An invalid option; `option` is its name as the caller wrote it. */
export class UdpOptionsError extends Error {
  constructor(
    readonly option: string,
    message: string,
  ) {
    super(message);
    this.name = 'UdpOptionsError';
  }
}

export interface ResolvedUdpOptions {
  endpoint: EndpointConfig;
  driver: UdpEndpointDriverOptions;
  offer: OfferDefaults;
}

export interface ResolvedUdpClientOptions extends ResolvedUdpOptions {
  host: string;
  port: number;
  requestTimeoutMs: number;
}

/** Where each core option comes from in our options, for error messages. */
const CORE_OPTION_NAMES: Record<string, string> = {
  'wire.maxDatagram': 'maxDatagram',
  'wire.key': 'key',
  'sender.rateBytesPerSec': 'rate',
  'receiver.maxBytesPerTransfer': 'limits.maxBytesPerTransfer',
  'receiver.maxTransfers': 'limits.maxTransfers',
  'sender.maxTransfers': 'limits.maxTransfers',
  'receiver.maxMemoryBytes': 'limits.maxMemoryBytes',
  'sender.offerTimeoutMs': 'timeouts.offerMs',
  'sender.idleTimeoutMs': 'timeouts.idleMs',
  'receiver.idleTimeoutMs': 'timeouts.idleMs',
  'receiver.commitTimeoutMs': 'timeouts.handlerMs',
};

function fail(owner: string, option: string, detail: string): never {
  throw new UdpOptionsError(option, `${owner}: invalid option "${option}": ${detail}`);
}

function checkHost(owner: string, option: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length === 0) fail(owner, option, `must be a non-empty string, got ${String(value)}`);
  return value;
}

function checkPort(owner: string, option: string, value: unknown, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > 65535) {
    fail(owner, option, `must be an integer in [${min}, 65535], got ${String(value)}`);
  }
  return value;
}

function checkObject(owner: string, option: string, value: unknown): void {
  if (value !== undefined && (typeof value !== 'object' || value === null || Array.isArray(value))) {
    fail(owner, option, `must be an object, got ${String(value)}`);
  }
}

function checkText(owner: string, option: string, value: unknown, maxBytes: number): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || Buffer.byteLength(value, 'utf8') > maxBytes) {
    fail(owner, option, `must be a string of at most ${maxBytes} UTF-8 bytes`);
  }
  return value;
}

function keyBytes(owner: string, key: unknown): Uint8Array | undefined {
  if (key === undefined) return undefined;
  if (typeof key === 'string') return Buffer.from(key, 'utf8');
  if (key instanceof Uint8Array) return key;
  return fail(owner, 'key', `must be a string or a Uint8Array, got ${typeof key}`);
}

function buildEndpointConfig(owner: string, o: UdpProtocolOptions): EndpointConfig {
  checkObject(owner, 'limits', o.limits);
  checkObject(owner, 'timeouts', o.timeouts);
  checkObject(owner, 'endpoint', o.endpoint);
  const base = o.endpoint ?? {};
  const limits = o.limits ?? {};
  const timeouts = o.timeouts ?? {};
  const defined = <T extends object>(obj: T): Partial<T> =>
    Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as Partial<T>;
  const input: EndpointConfigInput = {
    ...base,
    wire: { ...base.wire, ...defined({ maxDatagram: o.maxDatagram, key: keyBytes(owner, o.key) }) },
    sender: {
      ...base.sender,
      ...defined({
        rateBytesPerSec: o.rate,
        maxTransfers: limits.maxTransfers,
        offerTimeoutMs: timeouts.offerMs,
        idleTimeoutMs: timeouts.idleMs,
      }),
    },
    receiver: {
      ...base.receiver,
      ...defined({
        maxBytesPerTransfer: limits.maxBytesPerTransfer,
        maxTransfers: limits.maxTransfers,
        maxMemoryBytes: limits.maxMemoryBytes,
        idleTimeoutMs: timeouts.idleMs,
        commitTimeoutMs: timeouts.handlerMs,
        // The transport commits after its handler ran: never before.
        autoCommit: false,
      }),
    },
  };
  try {
    return resolveEndpointConfig(input);
  } catch (err) {
    if (err instanceof ConfigError) {
      const name = CORE_OPTION_NAMES[err.option] ?? `endpoint.${err.option}`;
      return fail(owner, name, err.message);
    }
    throw err;
  }
}

function buildDriverOptions(owner: string, socket: unknown, host: string | undefined, port: number): UdpEndpointDriverOptions {
  checkObject(owner, 'socket', socket);
  const options: UdpEndpointDriverOptions = { ...(socket as UdpEndpointDriverOptions | undefined), port };
  if (host !== undefined) options.host = host;
  try {
    resolveUdpDriverOptions(options);
  } catch (err) {
    if (err instanceof RangeError) {
      const match = /^UdpEndpointDriver: (\w+)/.exec(err.message);
      return fail(owner, `socket.${match?.[1] ?? '?'}`, err.message);
    }
    throw err;
  }
  return options;
}

function offerDefaults(owner: string, o: UdpProtocolOptions): OfferDefaults {
  const offer: OfferDefaults = {};
  const name = checkText(owner, 'name', o.name, MAX_NAME_BYTES);
  const contentType = checkText(owner, 'contentType', o.contentType, MAX_CONTENT_TYPE_BYTES);
  if (name !== undefined) offer.name = name;
  if (contentType !== undefined) offer.contentType = contentType;
  return offer;
}

function checkRoot(owner: string, options: unknown): void {
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw new UdpOptionsError('options', `${owner}: options must be an object, got ${String(options)}`);
  }
}

/** Validates ServerUdp options; throws UdpOptionsError naming the bad option. */
export function resolveUdpServerOptions(options: UdpServerOptions = {}, owner = 'ServerUdp'): ResolvedUdpOptions {
  checkRoot(owner, options);
  const host = checkHost(owner, 'host', options.host) ?? UDP_DEFAULT_HOST;
  const port = checkPort(owner, 'port', options.port, 0) ?? UDP_DEFAULT_PORT;
  return {
    endpoint: buildEndpointConfig(owner, options),
    driver: buildDriverOptions(owner, options.socket, host, port),
    offer: offerDefaults(owner, options),
  };
}

/** Validates ClientUdp options; throws UdpOptionsError naming the bad option. */
export function resolveUdpClientOptions(options: UdpClientOptions = {}, owner = 'ClientUdp'): ResolvedUdpClientOptions {
  checkRoot(owner, options);
  const host = checkHost(owner, 'host', options.host) ?? UDP_DEFAULT_CLIENT_HOST;
  const port = checkPort(owner, 'port', options.port, 1) ?? UDP_DEFAULT_PORT;
  const localHost = checkHost(owner, 'localHost', options.localHost);
  const localPort = checkPort(owner, 'localPort', options.localPort, 0) ?? 0;
  const requestTimeoutMs = options.requestTimeoutMs ?? UDP_DEFAULT_REQUEST_TIMEOUT_MS;
  if (typeof requestTimeoutMs !== 'number' || !Number.isInteger(requestTimeoutMs) || requestTimeoutMs < 1 || requestTimeoutMs > 2 ** 31 - 1) {
    fail(owner, 'requestTimeoutMs', `must be an integer in [1, ${2 ** 31 - 1}], got ${String(requestTimeoutMs)}`);
  }
  return {
    host,
    port,
    requestTimeoutMs,
    endpoint: buildEndpointConfig(owner, options),
    driver: buildDriverOptions(owner, options.socket, localHost, localPort),
    offer: offerDefaults(owner, options),
  };
}
