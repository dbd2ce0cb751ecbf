/**
 * The encoder's intermediate step: each body codec validates a message and
 * returns its exact length and a writer, so the codec can check the size
 * limit and allocate the datagram once before any byte is written.
 */
import type { ByteWriter } from './cursor';

/** A body ready to be written: its exact length and a writer. */
export interface BodyPlan {
  ok: true;
  length: number;
  write: (w: ByteWriter) => void;
  /** Flags the body itself implies (NACK: TRUNCATED). */
  flags: number;
  /** NACK: ranges written. */
  rangesEncoded?: number;
}

export interface EncodeFailure {
  ok: false;
  error: 'TOO_LARGE' | 'MALFORMED';
  detail: string;
}

export function malformed(detail: string): EncodeFailure {
  return { ok: false, error: 'MALFORMED', detail };
}
