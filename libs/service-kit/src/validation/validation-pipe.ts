import { HttpStatus, ValidationPipe } from '@nestjs/common';
import type { ValidationError } from 'class-validator';
import { VALIDATION_PROBLEM_TYPE, type FieldError } from '../problem/problem-details';
import { ProblemException } from '../problem/problem.exception';

/** Flattens class-validator's tree into one entry per failed constraint, with a dotted field path. */
export function toFieldErrors(errors: readonly ValidationError[], parent = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const error of errors) {
    const field = parent ? `${parent}.${error.property}` : error.property;
    for (const message of Object.values(error.constraints ?? {})) out.push({ field, message });
    if (error.children && error.children.length > 0) out.push(...toFieldErrors(error.children, field));
  }
  return out;
}

/** The 400 a validation failure becomes (rendered by ProblemDetailsFilter). */
export function validationProblem(errors: FieldError[]): ProblemException {
  const fields = [...new Set(errors.map((e) => e.field))];
  return new ProblemException({
    status: HttpStatus.BAD_REQUEST,
    type: VALIDATION_PROBLEM_TYPE,
    title: 'Invalid request',
    detail: `invalid ${fields.length === 1 ? 'field' : 'fields'}: ${fields.join(', ')}`,
    errors,
  });
}

/**
 * The ValidationPipe both services use: unknown properties are refused (not
 * silently dropped) so a misspelt query parameter is a 400 that names it,
 * and payloads are converted to their DTO classes.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    // Query strings are strings: `?limit=10` must reach an @IsInt() field as 10.
    transformOptions: { enableImplicitConversion: true },
    validationError: { target: false, value: false },
    exceptionFactory: (errors: ValidationError[]) => validationProblem(toFieldErrors(errors)),
  });
}
