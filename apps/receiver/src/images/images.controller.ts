import { Controller, Get, Headers, HttpStatus, Inject, Param, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ProblemException, validationProblem } from '@udpix/service-kit';
import type { Response } from 'express';
import { isImageId } from '../store/image-id';
import { IMAGE_STORE, type ImageStore } from '../store/image-store';
import { ImageListDto, ListImagesQuery } from './image.dto';

const DEFAULT_LIMIT = 50;

/** True when an If-None-Match header names `etag` (or is `*`). Weak validators compare equal here: the bytes never change. */
export function matchesEtag(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  return header.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t === etag || t === `W/${etag}`;
  });
}

@ApiTags('images')
@Controller('v1/images')
export class ImagesController {
  constructor(@Inject(IMAGE_STORE) private readonly store: ImageStore) {}

  @Get()
  @ApiOperation({ summary: 'Stored images, newest first' })
  @ApiOkResponse({ type: ImageListDto })
  list(@Query() query: ListImagesQuery): ImageListDto {
    const offset = query.offset ?? 0;
    const limit = query.limit ?? DEFAULT_LIMIT;
    const page = this.store.list(offset, limit);
    return { total: page.total, offset, limit, items: page.items };
  }

  /**
   * The original bytes, streamed from disk. Images never change under their
   * id, so the ETag is the SHA-256 and a matching If-None-Match is a 304.
   */
  @Get(':id')
  @ApiOperation({ summary: 'The original bytes of an image (byte-identical to what was sent)' })
  @ApiParam({ name: 'id', description: '16 lowercase hex digits', example: '9f86d081884c7d65' })
  @ApiProduces('image/*', 'application/octet-stream')
  @ApiOkResponse({ description: 'The bytes, with the exact Content-Type, Content-Length and ETag "<sha256>"', schema: { type: 'string', format: 'binary' } })
  @ApiResponse({ status: HttpStatus.NOT_MODIFIED, description: 'If-None-Match matched the ETag' })
  @ApiResponse({ status: HttpStatus.BAD_REQUEST, description: 'Malformed id (problem+json)' })
  @ApiNotFoundResponse({ description: 'No image with this id (problem+json)' })
  get(@Param('id') id: string, @Headers('if-none-match') ifNoneMatch: string | undefined, @Res({ passthrough: true }) res: Response): StreamableFile | undefined {
    if (!isImageId(id)) throw validationProblem([{ field: 'id', message: 'id must be 16 lowercase hex digits' }]);
    const image = this.store.get(id);
    if (image === undefined) throw new ProblemException({ status: HttpStatus.NOT_FOUND, detail: `no image with id ${id}`, code: 'UNKNOWN_IMAGE' });
    const etag = `"${image.sha256}"`;
    res.setHeader('ETag', etag);
    // Stored bytes never change under an id (a second write with other bytes is refused).
    res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    if (matchesEtag(ifNoneMatch, etag)) {
      res.status(HttpStatus.NOT_MODIFIED);
      return undefined;
    }
    const stream = this.store.openRead(id);
    if (stream === undefined) throw new ProblemException({ status: HttpStatus.NOT_FOUND, detail: `no image with id ${id}`, code: 'UNKNOWN_IMAGE' });
    const disposition = image.name ? `inline; filename*=UTF-8''${encodeURIComponent(image.name)}` : 'inline';
    return new StreamableFile(stream, { type: image.contentType, length: image.bytes, disposition });
  }
}
