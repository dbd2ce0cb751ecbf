/**
 * Status values and typed event maps of the UDP transport (the counterpart of
 * @nestjs/microservices' events/tcp.events). Transfer-level events mirror the
 * core's EndpointEvent; each callback receives that event as its payload.
 */
import type { AddressInfo } from 'node:net';
import type { EndpointEvent, PeerAddress } from '../core';
import type { TransferId } from '../wire';

export const UdpStatus = {
  /** ClientUdp only: binding the socket. */
  CONNECTING: 'connecting',
  /** The socket is bound (the server listens, the client can send). */
  LISTENING: 'listening',
  /** Binding failed, or the socket reported an error. */
  ERROR: 'error',
  /** close() ran. */
  CLOSED: 'closed',
} as const;
export type UdpStatus = (typeof UdpStatus)[keyof typeof UdpStatus];

export const UdpEventsMap = {
  LISTENING: 'listening',
  ERROR: 'error',
  CLOSE: 'close',
  STARTED: 'started',
  PROGRESS: 'progress',
  GAP: 'gap',
  GAP_REPAIRED: 'gap-repaired',
  COMPLETED: 'completed',
  FAILED: 'failed',
  /** ClientUdp only: a send() or emit() started its transfer. */
  REQUEST: 'request',
} as const;
export type UdpEventName = (typeof UdpEventsMap)[keyof typeof UdpEventsMap];

/** The transfer-level events the transport re-emits. */
export type UdpTransferEventType = 'started' | 'progress' | 'gap' | 'gap-repaired' | 'completed' | 'failed';

/** The payload of a transfer-level event: the core's EndpointEvent of that type. */
export type UdpTransferEvent<T extends UdpTransferEventType = UdpTransferEventType> = Extract<EndpointEvent, { type: T }>;

export const UDP_TRANSFER_EVENT_TYPES: readonly UdpTransferEventType[] = ['started', 'progress', 'gap', 'gap-repaired', 'completed', 'failed'];

/**
 * Events of ServerUdp and ClientUdp, for `on(event, callback)`. Transfer
 * events cover both roles: a server receives requests and events and sends
 * replies; a client sends requests and events and receives replies.
 */
export type UdpEvents = {
  listening: (address: AddressInfo) => void;
  error: (error: Error) => void;
  close: () => void;
  started: (event: UdpTransferEvent<'started'>) => void;
  progress: (event: UdpTransferEvent<'progress'>) => void;
  gap: (event: UdpTransferEvent<'gap'>) => void;
  'gap-repaired': (event: UdpTransferEvent<'gap-repaired'>) => void;
  completed: (event: UdpTransferEvent<'completed'>) => void;
  failed: (event: UdpTransferEvent<'failed'>) => void;
};

/** ClientUdp's 'request' event: a send() (`kind` 'req') or emit() ('evt') started the transfer that carries it. */
export interface UdpRequestEvent {
  kind: 'req' | 'evt';
  /** The request id of a send() (the `id` of its envelope); undefined for an event, which has none. */
  requestId: string | undefined;
  /** The normalized pattern (an object pattern as JSON with sorted keys). */
  pattern: string;
  /** The transfer: the `transferId` of its progress, completed and failed events. */
  transferId: TransferId;
  /** The server it goes to, "ip:port" ("[v6]:port"). */
  target: PeerAddress;
}

export type UdpServerEvents = UdpEvents;
export type UdpClientEvents = UdpEvents & {
  request: (event: UdpRequestEvent) => void;
};
