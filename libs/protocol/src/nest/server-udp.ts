/**
 * ServerUdp: the NestJS microservice transport over udpix (the counterpart of
 * @nestjs/microservices' server/server-tcp).
 *
 * One UdpEndpointDriver (one socket, one core Endpoint) receives requests and
 * events as transfers. A handler runs when the core says `verified` (every
 * byte arrived and the SHA-256 matched); the transfer is committed (COMPLETE
 * to the client) only after the handler's Promise/Observable finished, so
 * COMPLETE means "verified and handled" (for a handler that stores an image:
 * "verified and stored"). A handler error fails the transfer instead.
 *
 * A @MessagePattern response travels in COMPLETE's result when its inline
 * envelope fits MAX_RESULT_BYTES (256); otherwise as reply transfers ('res'
 * envelopes with the request id) from this socket to the client's address,
 * sent one after another, the last marked isDisposed, and the request is
 * committed once they are delivered.
 *
 * Graceful stop: `drain()` refuses new OFFERs (REJECT SHUTTING_DOWN) while the
 * transfers in flight go on; `transfers()` and `counters()` show what is left;
 * `close({ lingerMs })` then aborts what remains and keeps the socket open a
 * little longer, so the endpoint's tombstones can still answer a client whose
 * COMPLETE was lost (it probes, and would otherwise time out on a transfer
 * that succeeded). Nest's own `close()` (no argument) closes at once.
 */
import { Logger } from '@nestjs/common';
import { Server, type CustomTransportStrategy, type MessageHandler, type Transport } from '@nestjs/microservices';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:dgram';
import { lastValueFrom, toArray } from 'rxjs';
import { type EndpointEvent, type TransferInfo } from '../core';
import { UdpEndpointDriver } from '../node';
import { MAX_RESULT_BYTES, Reason, type TransferId } from '../wire';
import { UdpContext, toUdpOfferInfo } from './udp.context';
import { UdpStatus, type UdpServerEvents, type UdpTransferEvent } from './udp.events';
import { decodeFromOffer, encodeForOffer, encodeInline, peekEnvelope, type EnvelopeMessage } from './helpers/udp-envelope';
import { snapshotCounters, type UdpCounters } from './helpers/udp-counters';
import { UdpTransportError, failedByPeer, failureText } from './helpers/udp-errors';
import { createUdpDriver, unwrapBoundSocket } from './helpers/udp-driver';
import { UdpListeners, forwardTransferEvent } from './helpers/udp-listeners';
import { resolveUdpServerOptions, type ResolvedUdpOptions, type UdpServerOptions } from './helpers/udp-options';

/** The transport id of ServerUdp (for @MessagePattern(pattern, UDP_TRANSPORT) and hybrid apps). */
export const UDP_TRANSPORT: unique symbol = Symbol.for('udpix.transport.udp');

/** As @nestjs/microservices' TCP transport says it. */
export const NO_MESSAGE_HANDLER = 'There is no matching message handler defined in the remote service.';
export const NO_EVENT_HANDLER = (pattern: string): string =>
  `There is no matching event handler defined in the remote service. Event pattern: ${pattern}`;

type Verified = Extract<EndpointEvent, { type: 'verified' }>;

export interface UdpServerCloseOptions {
  /**
   * After aborting the transfers in flight, keep the socket open until this
   * long (ms, default 0) has passed since the last incoming transfer
   * finished, so tombstones answer clients whose COMPLETE/FAILED was lost
   * (they probe for it). New OFFERs are refused meanwhile. No linger when
   * none finished that recently (a client waiting on a COMPLETE probes
   * within a few RTTs); cut short by another close() call.
   */
  lingerMs?: number;
}

/** Longest linger accepted: a shutdown should not hang for more than a minute on it. */
export const MAX_LINGER_MS = 60_000;

interface Linger {
  timer: NodeJS.Timeout;
  stop: () => void;
}

interface ReplyWaiter {
  resolve: () => void;
  reject: (err: Error) => void;
}

export class ServerUdp extends Server<UdpServerEvents, UdpStatus> implements CustomTransportStrategy {
  override transportId: Transport | symbol = UDP_TRANSPORT;
  protected override readonly logger = new Logger(ServerUdp.name);
  private readonly resolved: ResolvedUdpOptions;
  private readonly listeners = new UdpListeners<UdpServerEvents>(this.logger);
  private driver: UdpEndpointDriver | undefined;
  private bound = false;
  /** Outgoing reply transfers, waiting for their COMPLETE. */
  private readonly replies = new Map<TransferId, ReplyWaiter>();
  /** Set while close() runs (lingering included): one close at a time, later calls join it. */
  private closing: Promise<void> | undefined;
  private linger: Linger | undefined;
  /** When the last incoming transfer finished (monotonic ms): a linger counts from there. */
  private lastFinishedAt: number | undefined;

  constructor(options: UdpServerOptions = {}) {
    super();
    this.resolved = resolveUdpServerOptions(options);
  }

  /** Binds the socket; calls back with no argument when listening, with the error when binding failed. */
  listen(callback: (...optionalParams: unknown[]) => unknown): void {
    if (this.driver !== undefined) {
      callback(new Error('ServerUdp: listen() called while already listening'));
      return;
    }
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
    driver.bind().then(
      () => callback(),
      (err: unknown) => {
        if (this.driver === driver) this.driver = undefined;
        this._status$.next(UdpStatus.ERROR);
        callback(err);
      },
    );
  }

  /**
   * Refuses new OFFERs from now on (the client gets REJECT SHUTTING_DOWN);
   * transfers in flight, and the replies they still owe, go on. No-op when
   * not listening. Nest never calls it: a graceful stop calls it, waits for
   * `transfers()` to empty (or a deadline), then `close()`.
   */
  drain(): void {
    const driver = this.driver;
    if (driver === undefined) return;
    driver.endpoint.drain();
    // drain() touched the endpoint behind the driver's back: drive() re-arms its timer and flushes events.
    driver.drive();
  }

  /** The endpoint's counters and the socket driver's stats, as a snapshot; undefined while not listening. */
  counters(): UdpCounters | undefined {
    return this.driver === undefined ? undefined : snapshotCounters(this.driver);
  }

  /** The transfers in flight (incoming requests and events, outgoing replies), with their progress. */
  transfers(): TransferInfo[] {
    return this.driver?.endpoint.transfers() ?? [];
  }

  /**
   * Refuses new transfers, aborts those in flight (SHUTTING_DOWN), closes the
   * socket. With `lingerMs` the socket closes only after that long (see
   * UdpServerCloseOptions). A call while a close runs cuts its linger short
   * and resolves with it.
   */
  close(options: UdpServerCloseOptions = {}): Promise<void> {
    const lingerMs = options.lingerMs ?? 0;
    if (!Number.isFinite(lingerMs) || lingerMs < 0 || lingerMs > MAX_LINGER_MS) {
      return Promise.reject(new RangeError(`ServerUdp: close(): lingerMs must be in [0, ${MAX_LINGER_MS}], got ${String(lingerMs)}`));
    }
    if (this.closing !== undefined) {
      this.linger?.stop();
      return this.closing;
    }
    const closing = this.closeNow(lingerMs).finally(() => {
      this.closing = undefined;
    });
    this.closing = closing;
    return closing;
  }

  private async closeNow(lingerMs: number): Promise<void> {
    const driver = this.driver;
    const closed = new UdpTransportError('CLOSED', 'ServerUdp: closed', undefined, true);
    for (const waiter of this.replies.values()) waiter.reject(closed);
    this.replies.clear();
    if (driver !== undefined) {
      driver.endpoint.drain();
      for (const t of driver.endpoint.transfers()) driver.abort(t.transferId, Reason.SHUTTING_DOWN, 'server shutting down');
      const remaining = this.lastFinishedAt === undefined ? 0 : this.lastFinishedAt + lingerMs - performance.now();
      if (remaining > 0) await this.lingerFor(remaining);
    }
    this.driver = undefined;
    this.bound = false;
    this.lastFinishedAt = undefined;
    if (driver !== undefined) await driver.close();
    this._status$.next(UdpStatus.CLOSED);
  }

  /** Waits `ms` with the socket open (the driver keeps answering from tombstones), or until stop(). */
  private lingerFor(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const stop = (): void => {
        clearTimeout(linger.timer);
        this.linger = undefined;
        resolve();
      };
      const linger: Linger = { timer: setTimeout(stop, ms), stop };
      this.linger = linger;
    });
  }

  /** The bound dgram socket. Throws when not listening. */
  unwrap<T = Socket>(): T {
    return unwrapBoundSocket<T>(this.driver, this.bound, 'ServerUdp: not listening. Call "listen" (app.listen() / startAllMicroservices()) before accessing the socket.');
  }

  /** The bound address (read the port after binding port 0). Throws when not listening. */
  address(): AddressInfo {
    return this.unwrap<Socket>().address();
  }

  /** The driver, while listening: for what ServerUdp does not wrap (prefer drain(), counters(), transfers()). */
  getDriver(): UdpEndpointDriver | undefined {
    return this.driver;
  }

  on<EventKey extends keyof UdpServerEvents = keyof UdpServerEvents, EventCallback extends UdpServerEvents[EventKey] = UdpServerEvents[EventKey]>(
    event: EventKey,
    callback: EventCallback,
  ): void {
    this.listeners.on(event, callback);
  }

  // ------------------------------------------------------------ endpoint events

  private onEndpointEvent(driver: UdpEndpointDriver, event: EndpointEvent): void {
    switch (event.type) {
      case 'started':
        this.onStarted(driver, event);
        break;
      case 'verified':
        this.onVerified(driver, event);
        return;
      case 'completed':
      case 'failed': {
        if (event.role === 'receiver') this.lastFinishedAt = performance.now();
        const waiter = event.role === 'sender' ? this.replies.get(event.transferId) : undefined;
        if (waiter !== undefined) {
          this.replies.delete(event.transferId);
          if (event.type === 'completed') waiter.resolve();
          else waiter.reject(new UdpTransportError(event.code, `reply transfer failed: ${event.code}: ${event.message}`, event.transferId, !failedByPeer(event)));
        }
        break;
      }
      default:
        break;
    }
    forwardTransferEvent(this.listeners, event);
  }

  /** Refuses early (before the bytes arrive) what no handler would take. */
  private onStarted(driver: UdpEndpointDriver, event: UdpTransferEvent<'started'>): void {
    let refusal: string | undefined;
    try {
      const peek = peekEnvelope(event.offer.metadata);
      if (peek.kind === 'res') refusal = failureText('ServerUdp does not accept responses');
      else if (!peek.headerInBody && peek.pattern !== undefined && this.getHandlerByPattern(peek.pattern) === null) {
        refusal = failureText(peek.kind === 'req' ? NO_MESSAGE_HANDLER : NO_EVENT_HANDLER(peek.pattern));
      }
    } catch (err) {
      refusal = failureText(`not a udpix transport envelope: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (refusal !== undefined) driver.abort(event.transferId, Reason.APPLICATION, refusal);
  }

  private onVerified(driver: UdpEndpointDriver, event: Verified): void {
    let message: EnvelopeMessage;
    try {
      message = decodeFromOffer(event.offer.metadata, event.data);
    } catch (err) {
      const text = `bad envelope: ${err instanceof Error ? err.message : String(err)}`;
      this.logger.warn(`transfer ${event.transferId} from ${event.peer}: ${text}`);
      driver.fail(event.transferId, Reason.APPLICATION, failureText(text));
      return;
    }
    if (message.kind === 'res' || message.pattern === undefined) {
      driver.fail(event.transferId, Reason.APPLICATION, failureText('ServerUdp takes requests and events only'));
      return;
    }
    const context = new UdpContext([event.peer, event.transferId, event.stats, toUdpOfferInfo(event.offer), message.pattern]);
    const run = message.kind === 'evt' ? this.handleUdpEvent(driver, event, message, context) : this.handleUdpRequest(driver, event, message, context);
    run.catch((err: unknown) => this.logger.error(`transfer ${event.transferId}: ${err instanceof Error ? err.message : String(err)}`));
  }

  /** Runs `work` inside the processing hooks Nest may have set (tracing), and resolves with its result. */
  private runInHooks<T>(context: UdpContext, work: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      try {
        this.onProcessingStartHook(this.transportId, context, async () => {
          try {
            const value = await work();
            resolve(value);
            return value;
          } catch (err) {
            reject(err);
            return undefined;
          } finally {
            this.onProcessingEndHook?.(this.transportId, context);
          }
        });
      } catch (err) {
        reject(err);
      }
    });
  }

  private async handleUdpEvent(driver: UdpEndpointDriver, event: Verified, message: EnvelopeMessage, context: UdpContext): Promise<void> {
    const pattern = context.getPattern();
    const handler: MessageHandler | null = this.getHandlerByPattern(pattern);
    if (handler === null) {
      this.logger.error(NO_EVENT_HANDLER(pattern));
      driver.fail(event.transferId, Reason.APPLICATION, failureText(NO_EVENT_HANDLER(pattern)));
      return;
    }
    try {
      await this.runInHooks(context, async () => {
        const result: unknown = await handler(message.data, context);
        await lastValueFrom(this.transformToObservable(result), { defaultValue: undefined });
      });
    } catch (err) {
      driver.fail(event.transferId, Reason.STORE_FAILED, failureText(err));
      return;
    }
    driver.commit(event.transferId);
  }

  private async handleUdpRequest(driver: UdpEndpointDriver, event: Verified, message: EnvelopeMessage, context: UdpContext): Promise<void> {
    const handler: MessageHandler | null = this.getHandlerByPattern(context.getPattern());
    if (handler === null) {
      driver.fail(event.transferId, Reason.APPLICATION, failureText(NO_MESSAGE_HANDLER));
      return;
    }
    let values: unknown[];
    try {
      values = await this.runInHooks(context, async () => {
        const result: unknown = await handler(message.data, context);
        return lastValueFrom(this.transformToObservable(result).pipe(toArray()));
      });
    } catch (err) {
      driver.fail(event.transferId, Reason.APPLICATION, failureText(err));
      return;
    }
    try {
      await this.respond(driver, event, message.id, values);
    } catch (err) {
      driver.fail(event.transferId, Reason.APPLICATION, failureText(err));
    }
  }

  /**
   * One value whose inline envelope fits MAX_RESULT_BYTES: in COMPLETE's
   * result. Otherwise each value as a reply transfer, in order, the last with
   * isDisposed; then COMPLETE with an empty result.
   */
  private async respond(driver: UdpEndpointDriver, event: Verified, id: string | undefined, values: unknown[]): Promise<void> {
    if (values.length <= 1) {
      const result = encodeInline({ kind: 'res', data: values[0], isDisposed: true });
      if (result.length <= MAX_RESULT_BYTES) {
        driver.commit(event.transferId, result);
        return;
      }
    }
    const { wire } = this.resolved.endpoint;
    for (let i = 0; i < values.length; i++) {
      const encoded = encodeForOffer({ kind: 'res', id, data: values[i], isDisposed: i === values.length - 1 }, wire, this.resolved.offer);
      await this.sendReply(driver, event.peer, encoded);
    }
    driver.commit(event.transferId);
  }

  private sendReply(driver: UdpEndpointDriver, peer: string, encoded: ReturnType<typeof encodeForOffer>): Promise<void> {
    // While closing (lingering included) the request was aborted already: a reply would only be refused.
    if (this.driver !== driver || this.closing !== undefined) {
      return Promise.reject(new UdpTransportError('CLOSED', 'ServerUdp: closed before the reply was sent', undefined, true));
    }
    const sent = driver.send(peer, {
      data: encoded.body,
      metadata: encoded.metadata,
      name: encoded.name,
      contentType: encoded.contentType,
      preview: encoded.preview,
    });
    if (!sent.ok) return Promise.reject(new UdpTransportError(sent.code, `reply refused: ${sent.code}: ${sent.message}`, undefined, true));
    return new Promise<void>((resolve, reject) => this.replies.set(sent.transferId, { resolve, reject }));
  }
}
