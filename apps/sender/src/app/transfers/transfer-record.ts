/** One transfer as the sender keeps it: what was sent, to whom, how it is going, and how it ended. */
import type { TransferStats } from '@udpix/protocol';
import type { ImageReceipt, SendFailureKind } from '../udp/image-client';

export type TransferState = 'sending' | 'completed' | 'failed';

export interface TransferFailure {
  kind: SendFailureKind;
  code: string;
  message: string;
}

export interface TransferRecord {
  /** The sender's id of the transfer (GET /v1/transfers/:id). */
  id: string;
  /** The protocol transfer carrying it (16 hex digits), once started. */
  transferId: string | undefined;
  state: TransferState;
  receiver: string;
  name: string;
  contentType: string;
  format: string;
  width: number;
  height: number;
  bytes: number;
  /** SHA-256 of the bytes as sent, lowercase hex: the receiver's must match it. */
  sha256: string;
  bytesConfirmed: number;
  stats: TransferStats | undefined;
  createdAt: Date;
  finishedAt: Date | undefined;
  receipt: ImageReceipt | undefined;
  error: TransferFailure | undefined;
}
