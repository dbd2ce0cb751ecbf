/**
 * Errors of the UDP transport, and how a handler's error travels: as the
 * text of FAILED (reason APPLICATION or STORE_FAILED), JSON of at most
 * MAX_REASON_TEXT_BYTES (200) bytes. A longer error value is reduced to
 * {"status":"error","message": <its message, cut>}.
 */
import { MAX_REASON_TEXT_BYTES, Reason } from '../../wire';
import type { EndpointEvent } from '../../core';

/**
 * A failure of the transport itself (not of the remote handler): timeout,
 * closed, unreachable, refused.
 *
 * `local` tells where the failure arose: true on this side (our endpoint
 * refused to start the transfer, e.g. its own `limits.maxTransfers` or a
 * draining endpoint; data or a target that cannot travel; not connected,
 * closed, timed out, or our session gave up: UNREACHABLE, REPAIR_LIMIT,
 * ...), false at the peer (its REJECT, FAILED or ABORT, or a response we
 * could not read). The same code can be either: TOO_MANY_TRANSFERS is local
 * when our sender limit is full, remote when the receiver's is.
 */
export class UdpTransportError extends Error {
  constructor(
    /** A code name: a protocol Reason name (UNREACHABLE, TIMEOUT, ...), or NOT_CONNECTED, CLOSED, BAD_ENVELOPE, BAD_TARGET. */
    readonly code: string,
    message: string,
    readonly transferId?: string,
    /** True when this side decided (see the class comment); false when the peer did, or unknown. */
    readonly local = false,
  ) {
    super(message);
    this.name = 'UdpTransportError';
  }
}

function fitsText(text: string): boolean {
  return Buffer.byteLength(text, 'utf8') <= MAX_REASON_TEXT_BYTES;
}

function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'string') return err;
  if (typeof err === 'object' && err !== null) {
    const message: unknown = Reflect.get(err, 'message');
    if (typeof message === 'string') return message;
  }
  return String(err);
}

/**
 * The FAILED text for a handler error: its JSON when that fits 200 bytes, else
 * {"status":"error","message": ...} with the message cut to fit. An Error
 * instance travels as {"status":"error","message": its message}.
 */
export function failureText(err: unknown): string {
  if (!(err instanceof Error)) {
    let json: string | undefined;
    try {
      json = JSON.stringify(err);
    } catch {
      json = undefined;
    }
    if (json !== undefined && fitsText(json)) return json;
  }
  let message = messageOf(err);
  let text = JSON.stringify({ status: 'error', message });
  while (!fitsText(text)) {
    // Cut by code points (never halving a surrogate pair), a few at a time; JSON escapes make bytes hard to predict.
    const chars = Array.from(message);
    message = chars.slice(0, Math.max(0, chars.length - Math.max(1, Math.ceil((Buffer.byteLength(text) - MAX_REASON_TEXT_BYTES) / 4)))).join('');
    text = JSON.stringify({ status: 'error', message });
  }
  return text;
}

type Failed = Extract<EndpointEvent, { type: 'failed' }>;

/**
 * The JSON value of a peer's FAILED/ABORT text (the core hands it over
 * verbatim as `peerMessage`). Only an object, an array or a string counts: a
 * bare word or number in human text must not pass for JSON.
 */
export function peerJson(text: string): { ok: true; value: unknown } | { ok: false } {
  const first = text.charCodeAt(0);
  if (first !== 0x7b && first !== 0x5b && first !== 0x22) return { ok: false };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/**
 * True when the peer ended the transfer (its REJECT, FAILED or ABORT), false
 * when our endpoint did (timeouts, repair limit, a hash mismatch it found):
 * the core sets `peerMessage` exactly in the first case.
 */
export function failedByPeer(event: Failed): boolean {
  return event.peerMessage !== undefined;
}

/**
 * What a caller sees for a failed transfer: the remote handler's error value
 * (parsed from FAILED's text) for APPLICATION / STORE_FAILED, else a
 * UdpTransportError naming the reason, `local` unless the peer ended it.
 */
export function errorFromFailure(event: Failed, what: string): unknown {
  if ((event.reason === Reason.APPLICATION || event.reason === Reason.STORE_FAILED) && event.peerMessage !== undefined) {
    const parsed = peerJson(event.peerMessage);
    if (parsed.ok) return parsed.value;
  }
  return new UdpTransportError(event.code, `${what} failed: ${event.code}: ${event.message}`, event.transferId, !failedByPeer(event));
}
