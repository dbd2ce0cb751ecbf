/** GET /v1/transfers/:id: state, live stats, and the result or error of one transfer. */
import { Controller, Get, NotFoundException, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ProblemDto } from '../problem.dto';
import { TransferViewDto, toTransferView } from './transfer.dto';
import { TransfersService } from './transfers.service';

@ApiTags('transfers')
@Controller('v1/transfers')
export class TransfersController {
  constructor(private readonly transfers: TransfersService) {}

  @Get(':id')
  @ApiOperation({ summary: 'One transfer: state, live stats, the receiver\'s receipt or the error' })
  @ApiOkResponse({ type: TransferViewDto })
  @ApiBadRequestResponse({ type: ProblemDto, description: 'The id is not a UUID' })
  @ApiNotFoundResponse({ type: ProblemDto, description: 'Unknown, or finished long enough ago to be forgotten' })
  get(@Param('id', new ParseUUIDPipe()) id: string): TransferViewDto {
    const record = this.transfers.get(id);
    if (record === undefined) throw new NotFoundException(`no transfer ${id} (unknown, or forgotten after UDPIX_KEEP_FINISHED newer ones)`);
    return toTransferView(record);
  }
}
