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
 * Every pending request fails with a UdpTransportError on close() and after
 * `requestTimeoutMs`; `publish()` returns its own clean-up, which aborts the
 * transfer still in flight and forgets the request.
 */
import { Logger } from '@nestjs/common';
import { ClientProxy, type ReadPacket, type WritePacket } from '@nestjs/microservices';
import type { Socket } from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { isIP, type AddressInfo } from 'node:net';
import { Endpoint, type EndpointEvent, type TransferStats } from '../core';
import { UdpEndpointDriver, formatPeerAddress } from '../node';
import { Reason, type TransferId } from '../wire';
import { UdpStatus, type UdpClientEvents, type UdpTransferEvent } from './udp.events';
import { decodeFromOffer, decodeInline, encodeForOffer, peekEnvelope, type EnvelopeMessage } from './helpers/udp-envelope';
import { UdpTransportError, errorFromFailure } from './helpers/udp-errors';
import { UdpListeners, forwardTransferEvent } from './helpers/udp-listeners';
import { resolveUdpClientOptions, type ResolvedUdpClientOptions, type UdpClientOptions } from './helpers/udp-options';

/** What `emit()` yields once the server's handler finished. */
export interface UdpEmitResult {
  transferId: TransferId;
  bytes: number;
  sha256: string;
  stats: TransferStats;
}

interface PendingRequest {
  id: string;
  pattern: string;
  callback: (packet: WritePacket<unknown>) => void;
  /** The request transfer, while it is in flight. */
  transferId: TransferId | undefined;
  /** Reply transfers being received. */
  replies: Set<TransferId>;
  timer: NodeJS.Timeout;
}

interface PendingEvent {
  pattern: string;
  transferId: TransferId;
  resolve: (result: UdpEmitResult) => void;
  reject: (err: unknown) => void;
  timer: NodeJS.Timeout;
}

export class ClientUdp extends ClientProxy<UdpClientEvents, UdpStatus> {
  protected readonly logger = new Logger(ClientUdp.name);
  private readonly resolved: ResolvedUdpClientOptions;
  private readonly listeners = new UdpListeners<UdpClientEvents>(this.logger);
  private driver: UdpEndpointDriver | undefined;
  private connection: Promise<AddressInfo> | undefined;
  private bound = false;
  /** The server as "ip:port" (resolved at connect). */
  private target = '';
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
    const driver = new UdpEndpointDriver(new Endpoint({ config: this.resolved.endpoint }), this.resolved.driver);
    this.driver = driver;
    driver.on('event', (event) => this.onEndpointEvent(driver, event));
    driver.on('listening', (address) => {
      this.bound = true;
      this._status$.next(UdpStatus.LISTENING);
      this.listeners.emit('listening', address);
    });
    driver.on('error', (err) => {
      this._status$.next(UdpStatus.ERROR);
      this.logger.error(`socket error: ${err.message}`);
      this.listeners.emit('error', err);
    });
    driver.on('close', () => {
      this.bound = false;
      this._status$.next(UdpStatus.CLOSED);
      this.listeners.emit('close');
    });
    const connection = (async () => {
      this.target = await this.resolveTarget();
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
      this.finishRequest(p, { err: new UdpTransportError('CLOSED', `ClientUdp: closed while request "${p.pattern}" was pending`) }, driver);
    }
    for (const e of [...this.events.values()]) {
      this.finishEvent(e, driver);
      e.reject(new UdpTransportError('CLOSED', `ClientUdp: closed while event "${e.pattern}" was in flight`, e.transferId));
    }
    if (driver !== undefined) await driver.close();
    this._status$.next(UdpStatus.CLOSED);
  }

  /** The bound dgram socket. Throws when not connected. */
  unwrap<T = Socket>(): T {
    if (this.driver === undefined || !this.bound) {
      throw new Error('ClientUdp: not connected. Call "connect" (or send/emit) before accessing the socket.');
    }
    return this.driver.unwrap() as unknown as T;
  }

  /** The driver (endpoint counters, socket stats), while connected. */
  getDriver(): UdpEndpointDriver | undefined {
    return this.driver;
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
    const driver = this.driver;
    if (driver === undefined || !this.bound) {
      callback({ err: new UdpTransportError('NOT_CONNECTED', 'ClientUdp: not connected') });
      return () => undefined;
    }
    const packet = this.assignPacketId(partialPacket);
    const pattern = String(this.normalizePattern(packet.pattern));
    let transferId: TransferId;
    try {
      transferId = this.sendEnvelope(driver, { kind: 'req', pattern, id: packet.id, data: packet.data }, `request "${pattern}"`);
    } catch (err) {
      callback({ err });
      return () => undefined;
    }
    const pending: PendingRequest = {
      id: packet.id,
      pattern,
      callback,
      transferId,
      replies: new Set(),
      timer: setTimeout(() => this.timeoutRequest(packet.id), this.resolved.requestTimeoutMs),
    };
    this.requests.set(packet.id, pending);
    this.requestByTransfer.set(transferId, packet.id);
    return () => {
      const p = this.requests.get(packet.id);
      if (p !== undefined) this.forgetRequest(p, this.driver, Reason.CANCELLED, 'request cancelled by the client');
    };
  }

  protected dispatchEvent<T = UdpEmitResult>(packet: ReadPacket<unknown>): Promise<T> {
    const driver = this.driver;
    if (driver === undefined || !this.bound) {
      return Promise.reject(new UdpTransportError('NOT_CONNECTED', 'ClientUdp: not connected'));
    }
    const pattern = String(this.normalizePattern(packet.pattern));
    return new Promise<UdpEmitResult>((resolve, reject) => {
      const transferId = this.sendEnvelope(driver, { kind: 'evt', pattern, data: packet.data }, `event "${pattern}"`);
      const pending: PendingEvent = {
        pattern,
        transferId,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.finishEvent(pending, this.driver, Reason.TIMEOUT, 'event timed out');
          reject(this.timeoutError(`event "${pattern}"`, transferId));
        }, this.resolved.requestTimeoutMs),
      };
      this.events.set(transferId, pending);
    }) as Promise<unknown> as Promise<T>;
  }

  // ------------------------------------------------------------ internals

  private async resolveTarget(): Promise<string> {
    const { host, port } = this.resolved;
    if (isIP(host) !== 0) return formatPeerAddress(host, port);
    // The core matches replies by exact address: resolve a name once, to the socket's family.
    const family = this.resolved.driver.type === 'udp6' ? 6 : 4;
    const { address } = await lookup(host, { family });
    return formatPeerAddress(address, port);
  }

  /** Encodes and starts one transfer to the server; throws (EnvelopeError, UdpTransportError) when it cannot start. */
  private sendEnvelope(driver: UdpEndpointDriver, message: EnvelopeMessage, what: string): TransferId {
    const encoded = encodeForOffer(message, this.resolved.endpoint.wire, this.resolved.offer);
    const sent = driver.send(this.target, {
      data: encoded.body,
      metadata: encoded.metadata,
      name: encoded.name,
      contentType: encoded.contentType,
      preview: encoded.preview,
    });
    if (!sent.ok) throw new UdpTransportError(sent.code, `ClientUdp: ${what} refused: ${sent.code}: ${sent.message}`);
    return sent.transferId;
  }

  private timeoutError(what: string, transferId: TransferId | undefined): UdpTransportError {
    return new UdpTransportError(
      'TIMEOUT',
      `ClientUdp: no response to ${what} from ${this.target} within ${this.resolved.requestTimeoutMs} ms ` +
        '(server down or unreachable, or keys differ)',
      transferId,
    );
  }

  private timeoutRequest(id: string): void {
    const p = this.requests.get(id);
    if (p === undefined) return;
    const err = this.timeoutError(`request "${p.pattern}"`, p.transferId);
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
    if (p === undefined) {
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
      this.finishRequest(p, { err: new UdpTransportError('BAD_ENVELOPE', `ClientUdp: bad reply to "${p.pattern}": ${text}`) }, driver);
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
        this.finishRequest(p, { err: new UdpTransportError('BAD_ENVELOPE', `ClientUdp: request "${p.pattern}" completed without a response`) });
      }
      return;
    }
    let message: EnvelopeMessage;
    try {
      message = decodeInline(event.result);
    } catch (err) {
      const text = err instanceof Error ? err.message : String(err);
      this.finishRequest(p, { err: new UdpTransportError('BAD_ENVELOPE', `ClientUdp: bad response to "${p.pattern}": ${text}`) });
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
