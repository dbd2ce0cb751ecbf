import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { ReassemblyService } from '../reassembly/reassembly.service';
import { IMAGE_STORE, type ImageStore } from '../store/image-store';
import type { TransferStats } from '../transport/udp-transport';
import type { ImageMessage, ImageReceipt } from './image-message';
import { probeImage } from './image-probe';

/** How the image arrived: from the UdpContext of its transfer. */
export interface ImageArrival {
  transferId: string;
  sender: string;
  stats: TransferStats;
  /** The OFFER's SHA-256 and size of the transfer's object (verified by the transport). */
  offerSha256: string;
  offerSize: number;
}

const GENERIC_TYPE = 'application/octet-stream';

@Injectable()
export class ImagesService {
  constructor(
    @Inject(IMAGE_STORE) private readonly store: ImageStore,
    private readonly reassembly: ReassemblyService,
  ) {}

  /**
   * Stores a verified image and resolves only once it is durable, so the
   * transport's COMPLETE means "stored". The id is the transfer id.
   */
  async receive(message: ImageMessage, arrival: ImageArrival): Promise<ImageReceipt> {
    const { image } = message;
    // When the image is the whole transfer object, the transport already verified its SHA-256: no second pass.
    const sha256 = arrival.offerSize === image.length ? arrival.offerSha256 : createHash('sha256').update(image).digest('hex');
    const needProbe = message.width === undefined || message.height === undefined || message.contentType === GENERIC_TYPE || message.contentType === '';
    const probed = needProbe ? await probeImage(image) : undefined;
    const contentType = message.contentType && message.contentType !== GENERIC_TYPE ? message.contentType : (probed?.contentType ?? GENERIC_TYPE);
    const stored = await this.store.put(
      {
        id: arrival.transferId,
        name: message.name,
        sha256,
        bytes: image.length,
        contentType,
        width: message.width ?? probed?.width ?? null,
        height: message.height ?? probed?.height ?? null,
        receivedAt: new Date().toISOString(),
        sender: arrival.sender,
        stats: arrival.stats,
      },
      image,
    );
    this.reassembly.noteStored(arrival.transferId, stored.id);
    return { id: stored.id, sha256: stored.sha256, bytes: stored.bytes, storedAt: stored.receivedAt };
  }
}
