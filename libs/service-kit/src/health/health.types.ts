import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** Injection token of an optional array of HealthCheck (provide it with useFactory to reach your services). */
export const HEALTH_CHECKS = Symbol('udpix:health-checks');

export interface HealthCheckResult {
  ok: boolean;
  detail?: string;
}

/** A readiness probe of one dependency (a socket bound, a directory writable...). */
export interface HealthCheck {
  name: string;
  check(): HealthCheckResult | Promise<HealthCheckResult>;
}

export class HealthCheckResultDto implements HealthCheckResult {
  @ApiProperty()
  ok!: boolean;

  @ApiPropertyOptional()
  detail?: string;
}

export class HealthResponseDto {
  @ApiProperty({ enum: ['ok'] })
  status!: 'ok';

  @ApiProperty({ example: 'receiver' })
  service!: string;

  @ApiProperty({ description: 'Seconds since the process started' })
  uptimeSeconds!: number;

  @ApiProperty({ type: 'object', additionalProperties: { $ref: '#/components/schemas/HealthCheckResultDto' } })
  checks!: Record<string, HealthCheckResult>;
}
