/** The problem+json body of every error, for the OpenAPI document (service-kit renders it). */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class FieldErrorDto {
  @ApiProperty({ example: 'to' }) field!: string;
  @ApiProperty() message!: string;
}

export class ProblemDto {
  @ApiProperty({ example: 'about:blank' }) type!: string;
  @ApiProperty({ example: 'Gateway Timeout' }) title!: string;
  @ApiProperty({ example: 504 }) status!: number;
  @ApiPropertyOptional() detail?: string;
  @ApiPropertyOptional({ example: '/v1/images' }) instance?: string;
  @ApiPropertyOptional({ example: 'TIMEOUT', description: 'Machine-readable reason (protocol Reason names, NOT_AN_IMAGE, TOO_LARGE, DRAINING, ...)' }) code?: string;
  @ApiPropertyOptional({ type: [FieldErrorDto] }) errors?: FieldErrorDto[];
}
