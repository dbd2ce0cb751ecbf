import { Controller, Get, HttpStatus, Inject, Optional, type Type } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { ProblemException } from '../problem/problem.exception';
import { HEALTH_CHECKS, HealthCheckResultDto, HealthResponseDto, type HealthCheck, type HealthCheckResult } from './health.types';

export interface HealthControllerOptions {
  /** Name reported in the body (`receiver`, `sender`). */
  service: string;
  /** Route. Default `health`. */
  path?: string;
}

async function run(check: HealthCheck): Promise<HealthCheckResult> {
  try {
    return await check.check();
  } catch (error) {
    return { ok: false, detail: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * A `GET /health` controller for one service: 200 `{status: 'ok', service,
 * uptimeSeconds, checks}` when every HealthCheck provided under HEALTH_CHECKS
 * passes (none is fine), else a 503 problem whose `checks` says which failed.
 * A factory, because the service name is part of the class.
 */
export function createHealthController(options: HealthControllerOptions): Type<unknown> {
  @ApiTags('operations')
  @ApiExtraModels(HealthCheckResultDto)
  @Controller(options.path ?? 'health')
  class HealthController {
    constructor(@Optional() @Inject(HEALTH_CHECKS) private readonly checks: HealthCheck[] = []) {}

    @Get()
    @ApiOperation({ summary: `Health of the ${options.service}` })
    @ApiOkResponse({ type: HealthResponseDto })
    @ApiServiceUnavailableResponse({ description: 'A check failed (problem+json with `checks`)' })
    async health(): Promise<HealthResponseDto> {
      const results: Record<string, HealthCheckResult> = {};
      for (const check of this.checks ?? []) results[check.name] = await run(check);
      const failed = Object.keys(results).filter((name) => !results[name]?.ok);
      if (failed.length > 0) {
        throw new ProblemException({
          status: HttpStatus.SERVICE_UNAVAILABLE,
          detail: `failing checks: ${failed.join(', ')}`,
          extensions: { service: options.service, checks: results },
        });
      }
      return { status: 'ok', service: options.service, uptimeSeconds: Math.round(process.uptime()), checks: results };
    }
  }
  return HealthController;
}
