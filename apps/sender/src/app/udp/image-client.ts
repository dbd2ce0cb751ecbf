/**
 * What the sender needs from a transport, as an interface: the controller and
 * TransfersService depend on this, the UDP glue implements it, and tests use
 * a fake. Nothing here knows about sockets.
 */
import type { TransferStats } from '@udpix/protocol';
import type { ReceiverAddress } from '../config/receiver-address';

export const IMAGE_CLIENT = Symbol('udpix:image-client');

/** The message pattern of the receiver's handler. */
export const IMAGE_PATTERN = 'image';

/** What travels with the bytes (as the envelope's JSON part; the bytes travel as binary). */
export interface ImageMeta {
  name: string;
  contentType: string;
  width: number;
  height: number;
}

/** The receiver's handler answer, once the image is verified and stored. */
export interface ImageReceipt {
  id: string;
  sha256: string;
  bytes: number;
  storedAt?: string;
}

export interface ImageSendResult {
  receipt: ImageReceipt;
  /** Sender-side statistics of the transfer, when the transport reported them. */
  stats: TransferStats | undefined;
}

/** Live notifications of one send. */
export interface ImageSendObserver {
  /** The protocol transfer that carries the image (16 hex digits). */
  transferStarted?(transferId: string): void;
  progress?(bytesConfirmed: number, totalBytes: number, stats: TransferStats): void;
}

/**
 * Why a send failed, as the HTTP layer needs it: `rejected` (the receiver
 * said no: 502), `unreachable` (no answer in time: 504), `unavailable` (this
 * sender cannot take it now, e.g. shutting down: 503).
 */
export type SendFailureKind = 'rejected' | 'unreachable' | 'unavailable';

export class ImageSendError extends Error {
  constructor(
    readonly kind: SendFailureKind,
    /** A protocol Reason name (TIMEOUT, HASH_MISMATCH, ...) or a transport code (CLOSED, APPLICATION, ...). */
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ImageSendError';
  }
}

export interface ImageClient {
  /** Sends one image; resolves with the receiver's receipt, rejects with an ImageSendError. */
  send(to: ReceiverAddress, bytes: Buffer, meta: ImageMeta, observer?: ImageSendObserver): Promise<ImageSendResult>;
  /** Aborts every send in flight (each rejects) and releases the socket. */
  close(): Promise<void>;
}
