/**
 * UdpRecord: per-message options of ClientUdp, in the style of
 * @nestjs/microservices' RmqRecord / NatsRecord / MqttRecord. Wrapping the
 * data in a record keeps `send(pattern, data)` and `emit(pattern, data)`
 * exactly ClientProxy's, while one client (one socket) can talk to several
 * servers:
 *
 *   client.send('image', new UdpRecord(payload, { target: '10.0.0.7:5000' }))
 *
 * Without a record (or without `target`) the message goes to the client's
 * configured host and port. The record never travels: the server's handler
 * sees `data` only.
 */
import { isIP } from 'node:net';
import type { PeerAddress } from '../../core';
import { formatPeerAddress, parsePeerAddress } from '../../node';

/** A server address: "host:port" ("[v6]:port" for IPv6), or its parts. A host name is resolved on each call. */
export type UdpTarget = string | { host: string; port: number };

export interface UdpRecordOptions {
  /** The server this message goes to. Default: the client's `host` and `port`. */
  target?: UdpTarget;
}

export class UdpRecord<TData = unknown> {
  constructor(
    readonly data: TData,
    readonly options: UdpRecordOptions = {},
  ) {}
}

/** Builds a UdpRecord step by step (as RmqRecordBuilder does). */
export class UdpRecordBuilder<TData = unknown> {
  private options: UdpRecordOptions = {};

  constructor(private data?: TData) {}

  setData(data: TData): this {
    this.data = data;
    return this;
  }

  setOptions(options: UdpRecordOptions): this {
    this.options = { ...this.options, ...options };
    return this;
  }

  setTarget(target: UdpTarget): this {
    this.options = { ...this.options, target };
    return this;
  }

  build(): UdpRecord<TData | undefined> {
    return new UdpRecord(this.data, this.options);
  }
}

/** The host and port of a target, or a message saying what is wrong with it. */
export function parseUdpTarget(target: UdpTarget): { ok: true; host: string; port: number } | { ok: false; message: string } {
  if (typeof target === 'string') {
    const peer = parsePeerAddress(target);
    if (peer === undefined || peer.host.length === 0) return { ok: false, message: `target ${JSON.stringify(target)} is not "host:port" or "[v6]:port"` };
    return { ok: true, host: peer.host, port: peer.port };
  }
  if (typeof target !== 'object' || target === null) return { ok: false, message: `target must be a string or {host, port}, got ${String(target)}` };
  const { host, port } = target;
  if (typeof host !== 'string' || host.length === 0) return { ok: false, message: 'target.host must be a non-empty string' };
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
    return { ok: false, message: `target.port must be an integer in [1, 65535], got ${String(port)}` };
  }
  return { ok: true, host, port };
}

/** The peer address of an IP literal target, or undefined when the host is a name (to resolve first). */
export function literalPeer(host: string, port: number): PeerAddress | undefined {
  return isIP(host) === 0 ? undefined : formatPeerAddress(host, port);
}
