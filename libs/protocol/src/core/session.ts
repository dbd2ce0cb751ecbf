/**
 * What the Endpoint needs from a session of either role. Sessions are
 * sans-IO state machines: they take datagrams and time, and hand out
 * encoded datagrams, deadlines and events.
 */
import { encode } from '../wire/codec';
import type { Datagram, Message, MessageType, Reason, TransferId } from '../wire/messages';
import type { EndpointConfig, EndpointEvent, PeerAddress, Role, TransferInfo, TransferStats } from './types';

/** One datagram a session wants sent to its peer. */
export interface Outgoing {
  type: MessageType;
  datagram: Datagram;
  length: number;
}

/** What a session gets from its Endpoint. */
export interface SessionContext {
  config: EndpointConfig;
  /** Queues an event for pollEvent, in order. */
  emit(event: EndpointEvent): void;
}

export interface Session {
  readonly role: Role;
  readonly transferId: TransferId;
  readonly peer: PeerAddress;
  readonly stats: TransferStats;
  /** True once the session reached a terminal state; the Endpoint then reaps it. */
  readonly finished: boolean;
  /** The last message for the peer (ABORT, COMPLETE, FAILED), handed out once when finished. */
  takeFinal(): Message | undefined;
  handleTimeout(now: number): void;
  pollTransmit(now: number): Outgoing | undefined;
  pollTimeout(): number | undefined;
  /** Aborts locally (application or endpoint decision): emits `failed` and prepares ABORT. */
  abort(reason: Reason, message: string, now: number): void;
  info(now: number): TransferInfo;
}

/**
 * Encodes a message the session built itself. Sessions only build messages
 * from validated state, so a failure here is a bug, not bad input: it throws
 * with the codec's detail rather than being swallowed.
 */
export function encodeOwn(message: Message, config: EndpointConfig): Outgoing & { rangesEncoded?: number } {
  const r = encode(message, config.wire);
  if (!r.ok) throw new Error(`internal: cannot encode own ${message.type} message: ${r.error} ${r.detail}`);
  return { type: message.type, datagram: r.datagram, length: r.length, rangesEncoded: r.rangesEncoded };
}
