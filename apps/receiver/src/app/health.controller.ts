import { Controller, Get } from '@nestjs/common';

/** Liveness for orchestrators and the README's smoke test. */
@Controller('health')
export class HealthController {
  @Get()
  health(): { status: 'ok'; service: 'receiver' } {
    return { status: 'ok', service: 'receiver' };
  }
}
