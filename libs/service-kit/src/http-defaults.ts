import type { INestApplication } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ProblemDetailsFilter } from './problem/problem-details.filter';
import { createValidationPipe } from './validation/validation-pipe';

/**
 * The HTTP conventions both services share, in one call: problem+json errors
 * and validated DTOs. Use it in main.ts AND in tests that create an app, so
 * both see the same behaviour.
 */
export function applyHttpDefaults(app: INestApplication): void {
  app.useGlobalFilters(new ProblemDetailsFilter(app.get(HttpAdapterHost)));
  app.useGlobalPipes(createValidationPipe());
}
