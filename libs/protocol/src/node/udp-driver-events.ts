/** What the UDP driver emits, and the counters it keeps of its own I/O. */
import type { AddressInfo } from 'node:net';
import type { EndpointEvent } from '../core/types';

export interface UdpDriverEventMap {
  /** Every event the endpoint produced, in order. */
  event: [event: EndpointEvent];
  /** A socket error (bind failures reject bind() instead). */
  error: [error: Error];
  /** A send failed. Not fatal: the protocol treats it as loss. */
  'send-error': [error: Error];
  listening: [address: AddressInfo];
  close: [];
}

/** The driver's own counters; the endpoint's are on endpoint.counters. */
export interface UdpDriverStats {
  datagramsSent: number;
  bytesSent: number;
  datagramsReceived: number;
  bytesReceived: number;
  /** Sends that failed synchronously or in their callback. */
  sendErrors: number;
  /** Transmits whose destination was not a valid "host:port" / "[v6]:port". */
  badDestinations: number;
  /** Datagrams dropped by the dropInbound test hook. */
  inboundDropped: number;
  /** Times draining stopped because maxSendsInFlight sends were pending. */
  backpressureStalls: number;
  /** Highest number of sends in flight seen. */
  peakSendsInFlight: number;
  sendsInFlight: number;
  /** libuv's queue of sends waiting for the socket to become writable. */
  sendQueueCount: number;
  sendQueueBytes: number;
  /** Timer and immediate wake-ups (each runs handleTimeout and a drive). */
  wakeUps: number;
  /** The last send error's message, for logs. */
  lastSendError: string | undefined;
}

export interface UdpBufferSizes {
  /** SO_RCVBUF as the kernel reports it (Linux reports twice what it grants for data). */
  recv: number;
  send: number;
}
