import type { AddressInfo } from 'node:net';
import type { ReceiverTransport, TransferInfo, TransferStats, UdpCounters, UdpTransferEvent } from '../transport/udp-transport';

/** Test double of the transport: tests push transport events and set counters by hand. */
export class FakeTransport implements ReceiverTransport {
  private readonly listeners: Array<(event: UdpTransferEvent) => void> = [];
  drained = false;
  /** The lingerMs close() was called with, once it was. */
  closedWith: { lingerMs: number } | undefined;
  endpointTransfers: TransferInfo[] = [];
  endpointCounters: UdpCounters | undefined;
  boundAddress: AddressInfo | undefined = { address: '127.0.0.1', family: 'IPv4', port: 5000 };

  onTransferEvent(listener: (event: UdpTransferEvent) => void): void {
    this.listeners.push(listener);
  }

  push(event: UdpTransferEvent): void {
    for (const l of this.listeners) l(event);
  }

  counters(): UdpCounters | undefined {
    return this.endpointCounters;
  }

  transfers(): TransferInfo[] {
    return this.endpointTransfers;
  }

  drain(): void {
    this.drained = true;
  }

  async close(options: { lingerMs: number }): Promise<void> {
    this.closedWith = options;
    this.boundAddress = undefined;
  }

  address(): AddressInfo | undefined {
    return this.boundAddress;
  }
}

export function stats(overrides: Partial<TransferStats> = {}): TransferStats {
  return {
    datagramsSent: 0,
    bytesSent: 0,
    datagramsReceived: 10,
    bytesReceived: 10_000,
    chunksSent: 0,
    chunksRetransmitted: 0,
    bytesRetransmitted: 0,
    duplicates: 0,
    corrupt: 0,
    outOfOrder: 0,
    nacksSent: 1,
    nacksReceived: 0,
    acksSent: 2,
    acksReceived: 0,
    gapsDetected: 1,
    gapsRepaired: 1,
    repairRounds: 1,
    lossEstimate: 0.1,
    rttMs: 2,
    rttVarMs: 1,
    minRttMs: 1,
    durationMs: 40,
    goodputBytesPerSec: 250_000,
    ...overrides,
  };
}

const PEER = '10.0.0.2:40000';

/** Transport events of one receiver transfer, for tests. */
export const events = {
  started(transferId: string, totalSize = 1000): UdpTransferEvent<'started'> {
    return {
      type: 'started',
      role: 'receiver',
      transferId,
      peer: PEER,
      offer: {
        transferId,
        peer: PEER,
        totalSize,
        chunkSize: 100,
        chunkCount: Math.ceil(totalSize / 100),
        sha256: 'ab'.repeat(32),
        createdAt: 0,
        contentType: 'image/png',
        name: 'a.png',
        metadata: new Uint8Array(0),
        preview: new Uint8Array(0),
      },
    };
  },
  progress(transferId: string, bytes: number, totalBytes = 1000): UdpTransferEvent<'progress'> {
    return { type: 'progress', role: 'receiver', transferId, peer: PEER, bytes, totalBytes, stats: stats() };
  },
  gap(transferId: string): UdpTransferEvent<'gap'> {
    return { type: 'gap', role: 'receiver', transferId, peer: PEER, ranges: [{ start: 2, length: 3 }] };
  },
  gapRepaired(transferId: string): UdpTransferEvent<'gap-repaired'> {
    return { type: 'gap-repaired', role: 'receiver', transferId, peer: PEER, ranges: [{ start: 2, length: 3 }] };
  },
  completed(transferId: string, bytes = 1000): UdpTransferEvent<'completed'> {
    return { type: 'completed', role: 'receiver', transferId, peer: PEER, bytes, sha256: 'ab'.repeat(32), result: new Uint8Array(0), stats: stats() };
  },
  failed(transferId: string): UdpTransferEvent<'failed'> {
    return { type: 'failed', role: 'receiver', transferId, peer: PEER, reason: 6, code: 'TIMEOUT', message: 'peer went silent', stats: stats() };
  },
};
