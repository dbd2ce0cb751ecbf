import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import type { StoredImage } from '../store/image-store';
import type { TransferStats } from '../transport/udp-transport';

/** Schema of TransferStats in the OpenAPI document (every field is a number; see @udpix/protocol). */
export const TRANSFER_STATS_SCHEMA = {
  type: 'object',
  description: 'Transfer statistics (datagrams, bytes, retransmissions, duplicates, corrupt, gaps, RTT ms, duration ms, goodput)',
  additionalProperties: { type: 'number' },
  example: { datagramsReceived: 220, gapsDetected: 3, gapsRepaired: 3, rttMs: 1.2, durationMs: 35, goodputBytesPerSec: 8000000 },
} as const;

export class ListImagesQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;

  @ApiPropertyOptional({ minimum: 0, default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset?: number;
}

export class ImageDto implements StoredImage {
  @ApiProperty({ example: '9f86d081884c7d65', description: 'The id of the transfer that delivered it (16 hex digits)' })
  id!: string;
  @ApiProperty({ example: 'rocket.jpg' })
  name!: string;
  @ApiProperty({ description: 'SHA-256 of the original bytes, lowercase hex' })
  sha256!: string;
  @ApiProperty()
  bytes!: number;
  @ApiProperty({ example: 'image/jpeg' })
  contentType!: string;
  @ApiProperty({ type: Number, nullable: true })
  width!: number | null;
  @ApiProperty({ type: Number, nullable: true })
  height!: number | null;
  @ApiProperty({ format: 'date-time' })
  receivedAt!: string;
  @ApiProperty({ example: '10.0.0.2:40123', description: 'The sender address' })
  sender!: string;
  @ApiProperty({ ...TRANSFER_STATS_SCHEMA, nullable: true })
  stats!: TransferStats | null;
}

export class ImageListDto {
  @ApiProperty({ description: 'Images stored in all' })
  total!: number;
  @ApiProperty()
  offset!: number;
  @ApiProperty()
  limit!: number;
  @ApiProperty({ type: [ImageDto], description: 'Newest first' })
  items!: ImageDto[];
}
