import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { TRANSFER_STATS_SCHEMA } from '../images/image.dto';
import type { InFlightTransfer } from '../reassembly/in-flight-transfer';
import { ReassemblyService } from '../reassembly/reassembly.service';
import type { TransferStats } from '../transport/udp-transport';

export class InFlightTransferDto implements InFlightTransfer {
  @ApiProperty({ example: '9f86d081884c7d65' }) transferId!: string;
  @ApiProperty({ example: '10.0.0.2:40123' }) peer!: string;
  @ApiProperty() name!: string;
  @ApiProperty() contentType!: string;
  @ApiProperty() totalBytes!: number;
  @ApiProperty({ description: 'Bytes received so far' }) bytes!: number;
  @ApiProperty({ description: '0..100' }) percent!: number;
  @ApiProperty({ description: 'Gap ranges reported and not yet repaired' }) openGaps!: number;
  @ApiProperty({ format: 'date-time' }) startedAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiPropertyOptional(TRANSFER_STATS_SCHEMA) stats?: TransferStats;
}

export class TransferListDto {
  @ApiProperty({ type: [InFlightTransferDto], description: 'Oldest first' })
  items!: InFlightTransferDto[];
}

@ApiTags('transfers')
@Controller('v1/transfers')
export class TransfersController {
  constructor(private readonly reassembly: ReassemblyService) {}

  @Get()
  @ApiOperation({ summary: 'Transfers being received, with progress and stats' })
  @ApiOkResponse({ type: TransferListDto })
  list(): TransferListDto {
    return { items: this.reassembly.list() };
  }
}
