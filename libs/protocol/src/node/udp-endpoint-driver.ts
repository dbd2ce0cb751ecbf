/**
 * The thin driver: one dgram socket around one sans-IO ProtocolEndpoint
 * (quinn's drive_transmit / drive_timer, aioquic's asyncio/protocol.py).
 *
 * Everything the protocol decides lives in the endpoint. This class only
 * moves bytes and time: received datagrams go in with a timestamp, datagrams
 * the endpoint wants sent go out (bounded per tick and by the number of sends
 * in flight), one timer is kept armed at the endpoint's next deadline, and
 * the endpoint's events are re-emitted.
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import type {
  EndpointEvent,
  OutgoingObject,
  PeerAddress,
  ProtocolEndpoint,
  SendResult,
  Transmit,
} from '../core/types';
import type { Reason, TransferId } from '../wire/messages';
import { literalFirstLookup } from './literal-lookup';
import { parsePeerAddress } from './peer-address';
import type { UdpBufferSizes, UdpDriverEventMap, UdpDriverStats } from './udp-driver-events';
import {
  resolveUdpDriverOptions,
  type ResolvedUdpDriverOptions,
  type UdpEndpointDriverOptions,
} from './udp-driver-options';

type DriverState = 'new' | 'binding' | 'bound' | 'closing' | 'closed';

export class UdpEndpointDriver extends EventEmitter<UdpDriverEventMap> {
  private readonly options: ResolvedUdpDriverOptions;
  private socket: Socket | undefined;
  private state: DriverState = 'new';
  private closePromise: Promise<void> | undefined;

  /** The one armed timer and the deadline it was armed for (NaN when none). */
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private armedDeadline = Number.NaN;

  private driving = false;
  private driveAgain = false;
  /** Draining stopped at maxSendsInFlight; a send callback lifts it. */
  private blocked = false;
  /** Set during a timer wake-up, to notice an endpoint whose overdue deadline does not go away. */
  private inWake = false;
  private wakeSentMark = 0;
  private rejectBind: ((err: Error) => void) | undefined;

  /** Single-entry cache of the last source address and its "host:port" string. */
  private lastFromHost = '';
  private lastFromPort = -1;
  private lastFrom = '';
  /** Single-entry cache of the last destination: almost every datagram goes to the same peer. */
  private lastTo = '';
  private lastHost = '';
  private lastPort = 0;

  private readonly counters = {
    datagramsSent: 0,
    bytesSent: 0,
    datagramsReceived: 0,
    bytesReceived: 0,
    sendErrors: 0,
    badDestinations: 0,
    inboundDropped: 0,
    backpressureStalls: 0,
    peakSendsInFlight: 0,
    sendsInFlight: 0,
    wakeUps: 0,
    lastSendError: undefined as string | undefined,
  };

  constructor(
    readonly endpoint: ProtocolEndpoint,
    options: UdpEndpointDriverOptions = {},
  ) {
    super();
    this.options = resolveUdpDriverOptions(options);
  }

  /** The driver's clock (ms), the one every endpoint call is stamped with. */
  now(): number {
    return this.options.now();
  }

  /** Opens and binds the socket; resolves with the bound address (read the port when binding port 0). */
  bind(): Promise<AddressInfo> {
    if (this.state !== 'new') {
      return Promise.reject(new Error(`UdpEndpointDriver: bind() called in state ${this.state}`));
    }
    this.state = 'binding';
    const { type, ipv6Only, host, port } = this.options;
    const socket = createSocket({ type, ipv6Only, lookup: literalFirstLookup });
    this.socket = socket;
    return new Promise<AddressInfo>((resolve, reject) => {
      this.rejectBind = reject;
      const onBindError = (err: Error): void => {
        this.rejectBind = undefined;
        socket.off('listening', onListening);
        this.state = 'closed';
        this.socket = undefined;
        socket.close();
        reject(err);
      };
      const onListening = (): void => {
        this.rejectBind = undefined;
        socket.off('error', onBindError);
        if (this.state !== 'binding') return; // closed while binding
        this.state = 'bound';
        this.applyBufferSizes(socket);
        socket.on('message', this.onMessage);
        socket.on('error', this.onSocketError);
        const address = socket.address();
        this.emit('listening', address);
        resolve(address);
        // The endpoint may already hold work (a send() before bind()).
        this.drive();
      };
      socket.once('error', onBindError);
      socket.once('listening', onListening);
      socket.bind({ port, address: host, exclusive: true });
    });
  }

  /** Stops the timer, closes the socket; resolves once it is closed. Idempotent. */
  close(): Promise<void> {
    if (this.closePromise) return this.closePromise;
    this.clearTimers();
    const socket = this.socket;
    if (this.rejectBind) {
      this.rejectBind(new Error('UdpEndpointDriver: closed while binding'));
      this.rejectBind = undefined;
    }
    this.state = 'closing';
    this.closePromise = new Promise<void>((resolve) => {
      if (!socket) {
        this.state = 'closed';
        resolve();
        return;
      }
      socket.close(() => {
        this.state = 'closed';
        this.socket = undefined;
        this.emit('close');
        resolve();
      });
    });
    return this.closePromise;
  }

  /** The bound address; throws when not bound. */
  address(): AddressInfo {
    return this.unwrap().address();
  }

  /** The underlying socket, for what the driver does not wrap. Throws when not bound. */
  unwrap(): Socket {
    if (this.state !== 'bound' || !this.socket) {
      throw new Error(`UdpEndpointDriver: not bound (state ${this.state})`);
    }
    return this.socket;
  }

  /** Buffer sizes the kernel granted (0 when not bound). */
  bufferSizes(): UdpBufferSizes {
    const socket = this.state === 'bound' ? this.socket : undefined;
    if (!socket) return { recv: 0, send: 0 };
    return { recv: socket.getRecvBufferSize(), send: socket.getSendBufferSize() };
  }

  stats(): UdpDriverStats {
    const socket = this.state === 'bound' ? this.socket : undefined;
    return {
      ...this.counters,
      sendQueueCount: socket ? socket.getSendQueueCount() : 0,
      sendQueueBytes: socket ? socket.getSendQueueSize() : 0,
    };
  }

  // --- Endpoint calls, stamped with the driver's clock and followed by a drive. ---

  send(to: PeerAddress, object: OutgoingObject): SendResult {
    const result = this.endpoint.send(to, object, this.now());
    this.drive();
    return result;
  }

  commit(transferId: TransferId, result?: Uint8Array): boolean {
    const ok = this.endpoint.commit(transferId, result, this.now());
    this.drive();
    return ok;
  }

  fail(transferId: TransferId, reason: Reason, message: string): boolean {
    const ok = this.endpoint.fail(transferId, reason, message, this.now());
    this.drive();
    return ok;
  }

  abort(transferId: TransferId, reason: Reason, message: string): boolean {
    const ok = this.endpoint.abort(transferId, reason, message, this.now());
    this.drive();
    return ok;
  }

  /**
   * Emits pending events, sends what the endpoint allows, re-arms the timer.
   * Call it after touching the endpoint directly. Re-entrant calls (from an
   * event listener) are folded into the running one.
   */
  drive(): void {
    if (this.state !== 'bound') return;
    if (this.driving) {
      this.driveAgain = true;
      return;
    }
    this.driving = true;
    try {
      do {
        this.driveAgain = false;
        this.emitEvents();
        this.drainTransmits(this.now());
        this.emitEvents();
      } while (this.driveAgain && this.state === 'bound');
      if (this.state === 'bound') this.armTimer();
    } finally {
      this.driving = false;
    }
  }

  // --- Receive path ---

  private readonly onMessage = (msg: Buffer, rinfo: RemoteInfo): void => {
    this.counters.datagramsReceived++;
    this.counters.bytesReceived += msg.length;
    const drop = this.options.dropInbound;
    if (drop !== undefined && drop(msg)) {
      this.counters.inboundDropped++;
      return;
    }
    // Nearly every datagram comes from the peer before it: reuse its address string.
    if (rinfo.port !== this.lastFromPort || rinfo.address !== this.lastFromHost) {
      this.lastFromHost = rinfo.address;
      this.lastFromPort = rinfo.port;
      this.lastFrom = rinfo.family === 'IPv6' ? `[${rinfo.address}]:${rinfo.port}` : `${rinfo.address}:${rinfo.port}`;
    }
    this.endpoint.handleDatagram(this.lastFrom, msg, this.now());
    // libuv hands over up to 32 datagrams per readable event; one drive after
    // the batch (setImmediate runs after the poll phase) instead of one per
    // datagram keeps pollEvent/pollTimeout off the per-datagram path.
    this.scheduleImmediate();
  };

  private readonly onSocketError = (err: Error): void => {
    this.emit('error', err);
  };

  // --- Send path ---

  /** Shared by every send: no closure per datagram. */
  private readonly onSendComplete = (err: Error | null): void => {
    this.counters.sendsInFlight--;
    if (err) this.recordSendError(err);
    if (this.blocked && this.counters.sendsInFlight <= this.options.resumeSendsInFlight) {
      this.blocked = false;
      this.scheduleImmediate();
    }
  };

  private drainTransmits(now: number): void {
    const { maxDatagramsPerTick, maxSendsInFlight } = this.options;
    for (let sent = 0; sent < maxDatagramsPerTick; sent++) {
      if (this.counters.sendsInFlight >= maxSendsInFlight) {
        // Resumed by onSendComplete. Meanwhile the datagrams stay inside the
        // endpoint, where pacing and flow control already bound them.
        if (!this.blocked) this.counters.backpressureStalls++;
        this.blocked = true;
        return;
      }
      const transmit = this.endpoint.pollTransmit(now);
      if (transmit === undefined) return;
      this.transmit(transmit);
    }
    // Budget spent and more may be ready: yield so received datagrams (ACKs,
    // NACKs) get in before the next batch.
    this.scheduleImmediate();
  }

  private transmit(transmit: Transmit): void {
    const socket = this.socket;
    if (socket === undefined) return;
    if (transmit.to !== this.lastTo) {
      const peer = parsePeerAddress(transmit.to);
      if (peer === undefined) {
        this.counters.badDestinations++;
        return;
      }
      this.lastTo = transmit.to;
      this.lastHost = peer.host;
      this.lastPort = peer.port;
    }
    const inFlight = ++this.counters.sendsInFlight;
    if (inFlight > this.counters.peakSendsInFlight) this.counters.peakSendsInFlight = inFlight;
    try {
      // The segment list goes to the kernel as an iovec: no concatenation.
      socket.send(transmit.datagram, this.lastPort, this.lastHost, this.onSendComplete);
      this.counters.datagramsSent++;
      this.counters.bytesSent += transmit.length;
    } catch (err) {
      // Synchronous throws (bad arguments, socket closed) never reach the callback.
      this.counters.sendsInFlight--;
      this.recordSendError(err instanceof Error ? err : new Error(String(err)));
    }
  }

  private recordSendError(err: Error): void {
    this.counters.sendErrors++;
    this.counters.lastSendError = err.message;
    if (this.listenerCount('send-error') > 0) this.emit('send-error', err);
  }

  // --- Events ---

  private emitEvents(): void {
    let event: EndpointEvent | undefined;
    while (this.state === 'bound' && (event = this.endpoint.pollEvent()) !== undefined) {
      this.emit('event', event);
    }
  }

  // --- Timers ---

  private armTimer(): void {
    const deadline = this.endpoint.pollTimeout();
    if (deadline === undefined) {
      this.clearTimer();
      return;
    }
    // An immediate already queued serves any deadline.
    if (this.immediate !== undefined) return;
    const delay = deadline - this.now();
    // An immediate spins the event loop, so it is only for near deadlines the
    // endpoint can act on: not while sends are blocked (the pacer would say
    // "now" again and again), and not for an overdue deadline that a wake-up
    // just failed to clear (a stuck endpoint must not pin a CPU).
    const stuck = this.inWake && delay <= 0 && this.counters.datagramsSent === this.wakeSentMark;
    if (delay < this.options.immediateBelowMs && !this.blocked && !stuck) {
      this.scheduleImmediate();
      return;
    }
    // Keep an armed timer unless the deadline moved earlier. Deadlines mostly
    // move later (every datagram pushes idle and ack-delay timers out); an
    // early wake-up costs one handleTimeout and a re-arm, while replacing the
    // timer on every drive costs a Timeout object each time.
    if (this.timer !== undefined && this.armedDeadline <= deadline) return;
    this.clearTimer();
    this.armedDeadline = deadline;
    this.timer = setTimeout(this.onTimer, stuck ? 1 : Math.max(0, delay));
    if (this.options.unrefTimers) this.timer.unref();
  }

  private readonly onTimer = (): void => {
    const deadline = this.armedDeadline;
    this.timer = undefined;
    this.armedDeadline = Number.NaN;
    // libuv measures timers from the loop's cached time, which can lag the
    // clock: a timer may fire before its deadline. Wait out the rest rather
    // than hand the endpoint a "timeout" that has not happened yet.
    if (this.state === 'bound' && this.now() < deadline) {
      this.armTimer();
      return;
    }
    this.fireTimeout();
  };

  private readonly onImmediate = (): void => {
    this.immediate = undefined;
    this.fireTimeout();
  };

  /** handleTimeout is cheap when nothing is due, so every wake-up calls it before driving. */
  private fireTimeout(): void {
    if (this.state !== 'bound') return;
    this.counters.wakeUps++;
    this.inWake = true;
    this.wakeSentMark = this.counters.datagramsSent;
    try {
      this.endpoint.handleTimeout(this.now());
      this.drive();
    } finally {
      this.inWake = false;
    }
  }

  private scheduleImmediate(): void {
    if (this.immediate !== undefined || this.state !== 'bound') return;
    this.immediate = setImmediate(this.onImmediate);
    if (this.options.unrefTimers) this.immediate.unref();
  }

  private clearTimer(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.armedDeadline = Number.NaN;
    }
  }

  private clearTimers(): void {
    this.clearTimer();
    if (this.immediate !== undefined) {
      clearImmediate(this.immediate);
      this.immediate = undefined;
    }
  }

  private applyBufferSizes(socket: Socket): void {
    const { recvBufferSize, sendBufferSize } = this.options;
    // The kernel may refuse or cap these (net.core.rmem_max); bufferSizes() reports what we got.
    try {
      if (recvBufferSize > 0) socket.setRecvBufferSize(recvBufferSize);
    } catch {
      /* keep the OS default */
    }
    try {
      if (sendBufferSize > 0) socket.setSendBufferSize(sendBufferSize);
    } catch {
      /* keep the OS default */
    }
  }
}
