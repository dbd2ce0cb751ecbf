/** The ClientUdp options the sender's configuration stands for. */
import type { UdpClientOptions } from '@udpix/protocol';
import { parseSharedKey } from '@udpix/service-kit';
import type { SenderConfig } from '../config/sender-config';

/** The core gives up an OFFER or a silent peer after 10 s by default; a shorter overall deadline must win. */
const PROTOCOL_TIMEOUT_CAP_MS = 10_000;

export function udpClientOptions(config: SenderConfig): Omit<UdpClientOptions, 'host' | 'port'> {
  const protocolTimeout = Math.min(config.UDPIX_TIMEOUT_MS, PROTOCOL_TIMEOUT_CAP_MS);
  return {
    localHost: config.UDPIX_UDP_HOST,
    localPort: config.UDPIX_UDP_PORT,
    maxDatagram: config.UDPIX_MAX_DATAGRAM,
    rate: config.UDPIX_RATE_BYTES_PER_SEC,
    key: config.UDPIX_KEY === undefined ? undefined : parseSharedKey(config.UDPIX_KEY),
    limits: { maxTransfers: config.UDPIX_MAX_TRANSFERS },
    timeouts: { offerMs: protocolTimeout, idleMs: protocolTimeout },
    requestTimeoutMs: config.UDPIX_TIMEOUT_MS,
  };
}
