/**
 * The ImageClient over udpix: one ClientUdp per receiver address (created on
 * first use, at most MAX_CLIENTS, idle ones evicted), the image sent as
 * `client.send('image', {image, name, contentType, width, height})` so the
 * bytes travel as the envelope's binary part, never as JSON.
 *
 * ClientUdp does not tell a caller which protocol transfer carries its
 * request, yet progress and stats events are keyed by transfer id. Until it
 * does, TrackedClientUdp finds it out: ClientUdp starts the transfer
 * synchronously inside publish(), so the sender-role transfer that appears
 * across that call is ours.
 */
import { Logger } from '@nestjs/common';
import type { ReadPacket, WritePacket } from '@nestjs/microservices';
import { ClientUdp, type TransferStats, type UdpClientOptions } from '@udpix/protocol';
import { lastValueFrom } from 'rxjs';
import { formatReceiverAddress, type ReceiverAddress } from '../config/receiver-address';
import { IMAGE_PATTERN, ImageSendError, type ImageClient, type ImageMeta, type ImageReceipt, type ImageSendObserver, type ImageSendResult } from './image-client';
import { toImageSendError } from './send-failure';

/** Distinct receivers with a socket of their own at once. */
const MAX_CLIENTS = 32;

type TransferCallback = (transferId: string) => void;

class TrackedClientUdp extends ClientUdp {
  /** Keyed by the payload object, which publish() receives as packet.data. */
  readonly onTransfer = new WeakMap<object, TransferCallback>();

  protected override publish(packet: ReadPacket<unknown>, callback: (packet: WritePacket<unknown>) => void): () => void {
    const endpoint = this.getDriver()?.endpoint;
    const before = new Set(endpoint?.transfers().map((t) => t.transferId));
    const cleanup = super.publish(packet, callback);
    const mine = endpoint?.transfers().find((t) => t.role === 'sender' && !before.has(t.transferId));
    const notify = typeof packet.data === 'object' && packet.data !== null ? this.onTransfer.get(packet.data) : undefined;
    if (mine !== undefined && notify !== undefined) notify(mine.transferId);
    return cleanup;
  }
}

interface PooledClient {
  client: TrackedClientUdp;
  observers: Map<string, ImageSendObserver>;
  /** Final sender-side stats by transfer id, kept until the send that owns them reads them. */
  finalStats: Map<string, TransferStats>;
  inFlight: number;
}

function isReceipt(value: unknown): value is ImageReceipt {
  if (typeof value !== 'object' || value === null) return false;
  return typeof Reflect.get(value, 'id') === 'string' && typeof Reflect.get(value, 'sha256') === 'string';
}

export class UdpImageClient implements ImageClient {
  private readonly logger = new Logger(UdpImageClient.name);
  private readonly pool = new Map<string, PooledClient>();
  private closed = false;

  /**
   * @param options ClientUdp options common to every receiver (rate, key, limits, timeouts...).
   * @param defaultReceiver the receiver whose socket binds `localPort`; others bind any port, since one port cannot serve two sockets.
   */
  constructor(
    private readonly options: Omit<UdpClientOptions, 'host' | 'port'>,
    private readonly defaultReceiver: ReceiverAddress,
  ) {}

  /** Creates (and validates the options of) the default receiver's client and binds its socket, so a bad setting fails at start-up. */
  async connectDefault(): Promise<void> {
    await this.clientFor(this.defaultReceiver).client.connect();
  }

  async send(to: ReceiverAddress, bytes: Buffer, meta: ImageMeta, observer: ImageSendObserver = {}): Promise<ImageSendResult> {
    if (this.closed) throw new ImageSendError('unavailable', 'CLOSED', 'the sender is shutting down');
    let pooled: PooledClient;
    try {
      pooled = this.clientFor(to);
    } catch (err) {
      throw toImageSendError(err);
    }
    const payload = { image: bytes, ...meta };
    let transferId: string | undefined;
    pooled.client.onTransfer.set(payload, (id) => {
      transferId = id;
      pooled.observers.set(id, observer);
      observer.transferStarted?.(id);
    });
    pooled.inFlight += 1;
    try {
      const response: unknown = await lastValueFrom(pooled.client.send<unknown>(IMAGE_PATTERN, payload));
      if (!isReceipt(response)) throw new ImageSendError('rejected', 'BAD_RESPONSE', 'the receiver answered without an image id and sha256');
      return { receipt: response, stats: transferId === undefined ? undefined : pooled.finalStats.get(transferId) };
    } catch (err) {
      throw toImageSendError(err);
    } finally {
      pooled.inFlight -= 1;
      if (transferId !== undefined) {
        pooled.observers.delete(transferId);
        pooled.finalStats.delete(transferId);
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const clients = [...this.pool.values()];
    this.pool.clear();
    await Promise.all(clients.map((p) => p.client.close()));
  }

  private clientFor(to: ReceiverAddress): PooledClient {
    const key = formatReceiverAddress(to);
    const existing = this.pool.get(key);
    if (existing !== undefined) return existing;
    if (this.pool.size >= MAX_CLIENTS) this.evictIdle();
    const isDefault = key === formatReceiverAddress(this.defaultReceiver);
    const client = new TrackedClientUdp({
      ...this.options,
      host: to.host,
      port: to.port,
      localPort: isDefault ? this.options.localPort : 0,
    });
    const pooled: PooledClient = { client, observers: new Map(), finalStats: new Map(), inFlight: 0 };
    client.on('progress', (event) => {
      if (event.role === 'sender') pooled.observers.get(event.transferId)?.progress?.(event.bytes, event.totalBytes, event.stats);
    });
    client.on('completed', (event) => {
      if (event.role === 'sender' && pooled.observers.has(event.transferId)) pooled.finalStats.set(event.transferId, event.stats);
    });
    client.on('error', (err) => this.logger.warn(`UDP socket for ${key}: ${err.message}`));
    this.pool.set(key, pooled);
    return pooled;
  }

  private evictIdle(): void {
    for (const [key, pooled] of this.pool) {
      if (pooled.inFlight === 0 && key !== formatReceiverAddress(this.defaultReceiver)) {
        this.pool.delete(key);
        void pooled.client.close();
        return;
      }
    }
    throw new ImageSendError('unavailable', 'TOO_MANY_RECEIVERS', `transfers to ${MAX_CLIENTS} distinct receivers are already in flight`);
  }
}
