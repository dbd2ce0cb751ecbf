import { Controller, Get } from '@nestjs/common';

/** Liveness for orchestrators and the README's smoke test. */
@Controller('health')
export class HealthController {
  @Get()
  health(): { status: 'ok'; service: 'sender' } {
    return { status: 'ok', service: 'sender' };
  }
}
