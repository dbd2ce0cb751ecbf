/**
 * An ImageClient for tests: each send waits until the test settles it
 * (`complete`, `fail`) or answers at once with a preset behaviour. No sockets.
 */
import { createHash } from 'node:crypto';
import type { TransferStats } from '@udpix/protocol';
import type { ReceiverAddress } from '../app/config/receiver-address';
import { ImageSendError, type ImageClient, type ImageMeta, type ImageSendObserver, type ImageSendResult, type SendFailureKind } from '../app/udp/image-client';

export interface FakeSend {
  to: ReceiverAddress;
  bytes: Buffer;
  meta: ImageMeta;
  observer: ImageSendObserver;
  resolve(result: ImageSendResult): void;
  reject(error: ImageSendError): void;
}

export type FakeBehaviour = { kind: 'hold' } | { kind: 'complete' } | { kind: 'fail'; failure: SendFailureKind; code: string };

export function fakeStats(bytes: number): TransferStats {
  return {
    datagramsSent: Math.ceil(bytes / 1400) + 1,
    bytesSent: bytes + 100,
    datagramsReceived: 2,
    bytesReceived: 80,
    chunksSent: Math.ceil(bytes / 1400),
    chunksRetransmitted: 3,
    bytesRetransmitted: 4200,
    duplicates: 0,
    corrupt: 0,
    outOfOrder: 0,
    nacksSent: 0,
    nacksReceived: 1,
    acksSent: 0,
    acksReceived: 2,
    gapsDetected: 0,
    gapsRepaired: 0,
    repairRounds: 1,
    lossEstimate: 0.01,
    rttMs: 1,
    rttVarMs: 0.5,
    minRttMs: 0.5,
    durationMs: 12,
    goodputBytesPerSec: bytes * 80,
  };
}

export class FakeImageClient implements ImageClient {
  readonly sends: FakeSend[] = [];
  behaviour: FakeBehaviour = { kind: 'complete' };
  closed = false;
  private waiters: Array<(send: FakeSend) => void> = [];

  send(to: ReceiverAddress, bytes: Buffer, meta: ImageMeta, observer: ImageSendObserver = {}): Promise<ImageSendResult> {
    if (this.closed) return Promise.reject(new ImageSendError('unavailable', 'CLOSED', 'closed'));
    return new Promise<ImageSendResult>((resolve, reject) => {
      const send: FakeSend = { to, bytes, meta, observer, resolve, reject };
      this.sends.push(send);
      observer.transferStarted?.(`0000000000000${String(this.sends.length).padStart(3, '0')}`);
      for (const wake of this.waiters.splice(0)) wake(send);
      const b = this.behaviour;
      if (b.kind === 'complete') FakeImageClient.complete(send);
      if (b.kind === 'fail') reject(new ImageSendError(b.failure, b.code, `fake ${b.code}`));
    });
  }

  /** The next send (or the latest one, if it already happened and was not awaited yet). */
  nextSend(): Promise<FakeSend> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** As ClientUdp does: every send still in flight fails. */
  async close(): Promise<void> {
    this.closed = true;
    for (const send of this.sends) send.reject(new ImageSendError('unavailable', 'CLOSED', 'the client closed'));
  }

  /** Answers as a receiver would: the sha256 of the bytes and an id. */
  static complete(send: FakeSend, sha256 = createHash('sha256').update(send.bytes).digest('hex')): void {
    send.observer.progress?.(send.bytes.length, send.bytes.length, fakeStats(send.bytes.length));
    send.resolve({ receipt: { id: 'img-1', sha256, bytes: send.bytes.length, storedAt: '2026-01-01T00:00:00.000Z' }, stats: fakeStats(send.bytes.length) });
  }
}
