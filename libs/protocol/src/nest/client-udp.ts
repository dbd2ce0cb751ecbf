/**
 * ClientUdp: the NestJS ClientProxy over udpix (the counterpart of
 * @nestjs/microservices' client/client-tcp).
 *
 * `send(pattern, data)` is request/response: the request is one transfer to
 * the server; the response comes back in that transfer's COMPLETE result
 * (small responses) or as reply transfers from the server to this socket
 * (large ones, or several values of an Observable). `emit(pattern, data)` is
 * an event: one transfer, and the returned Observable emits once the server's
 * handler finished (COMPLETE), with the transfer's outcome.
 *
 * One socket, several servers: wrap the data in a UdpRecord with a `target`
 * (`client.send('image', new UdpRecord(data, { target: '10.0.0.7:5000' }))`)
 * and that message goes there instead of to the configured host and port.
 * Replies are matched to their request by id and by the server's address.
 *
 * Which transfer carries a message: every send/emit that starts a transfer
 * emits a `'request'` event `{ kind, requestId, pattern, transferId, target }`
 * (for logs and metrics: `on('request', ...)`); a caller that needs the id of
 * its own request (to follow its `progress` events) uses
 * `sendWithTransfer(pattern, data)`, which resolves once the transfer started
 * with `{ requestId, transferId, target, response$ }`.
 *
 * Every pending request fails with a UdpTransportError on close() and after
 * `requestTimeoutMs`; `publish()` returns its own clean-up, which aborts the
 * transfer still in flight and forgets the request. Errors decided here (our
 * endpoint's own limits, data or a target that cannot travel, timeouts) have
 * `local: true`; those the server sent (REJECT, FAILED, ABORT) `local: false`.
 */
import { Logger } from '@nestjs/common';
import { ClientProxy, type ReadPacket, type WritePacket } from '@nestjs/microservices';
import type { Socket } from 'node:dgram';
import { lookup } from 'node:dns/promises';
import type { AddressInfo } from 'node:net';
import { Observable, ReplaySubject } from 'rxjs';
import { type EndpointEvent, type PeerAddress, type TransferInfo, type TransferStats } from '../core';
import { UdpEndpointDriver, formatPeerAddress } from '../node';
import { Reason, type TransferId } from '../wire';
import { UdpStatus, type UdpClientEvents, type UdpRequestEvent, type UdpTransferEvent } from './udp.events';
import { snapshotCounters, type UdpCounters } from './helpers/udp-counters';
import { EnvelopeError, decodeFromOffer, decodeInline, encodeForOffer, peekEnvelope, type EnvelopeMessage } from './helpers/udp-envelope';
import { UdpTransportError, errorFromFailure } from './helpers/udp-errors';
import { createUdpDriver, unwrapBoundSocket } from './helpers/udp-driver';
import { UdpListeners, forwardTransferEvent } from './helpers/udp-listeners';
import { resolveUdpClientOptions, type ResolvedUdpClientOptions, type UdpClientOptions } from './helpers/udp-options';
import { UdpRecord, literalPeer, parseUdpTarget, type UdpTarget } from './helpers/udp-record';

/** What `emit()` yields once the server's handler finished. */
export interface UdpEmitResult {
  transferId: TransferId;
  bytes: number;
  sha256: string;
  stats: TransferStats;
}

/** What `sendWithTransfer()` resolves with, once the request's transfer started. */
export interface UdpSentRequest<TResult> {
  requestId: string;
  /** The protocol transfer carrying the request: its `progress`/`completed`/`failed` events have this id. */
  transferId: TransferId;
  /** The server's address, "ip:port". */
  target: PeerAddress;
  /**
   * The response values, as `send()` would emit them. The request is already
   * in flight: values are replayed to a late subscriber; unsubscribing before
   * the end cancels the request (as unsubscribing from `send()` does).
   */
  response$: Observable<TResult>;
}

interface PendingRequest {
  id: string;
  pattern: string;
  /** The server, once resolved ('' until then): replies must come from it. */
  target: PeerAddress;
  callback: (packet: WritePacket<unknown>) => void;
  /** The request transfer, while it is in flight. */
  transferId: TransferId | undefined;
  /** Reply transfers being received. */
  replies: Set<TransferId>;
  timer: NodeJS.Timeout;
}

interface PendingEvent {
  pattern: string;
  target: PeerAddress;
  transferId: TransferId;
  resolve: (result: UdpEmitResult) => void;
  reject: (err: unknown) => void;
  timer: NodeJS.Timeout;
}

/** The data and target of a packet whose data may be a UdpRecord. */
function unwrapRecord(data: unknown): { data: unknown; target: UdpTarget | undefined } {
  return data instanceof UdpRecord ? { data: data.data, target: data.options.target } : { data, target: undefined };
}

export class ClientUdp extends ClientProxy<UdpClientEvents, UdpStatus> {
  protected readonly logger = new Logger(ClientUdp.name);
  private readonly resolved: ResolvedUdpClientOptions;
  private readonly listeners = new UdpListeners<UdpClientEvents>(this.logger);
  private driver: UdpEndpointDriver | undefined;
  private connection: Promise<AddressInfo> | undefined;
  private bound = false;
  /** The configured server as "ip:port" (resolved at connect): where a message without a UdpRecord target goes. */
  private defaultTarget = '';
  private readonly requests = new Map<string, PendingRequest>();
  /** Request and reply transfers → request id. */
  private readonly requestByTransfer = new Map<TransferId, string>();
  private readonly events = new Map<TransferId, PendingEvent>();

  constructor(options: UdpClientOptions = {}) {
    super();
    this.resolved = resolveUdpClientOptions(options);
  }

  /** Resolves the server's address and binds the local socket. Idempotent while connected. */
  connect(): Promise<AddressInfo> {
    if (this.connection !== undefined) return this.connection;
    this._status$.next(UdpStatus.CONNECTING);
    const driver = createUdpDriver(this.resolved, {
      logger: this.logger,
      listeners: this.listeners,
      setStatus: (status) => this._status$.next(status),
      setBound: (bound) => {
        this.bound = bound;
      },
      onEndpointEvent: (d, event) => this.onEndpointEvent(d, event),
    });
    this.driver = driver;
    const connection = (async () => {
      this.defaultTarget = await this.resolveHost(this.resolved.host, this.resolved.port);
      return driver.bind();
    })();
    this.connection = connection.catch((err: unknown) => {
      if (this.driver === driver) {
        this.driver = undefined;
        this.connection = undefined;
        void driver.close();
      }
      this._status$.next(UdpStatus.ERROR);
      throw err;
    });
    return this.connection;
  }

  /** Fails every pending request and event, aborts their transfers, closes the socket. */
  async close(): Promise<void> {
    const driver = this.driver;
    this.driver = undefined;
    this.connection = undefined;
    this.bound = false;
    for (const p of [...this.requests.values()]) {
      this.finishRequest(p, { err: new UdpTransportError('CLOSED', `ClientUdp: closed while request "${p.pattern}" was pending`, p.transferId, true) }, driver);
    }
    for (const e of [...this.events.values()]) {
      this.finishEvent(e, driver);
      e.reject(new UdpTransportError('CLOSED', `ClientUdp: closed while event "${e.pattern}" was in flight`, e.transferId, true));
    }
    if (driver !== undefined) await driver.close();
    this._status$.next(UdpStatus.CLOSED);
  }

  /**
   * `send(pattern, data)` that also tells which transfer carries the request:
   * connects if needed, starts the transfer, and resolves with its id and the
   * response Observable. Rejects (UdpTransportError, `local: true`) when the
   * transfer cannot start: not connected, our own `limits.maxTransfers`
   * reached, data or target that cannot travel. `data` may be a UdpRecord.
   */
  async sendWithTransfer<TResult = unknown, TInput = unknown>(pattern: unknown, data: TInput | UdpRecord<TInput>): Promise<UdpSentRequest<TResult>> {
    await this.connect();
    const responses = new ReplaySubject<TResult>();
    const deliver = this.createObserver(responses);
    let finished = false;
    return new Promise<UdpSentRequest<TResult>>((resolve, reject) => {
      let started = false;
      const cleanup = this.startRequest(
        { pattern, data },
        (packet) => {
          if (packet.isDisposed === true || packet.err !== undefined) finished = true;
          // Before the transfer started, a failure is the promise's: nobody holds response$ yet.
          if (!started) reject(packet.err);
          else deliver(packet);
        },
        (info) => {
          started = true;
          const response$ = new Observable<TResult>((subscriber) => {
            const inner = responses.subscribe(subscriber);
            return () => {
              inner.unsubscribe();
              if (!finished) {
                finished = true;
                cleanup();
              }
            };
          });
          resolve({ requestId: info.requestId ?? '', transferId: info.transferId, target: info.target, response$ });
        },
      );
    });
  }

  /** The bound dgram socket. Throws when not connected. */
  unwrap<T = Socket>(): T {
    return unwrapBoundSocket<T>(this.driver, this.bound, 'ClientUdp: not connected. Call "connect" (or send/emit) before accessing the socket.');
  }

  /** The driver, while connected: for what ClientUdp does not wrap (prefer counters(), transfers()). */
  getDriver(): UdpEndpointDriver | undefined {
    return this.driver;
  }

  /** The endpoint's counters and the socket driver's stats, as a snapshot; undefined while not connected. */
  counters(): UdpCounters | undefined {
    return this.driver === undefined ? undefined : snapshotCounters(this.driver);
  }

  /** The transfers in flight (outgoing requests and events, incoming replies), with their progress. */
  transfers(): TransferInfo[] {
    return this.driver?.endpoint.transfers() ?? [];
  }

  /** Requests waiting for their response. */
  pendingCount(): number {
    return this.requests.size + this.events.size;
  }

  override on<EventKey extends keyof UdpClientEvents = keyof UdpClientEvents, EventCallback extends UdpClientEvents[EventKey] = UdpClientEvents[EventKey]>(
    event: EventKey,
    callback: EventCallback,
  ): void {
    this.listeners.on(event, callback);
  }

  // ------------------------------------------------------------ ClientProxy

  protected publish(partialPacket: ReadPacket<unknown>, callback: (packet: WritePacket<unknown>) => void): () => void {
    return this.startRequest(partialPacket, callback);
  }

  protected dispatchEvent<T = UdpEmitResult>(packet: ReadPacket<unknown>): Promise<T> {
    const driver = this.driver;
    if (driver === undefined || !this.bound) {
      return Promise.reject(new UdpTransportError('NOT_CONNECTED', 'ClientUdp: not connected', undefined, true));
    }
    const pattern = String(this.normalizePattern(packet.pattern));
    const { data, target } = unwrapRecord(packet.data);
    return this.targetOf(target).then((peer) => {
      // Closed (or reconnected) while a host name was being resolved.
      if (this.driver !== driver) throw new UdpTransportError('CLOSED', `ClientUdp: closed before event "${pattern}" was sent`, undefined, true);
      const transferId = this.sendEnvelope(driver, peer, { kind: 'evt', pattern, data }, `event "${pattern}"`);
      const done = new Promise<UdpEmitResult>((resolve, reject) => {
        const pending: PendingEvent = {
          pattern,
          target: peer,
          transferId,
          resolve,
          reject,
          timer: setTimeout(() => {
            this.finishEvent(pending, this.driver, Reason.TIMEOUT, 'event timed out');
            reject(this.timeoutError(`event "${pattern}"`, peer, transferId));
          }, this.resolved.requestTimeoutMs),
        };
        this.events.set(transferId, pending);
      });
      this.listeners.emit('request', { kind: 'evt', requestId: undefined, pattern, transferId, target: peer });
      return done;
    }) as Promise<unknown> as Promise<T>;
  }

  // ------------------------------------------------------------ internals

  /**
   * publish() with a hook called once the transfer started. The request is
   * pending (and its timer running) from the start, also while a host name
   * target is resolved, so close(), the timeout and the clean-up cover it.
   */
  private startRequest(
    partialPacket: ReadPacket<unknown>,
    callback: (packet: WritePacket<unknown>) => void,
    onStarted?: (info: UdpRequestEvent) => void,
  ): () => void {
    const driver = this.driver;
    if (driver === undefined || !this.bound) {
      callback({ err: new UdpTransportError('NOT_CONNECTED', 'ClientUdp: not connected', undefined, true) });
      return () => undefined;
    }
    const packet = this.assignPacketId(partialPacket);
    const pattern = String(this.normalizePattern(packet.pattern));
    const { data, target } = unwrapRecord(packet.data);
    const pending: PendingRequest = {
      id: packet.id,
      pattern,
      target: '',
      callback,
      transferId: undefined,
      replies: new Set(),
      timer: setTimeout(() => this.timeoutRequest(packet.id), this.resolved.requestTimeoutMs),
    };
    this.requests.set(packet.id, pending);
    const start = (peer: PeerAddress): void => {
      // Cancelled, timed out or closed while the target was being resolved.
      if (this.requests.get(packet.id) !== pending) return;
      pending.target = peer;
      let transferId: TransferId;
      try {
        transferId = this.sendEnvelope(driver, peer, { kind: 'req', pattern, id: packet.id, data }, `request "${pattern}"`);
      } catch (err) {
        this.finishRequest(pending, { err });
        return;
      }
      pending.transferId = transferId;
      this.requestByTransfer.set(transferId, packet.id);
      const info: UdpRequestEvent = { kind: 'req', requestId: packet.id, pattern, transferId, target: peer };
      onStarted?.(info);
      this.listeners.emit('request', info);
    };
    const peer = this.literalTarget(target);
    if (typeof peer === 'string') start(peer);
    else if (peer instanceof UdpTransportError) this.finishRequest(pending, { err: peer });
    else {
      this.targetOf(target).then(start, (err: unknown) => {
        if (this.requests.get(packet.id) === pending) this.finishRequest(pending, { err });
      });
    }
    return () => {
      const p = this.requests.get(packet.id);
      if (p !== undefined) this.forgetRequest(p, this.driver, Reason.CANCELLED, 'request cancelled by the client');
    };
  }

  /**
   * The peer address of a target known without DNS (none: the default; an IP
   * literal), the error of a malformed one, or undefined for a host name.
   * Synchronous on purpose: a request to an address starts inside publish(),
   * as ClientProxy's callers expect.
   */
  private literalTarget(target: UdpTarget | undefined): PeerAddress | UdpTransportError | undefined {
    if (target === undefined) return this.defaultTarget;
    const parsed = parseUdpTarget(target);
    if (!parsed.ok) return new UdpTransportError('BAD_TARGET', `ClientUdp: ${parsed.message}`, undefined, true);
    return literalPeer(parsed.host, parsed.port);
  }

  private async targetOf(target: UdpTarget | undefined): Promise<PeerAddress> {
    const peer = this.literalTarget(target);
    if (typeof peer === 'string') return peer;
    if (peer instanceof UdpTransportError) throw peer;
    const parsed = parseUdpTarget(target ?? '');
    if (!parsed.ok) throw new UdpTransportError('BAD_TARGET', `ClientUdp: ${parsed.message}`, undefined, true);
    try {
      return await this.resolveHost(parsed.host, parsed.port);
    } catch (err) {
      throw new UdpTransportError('BAD_TARGET', `ClientUdp: cannot resolve ${parsed.host}: ${err instanceof Error ? err.message : String(err)}`, undefined, true);
    }
  }

  private async resolveHost(host: string, port: number): Promise<PeerAddress> {
    const peer = literalPeer(host, port);
    if (peer !== undefined) return peer;
    // The core matches replies by exact address: resolve a name to the socket's family.
    const family = this.resolved.driver.type === 'udp6' ? 6 : 4;
    const { address } = await lookup(host, { family });
    return formatPeerAddress(address, port);
  }

  /** Encodes and starts one transfer to `peer`; throws a local UdpTransportError when it cannot start. */
  private sendEnvelope(driver: UdpEndpointDriver, peer: PeerAddress, message: EnvelopeMessage, what: string): TransferId {
    let encoded: ReturnType<typeof encodeForOffer>;
    try {
      encoded = encodeForOffer(message, this.resolved.endpoint.wire, this.resolved.offer);
    } catch (err) {
      if (!(err instanceof EnvelopeError)) throw err;
      throw new UdpTransportError('BAD_ENVELOPE', `ClientUdp: ${what} cannot be sent: ${err.message}`, undefined, true);
    }
    const sent = driver.send(peer, {
      data: encoded.body,
      metadata: encoded.metadata,
      name: encoded.name,
      contentType: encoded.contentType,
      preview: encoded.preview,
    });
    // Our own endpoint said no (its maxTransfers, a draining endpoint, an OFFER that cannot fit): local.
    if (!sent.ok) throw new UdpTransportError(sent.code, `ClientUdp: ${what} refused: ${sent.code}: ${sent.message}`, undefined, true);
    return sent.transferId;
  }

  private timeoutError(what: string, target: PeerAddress, transferId: TransferId | undefined): UdpTransportError {
    return new UdpTransportError(
      'TIMEOUT',
      `ClientUdp: no response to ${what} from ${target || 'an unresolved target'} within ${this.resolved.requestTimeoutMs} ms ` +
        '(server down or unreachable, or keys differ)',
      transferId,
      true,
    );
  }

  private timeoutRequest(id: string): void {
    const p = this.requests.get(id);
    if (p === undefined) return;
    const err = this.timeoutError(`request "${p.pattern}"`, p.target, p.transferId);
    this.forgetRequest(p, this.driver, Reason.TIMEOUT, 'request timed out');
    p.callback({ err });
  }

  /** Drops a request from every map; aborts its transfers still in flight. */
  private forgetRequest(p: PendingRequest, driver: UdpEndpointDriver | undefined, reason?: Reason, text?: string): void {
    clearTimeout(p.timer);
    this.requests.delete(p.id);
    for (const t of [p.transferId, ...p.replies]) {
      if (t === undefined) continue;
      this.requestByTransfer.delete(t);
      if (reason !== undefined && text !== undefined) driver?.abort(t, reason, text);
    }
    p.transferId = undefined;
    p.replies.clear();
  }

  /** Forgets the request (aborting what is in flight) and delivers its last packet. */
  private finishRequest(p: PendingRequest, packet: WritePacket<unknown>, driver = this.driver): void {
    this.forgetRequest(p, driver, Reason.CANCELLED, 'request finished');
    p.callback({ ...packet, isDisposed: true });
  }

  private finishEvent(e: PendingEvent, driver: UdpEndpointDriver | undefined, reason = Reason.CANCELLED, text = 'client closed'): void {
    clearTimeout(e.timer);
    if (this.events.delete(e.transferId)) driver?.abort(e.transferId, reason, text);
  }

  private onEndpointEvent(driver: UdpEndpointDriver, event: EndpointEvent): void {
    switch (event.type) {
      case 'started':
        this.onReplyStarted(driver, event);
        break;
      case 'verified':
        this.onReplyVerified(driver, event);
        return;
      case 'completed':
        if (event.role === 'sender') this.onSentCompleted(event);
        break;
      case 'failed':
        this.onFailed(event);
        break;
      default:
        break;
    }
    forwardTransferEvent(this.listeners, event);
  }

  /** Accepts only replies to a pending request. */
  private onReplyStarted(driver: UdpEndpointDriver, event: UdpTransferEvent<'started'>): void {
    let id: string | undefined;
    try {
      const peek = peekEnvelope(event.offer.metadata);
      if (peek.kind === 'res') id = peek.id;
    } catch {
      id = undefined;
    }
    const p = id === undefined ? undefined : this.requests.get(id);
    // A reply must come from the server the request went to: with several servers on one socket, another one cannot answer for it.
    if (p === undefined || p.target !== event.peer) {
      driver.abort(event.transferId, Reason.APPLICATION, 'ClientUdp accepts only replies to its pending requests');
      return;
    }
    p.replies.add(event.transferId);
    this.requestByTransfer.set(event.transferId, p.id);
  }

  private onReplyVerified(driver: UdpEndpointDriver, event: Extract<EndpointEvent, { type: 'verified' }>): void {
    const id = this.requestByTransfer.get(event.transferId);
    const p = id === undefined ? undefined : this.requests.get(id);
    if (p === undefined) {
      driver.fail(event.transferId, Reason.APPLICATION, 'no pending request for this reply');
      return;
    }
    let message: EnvelopeMessage;
    try {
      message = decodeFromOffer(event.offer.metadata, event.data);
      if (message.kind !== 'res' || message.id !== p.id) throw new Error('not a reply to this request');
    } catch (err) {
      const text = err instanceof Error ? err.message : String(err);
      driver.fail(event.transferId, Reason.APPLICATION, text);
      this.finishRequest(p, { err: new UdpTransportError('BAD_ENVELOPE', `ClientUdp: bad reply to "${p.pattern}": ${text}`, event.transferId) }, driver);
      return;
    }
    driver.commit(event.transferId);
    p.replies.delete(event.transferId);
    this.requestByTransfer.delete(event.transferId);
    this.deliver(p, message, driver);
  }

  private deliver(p: PendingRequest, message: EnvelopeMessage, driver: UdpEndpointDriver | undefined): void {
    if (message.err !== undefined) {
      this.finishRequest(p, { err: message.err }, driver);
    } else if (message.isDisposed) {
      // The request transfer gets its COMPLETE right after the last reply: let it finish, don't abort it.
      if (p.transferId !== undefined) this.requestByTransfer.delete(p.transferId);
      p.transferId = undefined;
      this.finishRequest(p, { response: message.data }, driver);
    } else {
      p.callback({ response: message.data });
    }
  }

  private onSentCompleted(event: UdpTransferEvent<'completed'>): void {
    const e = this.events.get(event.transferId);
    if (e !== undefined) {
      this.finishEvent(e, undefined);
      e.resolve({ transferId: event.transferId, bytes: event.bytes, sha256: event.sha256, stats: event.stats });
      return;
    }
    const id = this.requestByTransfer.get(event.transferId);
    const p = id === undefined ? undefined : this.requests.get(id);
    if (p === undefined) return;
    this.requestByTransfer.delete(event.transferId);
    p.transferId = undefined;
    if (event.result.length === 0) {
      // The response came as reply transfers, which end before this COMPLETE: none is missing unless the server broke the rule.
      if (p.replies.size === 0) {
        this.finishRequest(p, { err: new UdpTransportError('BAD_ENVELOPE', `ClientUdp: request "${p.pattern}" completed without a response`, event.transferId) });
      }
      return;
    }
    let message: EnvelopeMessage;
    try {
      message = decodeInline(event.result);
    } catch (err) {
      const text = err instanceof Error ? err.message : String(err);
      this.finishRequest(p, { err: new UdpTransportError('BAD_ENVELOPE', `ClientUdp: bad response to "${p.pattern}": ${text}`, event.transferId) });
      return;
    }
    this.deliver(p, { ...message, isDisposed: true }, this.driver);
  }

  private onFailed(event: UdpTransferEvent<'failed'>): void {
    const e = event.role === 'sender' ? this.events.get(event.transferId) : undefined;
    if (e !== undefined) {
      this.finishEvent(e, undefined);
      e.reject(errorFromFailure(event, `ClientUdp: event "${e.pattern}"`));
      return;
    }
    const id = this.requestByTransfer.get(event.transferId);
    const p = id === undefined ? undefined : this.requests.get(id);
    if (p === undefined) return;
    const what = event.role === 'sender' ? `ClientUdp: request "${p.pattern}"` : `ClientUdp: reply to "${p.pattern}"`;
    this.finishRequest(p, { err: errorFromFailure(event, what) });
  }
}
