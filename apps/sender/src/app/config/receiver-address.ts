/** A receiver named as "host:port" (IPv6 as "[addr]:port"), as in UDPIX_RECEIVER and the `to` query parameter. */
import { isIP } from 'node:net';

export interface ReceiverAddress {
  host: string;
  port: number;
}

const HOST_PORT = /^(?:\[([0-9a-fA-F:.]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/;
const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

export function parseReceiverAddress(text: string): ReceiverAddress | undefined {
  const match = HOST_PORT.exec(text.trim());
  if (match === null) return undefined;
  const [, v6, name, portText] = match;
  const port = Number(portText);
  if (port < 1 || port > 65535) return undefined;
  if (v6 !== undefined) return isIP(v6) === 6 ? { host: v6, port } : undefined;
  if (isIP(name) === 0 && !HOSTNAME.test(name)) return undefined;
  return { host: name, port };
}

export function formatReceiverAddress({ host, port }: ReceiverAddress): string {
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}
