/**
 * Maps what ClientUdp rejects with onto the three outcomes the HTTP API
 * distinguishes. Transport errors carry a protocol Reason name or a transport
 * code; anything else is the receiver handler's own error value.
 */
import { Reason, UdpTransportError } from '@udpix/protocol';
import { ImageSendError, type SendFailureKind } from './image-client';

/** No answer, or the link could not deliver: the receiver is down, unreachable, or the path too lossy. */
const UNREACHABLE = new Set<string>([Reason[Reason.TIMEOUT], Reason[Reason.UNREACHABLE], Reason[Reason.REPAIR_LIMIT]]);
/** This sender is going away or cannot send now. */
const UNAVAILABLE = new Set<string>(['CLOSED', 'NOT_CONNECTED', Reason[Reason.CANCELLED]]);
/**
 * Refusals that are the sender's own capacity when its endpoint says them
 * (`local`): its limits.maxTransfers is full, or it is draining. The same
 * codes from the receiver are the receiver's refusal (502).
 */
const UNAVAILABLE_WHEN_LOCAL = new Set<string>([Reason[Reason.TOO_MANY_TRANSFERS], Reason[Reason.SHUTTING_DOWN]]);

function kindOf(code: string, local: boolean): SendFailureKind {
  if (UNREACHABLE.has(code)) return 'unreachable';
  if (UNAVAILABLE.has(code)) return 'unavailable';
  if (local && UNAVAILABLE_WHEN_LOCAL.has(code)) return 'unavailable';
  // Every other Reason (TOO_LARGE, HASH_MISMATCH, STORE_FAILED, SHUTTING_DOWN, ...) and BAD_ENVELOPE: the receiver refused or failed.
  return 'rejected';
}

function handlerMessage(err: unknown): string {
  if (typeof err === 'object' && err !== null) {
    const message: unknown = Reflect.get(err, 'message');
    if (typeof message === 'string') return message;
  }
  return typeof err === 'string' ? err : JSON.stringify(err) ?? String(err);
}

export function toImageSendError(err: unknown): ImageSendError {
  if (err instanceof ImageSendError) return err;
  if (err instanceof UdpTransportError) return new ImageSendError(kindOf(err.code, err.local), err.code, err.message);
  if (err instanceof Error && err.name === 'UdpOptionsError') return new ImageSendError('unavailable', 'BAD_OPTIONS', err.message);
  // The receiver's handler threw: its error value travelled back in FAILED.
  return new ImageSendError('rejected', 'APPLICATION', `the receiver refused the image: ${handlerMessage(err)}`);
}
