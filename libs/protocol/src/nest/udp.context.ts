/**
 * The context a handler receives with its payload (the counterpart of
 * @nestjs/microservices' ctx-host/tcp.context): who sent it, which transfer
 * carried it, how that transfer went, and what its OFFER announced.
 */
import { BaseRpcContext } from '@nestjs/microservices';
import type { OfferInfo, PeerAddress, TransferStats } from '../core';
import type { TransferId } from '../wire';

/** What the OFFER of the transfer announced. */
export interface UdpOfferInfo {
  name: string;
  contentType: string;
  /** Bytes of the transfer's object (the binary part of the payload, or the inline envelope). */
  size: number;
  /** SHA-256 of the object, lowercase hex (verified before the handler runs). */
  sha256: string;
  /** The tiny preview the OFFER carried (empty when none). */
  preview: Uint8Array;
  /** Sender's clock when the OFFER was made, ms since the epoch. */
  createdAt: number;
  chunkSize: number;
}

export type UdpContextArgs = [remoteAddress: PeerAddress, transferId: TransferId, stats: TransferStats, offer: UdpOfferInfo, pattern: string];

export class UdpContext extends BaseRpcContext<UdpContextArgs> {
  constructor(args: UdpContextArgs) {
    super(args);
  }

  /** The sender's address, "host:port" ("[v6]:port" for IPv6). */
  getRemoteAddress(): PeerAddress {
    return this.args[0];
  }

  /** The transfer that carried the message (16 hex digits). */
  getTransferId(): TransferId {
    return this.args[1];
  }

  /** Statistics of the transfer, as of its verification. */
  getStats(): TransferStats {
    return this.args[2];
  }

  /** What the OFFER announced: name, content type, size, SHA-256, preview. */
  getOffer(): UdpOfferInfo {
    return this.args[3];
  }

  /** The name of the pattern. */
  getPattern(): string {
    return this.args[4];
  }
}

/** The handler-facing part of a core OfferInfo. */
export function toUdpOfferInfo(offer: OfferInfo): UdpOfferInfo {
  return {
    name: offer.name,
    contentType: offer.contentType,
    size: offer.totalSize,
    sha256: offer.sha256,
    preview: offer.preview,
    createdAt: offer.createdAt,
    chunkSize: offer.chunkSize,
  };
}
