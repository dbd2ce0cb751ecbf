/** Response bodies of the sender's API, as classes so that the OpenAPI document describes them. */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { TransferStats } from '@udpix/protocol';
import type { TransferRecord, TransferState } from './transfer-record';

export class TransferStatsDto implements TransferStats {
  @ApiProperty() datagramsSent!: number;
  @ApiProperty() bytesSent!: number;
  @ApiProperty() datagramsReceived!: number;
  @ApiProperty() bytesReceived!: number;
  @ApiProperty({ description: 'DATA chunks sent for the first time' }) chunksSent!: number;
  @ApiProperty({ description: 'DATA chunks sent again (repairs and probes)' }) chunksRetransmitted!: number;
  @ApiProperty() bytesRetransmitted!: number;
  @ApiProperty() duplicates!: number;
  @ApiProperty() corrupt!: number;
  @ApiProperty() outOfOrder!: number;
  @ApiProperty() nacksSent!: number;
  @ApiProperty() nacksReceived!: number;
  @ApiProperty() acksSent!: number;
  @ApiProperty() acksReceived!: number;
  @ApiProperty() gapsDetected!: number;
  @ApiProperty() gapsRepaired!: number;
  @ApiProperty() repairRounds!: number;
  @ApiProperty({ description: 'Sender: retransmitted / sent, in [0, 1]' }) lossEstimate!: number;
  @ApiProperty() rttMs!: number;
  @ApiProperty() rttVarMs!: number;
  @ApiProperty() minRttMs!: number;
  @ApiProperty() durationMs!: number;
  @ApiProperty() goodputBytesPerSec!: number;
}

export class ImageSentDto {
  @ApiProperty({ description: "The image's id at the receiver (GET /v1/images/:id there)" }) id!: string;
  @ApiProperty({ description: 'SHA-256 of the bytes, confirmed by the receiver' }) sha256!: string;
  @ApiProperty() bytes!: number;
  @ApiProperty({ example: 'image/png', description: 'From the bytes, not from the request header' }) contentType!: string;
  @ApiProperty() width!: number;
  @ApiProperty() height!: number;
  @ApiProperty({ example: '127.0.0.1:5000' }) receiver!: string;
  @ApiProperty({ description: "The sender's transfer id (GET /v1/transfers/:id)" }) transfer!: string;
  @ApiPropertyOptional({ type: TransferStatsDto }) stats?: TransferStats;
}

export class TransferAcceptedDto {
  @ApiProperty({ description: "The sender's transfer id" }) id!: string;
  @ApiProperty({ enum: ['sending', 'completed', 'failed'] }) state!: TransferState;
  @ApiProperty({ example: '/v1/transfers/6f1c...' }) location!: string;
}

export class TransferReceiptDto {
  @ApiProperty() id!: string;
  @ApiProperty() sha256!: string;
  @ApiProperty() bytes!: number;
  @ApiPropertyOptional() storedAt?: string;
}

export class TransferErrorDto {
  @ApiProperty({ enum: ['rejected', 'unreachable', 'unavailable'] }) kind!: string;
  @ApiProperty({ example: 'TIMEOUT' }) code!: string;
  @ApiProperty() message!: string;
}

export class TransferViewDto {
  @ApiProperty() id!: string;
  @ApiPropertyOptional({ description: 'Protocol transfer id (16 hex digits), once started' }) transferId?: string;
  @ApiProperty({ enum: ['sending', 'completed', 'failed'] }) state!: TransferState;
  @ApiProperty() receiver!: string;
  @ApiProperty() name!: string;
  @ApiProperty() contentType!: string;
  @ApiProperty() width!: number;
  @ApiProperty() height!: number;
  @ApiProperty() bytes!: number;
  @ApiProperty() sha256!: string;
  @ApiProperty({ description: 'Bytes the receiver confirmed so far' }) bytesConfirmed!: number;
  @ApiPropertyOptional({ type: TransferStatsDto }) stats?: TransferStats;
  @ApiProperty() createdAt!: string;
  @ApiPropertyOptional() finishedAt?: string;
  @ApiPropertyOptional({ type: TransferReceiptDto }) result?: TransferReceiptDto;
  @ApiPropertyOptional({ type: TransferErrorDto }) error?: TransferErrorDto;
}

export function toTransferView(r: TransferRecord): TransferViewDto {
  return {
    id: r.id,
    transferId: r.transferId,
    state: r.state,
    receiver: r.receiver,
    name: r.name,
    contentType: r.contentType,
    width: r.width,
    height: r.height,
    bytes: r.bytes,
    sha256: r.sha256,
    bytesConfirmed: r.bytesConfirmed,
    stats: r.stats,
    createdAt: r.createdAt.toISOString(),
    finishedAt: r.finishedAt?.toISOString(),
    result: r.receipt,
    error: r.error,
  };
}

export function toImageSent(r: TransferRecord): ImageSentDto {
  return {
    id: r.receipt?.id ?? '',
    sha256: r.receipt?.sha256 ?? r.sha256,
    bytes: r.bytes,
    contentType: r.contentType,
    width: r.width,
    height: r.height,
    receiver: r.receiver,
    transfer: r.id,
    stats: r.stats,
  };
}
