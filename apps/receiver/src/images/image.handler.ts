import { Controller, Logger } from '@nestjs/common';
import { Ctx, MessagePattern, Payload, RpcException } from '@nestjs/microservices';
import { ImageConflictError } from '../store/image-store';
import { IMAGE_PATTERN, UdpContext } from '../transport/udp-transport';
import { BadImageMessageError, parseImageMessage, type ImageReceipt } from './image-message';
import { ImagesService } from './images.service';

/**
 * The UDP side: the transport calls this once every byte of a transfer
 * arrived and its SHA-256 matched. The returned promise settles after the
 * image is stored; only then does the sender get COMPLETE (with the receipt
 * as its result). A throw becomes FAILED at the sender, with the message.
 */
@Controller()
export class ImageHandler {
  private readonly logger = new Logger(ImageHandler.name);

  constructor(private readonly images: ImagesService) {}

  @MessagePattern(IMAGE_PATTERN)
  async receive(@Payload() payload: unknown, @Ctx() context: UdpContext): Promise<ImageReceipt> {
    try {
      return await this.store(payload, context);
    } catch (err) {
      // Nest hides anything but an RpcException as "Internal server error": give the sender a code and a reason it can act on.
      if (err instanceof BadImageMessageError) throw new RpcException({ code: 'BAD_MESSAGE', message: err.message });
      if (err instanceof ImageConflictError) throw new RpcException({ code: 'CONFLICT', message: err.message });
      this.logger.error(`transfer ${context.getTransferId()}: could not store the image: ${err instanceof Error ? err.message : String(err)}`);
      throw new RpcException({ code: 'STORE_FAILED', message: 'the receiver could not store the image' });
    }
  }

  private async store(payload: unknown, context: UdpContext): Promise<ImageReceipt> {
    const offer = context.getOffer();
    const message = parseImageMessage(payload, offer);
    const receipt = await this.images.receive(message, {
      transferId: context.getTransferId(),
      sender: context.getRemoteAddress(),
      stats: context.getStats(),
      offerSha256: offer.sha256,
      offerSize: offer.size,
    });
    this.logger.log(`stored ${receipt.id} (${message.name || 'unnamed'}, ${receipt.bytes} bytes) from ${context.getRemoteAddress()}`);
    return receipt;
  }
}
