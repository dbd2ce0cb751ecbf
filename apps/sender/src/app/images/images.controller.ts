/** POST /v1/images: the HTTP face of ImagesService. */
import { Controller, HttpCode, HttpStatus, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadGatewayResponse,
  ApiBadRequestResponse,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiGatewayTimeoutResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ProblemDto } from '../problem.dto';
import { ImageSentDto, TransferAcceptedDto, toImageSent } from '../transfers/transfer.dto';
import { ImagesService } from './images.service';
import { UploadImageQuery } from './upload-image.query';

const IMAGE_MEDIA_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/avif', 'image/tiff', 'image/gif', 'application/octet-stream'];

function declaredLength(req: Request): number | undefined {
  const header = req.headers['content-length'];
  const value = header === undefined ? NaN : Number(header);
  return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

@ApiTags('images')
@Controller('v1/images')
export class ImagesController {
  constructor(private readonly images: ImagesService) {}

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary: 'Send an image to a receiver over UDP',
    description:
      'The body is the image itself (not multipart, not JSON). Its format is judged from its bytes. ' +
      'With wait=true (default) the answer comes once the receiver verified the SHA-256 and stored it; ' +
      'with wait=false the answer is 202 at once and GET /v1/transfers/:id follows the transfer.',
  })
  @ApiConsumes(...IMAGE_MEDIA_TYPES)
  @ApiBody({ description: 'The image bytes', schema: { type: 'string', format: 'binary' } })
  @ApiCreatedResponse({ type: ImageSentDto, description: 'Delivered and verified by the receiver' })
  @ApiAcceptedResponse({ type: TransferAcceptedDto, description: 'wait=false: the transfer goes on; see the Location header' })
  @ApiBadRequestResponse({ type: ProblemDto, description: 'A bad query parameter (named in `errors`)' })
  @ApiPayloadTooLargeResponse({ type: ProblemDto, description: 'More bytes than UDPIX_MAX_BYTES, or more pixels than UDPIX_MAX_PIXELS' })
  @ApiUnsupportedMediaTypeResponse({ type: ProblemDto, description: 'Not an image, a format not accepted, or a damaged file' })
  @ApiBadGatewayResponse({ type: ProblemDto, description: 'The receiver refused or failed the transfer (`code` says why)' })
  @ApiServiceUnavailableResponse({ type: ProblemDto, description: 'Shutting down, or UDPIX_MAX_TRANSFERS in flight' })
  @ApiGatewayTimeoutResponse({ type: ProblemDto, description: 'The receiver did not answer within UDPIX_TIMEOUT_MS' })
  async send(@Query() query: UploadImageQuery, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<ImageSentDto | TransferAcceptedDto> {
    try {
      const outcome = await this.images.upload({ query, contentType: req.headers['content-type'], declaredLength: declaredLength(req), body: req });
      if (outcome.waited) return toImageSent(outcome.record);
      const location = `/v1/transfers/${outcome.record.id}`;
      res.status(HttpStatus.ACCEPTED).location(location);
      return { id: outcome.record.id, state: outcome.record.state, location };
    } catch (err) {
      // Refused before the body was read to its end: close the connection so the client stops sending instead of us reading it all.
      if (!req.complete) res.setHeader('Connection', 'close');
      throw err;
    }
  }
}
