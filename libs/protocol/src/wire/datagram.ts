/**
 * Helpers for Datagram, the segment list encode returns (header, payload,
 * tag for DATA; one segment otherwise). Drivers hand the segments to the
 * socket as they are; tests and the simulator flatten them.
 */
import type { Datagram } from './messages';

/** Total bytes of the datagram (sum of its segments). */
export function datagramLength(datagram: Datagram): number {
  let n = 0;
  for (const s of datagram) n += s.length;
  return n;
}

/** One contiguous copy of the datagram (for tests, the simulator and logging; not the send path). */
export function concatDatagram(datagram: Datagram): Uint8Array {
  const out = new Uint8Array(datagramLength(datagram));
  let offset = 0;
  for (const s of datagram) {
    out.set(s, offset);
    offset += s.length;
  }
  return out;
}
