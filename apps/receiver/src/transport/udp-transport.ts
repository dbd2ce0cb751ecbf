/**
 * The one file that knows the UDP transport (ServerUdp of @udpix/protocol).
 * The rest of the receiver sees ReceiverTransport: transfer events, the
 * endpoint counters, drain, and the bound address. Swapping or mocking the
 * transport touches this file only.
 */
import { ServerUdp, type TransferInfo, type UdpCounters, type UdpTransferEvent, type UdpTransferEventType } from '@udpix/protocol';
import { parseSharedKey } from '@udpix/service-kit';
import type { AddressInfo } from 'node:net';
import type { ReceiverConfig } from '../config/receiver-config';

export type { EndpointCounters, TransferInfo, TransferStats, UdpCounters, UdpTransferEvent, UdpTransferEventType } from '@udpix/protocol';
export { UdpContext } from '@udpix/protocol';

/** Injection token of the ReceiverTransport. */
export const RECEIVER_TRANSPORT = Symbol('udpix:receiver-transport');

/** The pattern of the image message (`client.send('image', {image, name, contentType, width?, height?})`). */
export const IMAGE_PATTERN = 'image';

const TRANSFER_EVENT_TYPES: readonly UdpTransferEventType[] = ['started', 'progress', 'gap', 'gap-repaired', 'completed', 'failed'];

export interface ReceiverTransport {
  /** Every transfer-level event, in the order the endpoint produced them. */
  onTransferEvent(listener: (event: UdpTransferEvent) => void): void;
  /** The endpoint's counters and the socket's stats (a snapshot), or undefined while not listening. */
  counters(): UdpCounters | undefined;
  /** Transfers the endpoint holds right now. */
  transfers(): TransferInfo[];
  /** Refuse new OFFERs; transfers in flight go on. */
  drain(): void;
  /**
   * Abort what is still in flight and close the socket, after keeping it open
   * until `lingerMs` passed since the last transfer finished (late senders
   * whose COMPLETE was lost get it again from the tombstones).
   */
  close(options: { lingerMs: number }): Promise<void>;
  /** The bound UDP address, or undefined while not listening. */
  address(): AddressInfo | undefined;
}

/** ServerUdp options from the receiver's configuration. */
export function createUdpServer(config: ReceiverConfig): ServerUdp {
  const key = config.UDPIX_KEY === undefined ? undefined : parseSharedKey(config.UDPIX_KEY);
  return new ServerUdp({
    host: config.UDPIX_UDP_HOST,
    port: config.UDPIX_UDP_PORT,
    maxDatagram: config.UDPIX_MAX_DATAGRAM,
    key,
    limits: {
      maxBytesPerTransfer: config.UDPIX_MAX_BYTES,
      maxTransfers: config.UDPIX_MAX_TRANSFERS,
      maxMemoryBytes: config.UDPIX_MAX_MEMORY_BYTES,
    },
    timeouts: { handlerMs: config.UDPIX_HANDLER_TIMEOUT_MS },
  });
}

/** ReceiverTransport over a ServerUdp. */
export class ServerUdpTransport implements ReceiverTransport {
  constructor(private readonly server: ServerUdp) {}

  onTransferEvent(listener: (event: UdpTransferEvent) => void): void {
    for (const type of TRANSFER_EVENT_TYPES) this.server.on(type, listener);
  }

  counters(): UdpCounters | undefined {
    return this.server.counters();
  }

  transfers(): TransferInfo[] {
    return this.server.transfers();
  }

  drain(): void {
    this.server.drain();
  }

  close(options: { lingerMs: number }): Promise<void> {
    return this.server.close(options);
  }

  address(): AddressInfo | undefined {
    try {
      return this.server.address();
    } catch {
      return undefined;
    }
  }
}
