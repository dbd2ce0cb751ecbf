/**
 * Datagrams the kernel dropped on one UDP socket because its receive buffer
 * was full: the last column of /proc/net/udp (Linux only). This is the loss
 * the protocol sees on loopback when the receiver falls behind, and the
 * number to watch when tuning rate, window and buffer sizes.
 */
import { readFileSync } from 'node:fs';

export function kernelUdpDrops(localPort: number, file = '/proc/net/udp'): number | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const portHex = localPort.toString(16).toUpperCase().padStart(4, '0');
  for (const line of text.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 13) continue;
    if (fields[1].endsWith(`:${portHex}`)) return Number(fields[fields.length - 1]);
  }
  return undefined;
}
