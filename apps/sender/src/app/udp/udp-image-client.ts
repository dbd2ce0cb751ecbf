/**
 * The ImageClient over udpix: one ClientUdp, so one socket (bound to
 * UDPIX_UDP_HOST:UDPIX_UDP_PORT) for every receiver. The configured receiver
 * is the client's default target; any other goes in a UdpRecord target. The
 * image is sent as `send('image', {image, name, contentType, width, height})`
 * so the bytes travel as the envelope's binary part, never as JSON.
 *
 * Progress and stats events are keyed by transfer id: sendWithTransfer()
 * tells which transfer carries each image, so its observer gets them.
 */
import { Logger } from '@nestjs/common';
import { ClientUdp, UdpRecord, type TransferStats, type UdpClientOptions } from '@udpix/protocol';
import { lastValueFrom } from 'rxjs';
import { formatReceiverAddress, type ReceiverAddress } from '../config/receiver-address';
import { IMAGE_PATTERN, ImageSendError, type ImageClient, type ImageMeta, type ImageReceipt, type ImageSendObserver, type ImageSendResult } from './image-client';
import { toImageSendError } from './send-failure';

function isReceipt(value: unknown): value is ImageReceipt {
  if (typeof value !== 'object' || value === null) return false;
  return typeof Reflect.get(value, 'id') === 'string' && typeof Reflect.get(value, 'sha256') === 'string';
}

export class UdpImageClient implements ImageClient {
  private readonly logger = new Logger(UdpImageClient.name);
  private readonly client: ClientUdp;
  private readonly defaultReceiver: string;
  /** Observers of the sends in flight, by transfer id. */
  private readonly observers = new Map<string, ImageSendObserver>();
  /** Final sender-side stats by transfer id, kept until the send that owns them reads them. */
  private readonly finalStats = new Map<string, TransferStats>();
  private closed = false;

  /**
   * @param options ClientUdp options (local address, rate, key, limits, timeouts...).
   * @param defaultReceiver UDPIX_RECEIVER: the client's default target.
   */
  constructor(options: Omit<UdpClientOptions, 'host' | 'port'>, defaultReceiver: ReceiverAddress) {
    this.client = new ClientUdp({ ...options, host: defaultReceiver.host, port: defaultReceiver.port });
    this.defaultReceiver = formatReceiverAddress(defaultReceiver);
    this.client.on('progress', (event) => {
      if (event.role === 'sender') this.observers.get(event.transferId)?.progress?.(event.bytes, event.totalBytes, event.stats);
    });
    this.client.on('completed', (event) => {
      if (event.role === 'sender' && this.observers.has(event.transferId)) this.finalStats.set(event.transferId, event.stats);
    });
    this.client.on('error', (err) => this.logger.warn(`UDP socket: ${err.message}`));
  }

  /** Resolves the default receiver and binds the socket, so a bad setting or a taken port fails at start-up. */
  async connect(): Promise<void> {
    await this.client.connect();
  }

  async send(to: ReceiverAddress, bytes: Buffer, meta: ImageMeta, observer: ImageSendObserver = {}): Promise<ImageSendResult> {
    if (this.closed) throw new ImageSendError('unavailable', 'CLOSED', 'the sender is shutting down');
    const payload = { image: bytes, ...meta };
    const target = formatReceiverAddress(to);
    // The default receiver needs no record: its address was resolved once, at connect.
    const data = target === this.defaultReceiver ? payload : new UdpRecord(payload, { target: { host: to.host, port: to.port } });
    let transferId: string | undefined;
    try {
      const sent = await this.client.sendWithTransfer<unknown>(IMAGE_PATTERN, data);
      transferId = sent.transferId;
      this.observers.set(transferId, observer);
      observer.transferStarted?.(transferId);
      const response = await lastValueFrom(sent.response$);
      if (!isReceipt(response)) throw new ImageSendError('rejected', 'BAD_RESPONSE', 'the receiver answered without an image id and sha256');
      return { receipt: response, stats: this.finalStats.get(transferId) };
    } catch (err) {
      throw toImageSendError(err);
    } finally {
      if (transferId !== undefined) {
        this.observers.delete(transferId);
        this.finalStats.delete(transferId);
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.client.close();
  }
}
