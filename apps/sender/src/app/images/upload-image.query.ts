/** Query parameters of POST /v1/images, validated by service-kit's pipe (a bad one is a 400 naming it). */
import { ApiPropertyOptional } from '@nestjs/swagger';
import { MAX_NAME_BYTES } from '@udpix/protocol';
import { ToBoolean } from '@udpix/service-kit';
import { IsBoolean, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { IsReceiverAddress } from '../config/is-receiver-address';

export class UploadImageQuery {
  @ApiPropertyOptional({ description: 'Receiver as host:port. Default: UDPIX_RECEIVER.', example: '127.0.0.1:5000' })
  @IsOptional()
  @IsReceiverAddress()
  to?: string;

  @ApiPropertyOptional({ description: 'Name stored with the image at the receiver.', example: 'rocket.jpg', maxLength: MAX_NAME_BYTES })
  @IsOptional()
  @IsString()
  @MinLength(1)
  // Characters, not bytes: the UTF-8 limit of the wire is checked again when the transfer starts.
  @MaxLength(MAX_NAME_BYTES)
  // Control characters end up in logs and file listings at the receiver.
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
  @Matches(/^[^\u0000-\u001f\u007f]*$/, { message: '$property must not contain control characters' })
  name?: string;

  @ApiPropertyOptional({ description: 'Wait for the receiver to confirm (201), or answer 202 at once and continue in the background.', default: true })
  @IsOptional()
  @ToBoolean()
  @IsBoolean()
  wait?: boolean;
}
