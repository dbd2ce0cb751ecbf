import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { toFieldErrors } from '../validation/validation-pipe';

/** Names whose values never appear in an error message. */
const SECRET_NAME = /KEY|SECRET|TOKEN|PASSWORD/i;

/** A bad environment: `problems` lists each variable and why, the message says the same. */
export class ConfigValidationError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p.variable}: ${p.message}`).join('\n')}`);
    this.name = 'ConfigValidationError';
  }
}

export type ConfigClass<T> = new () => T;

/**
 * Builds and validates a config object from the environment, once, at
 * start-up, so a bad value stops the service with a message that names the
 * variable instead of failing later in a socket call.
 *
 * The class's property names ARE the variable names; field initializers are
 * the defaults; class-validator decorators are the rules. Strings are
 * converted to numbers for fields whose default is a number or whose declared
 * type is `number`; use @ToBoolean() for booleans. Empty variables count as
 * unset. Variables the class does not decorate are ignored.
 */
export function loadConfig<T extends object>(configClass: ConfigClass<T>, env: NodeJS.ProcessEnv = process.env): T {
  const defaults = new Map<string, unknown>(Object.entries(new configClass()));
  const present: Record<string, string> = {};
  const input: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || value === '') continue;
    present[name] = value;
    // A field whose default is a number is a number: `PORT = 3000` has no type annotation, so no design:type to convert by.
    input[name] = typeof defaults.get(name) === 'number' && value.trim() !== '' ? Number(value) : value;
  }
  const config = plainToInstance(configClass, input, { enableImplicitConversion: true, exposeDefaultValues: true });
  // whitelist strips every variable the class does not decorate: the rest of the environment is not ours to judge.
  const errors = validateSync(config, { whitelist: true, forbidUnknownValues: true, validationError: { target: false } });
  if (errors.length > 0) {
    // One line per variable, every rule it broke.
    const byVariable = new Map<string, string[]>();
    for (const { field, message } of toFieldErrors(errors)) byVariable.set(field, [...(byVariable.get(field) ?? []), message]);
    const problems = [...byVariable].map(([variable, messages]) => {
      const raw = present[variable];
      const shown = raw === undefined ? ' (not set)' : SECRET_NAME.test(variable) ? '' : ` (got ${JSON.stringify(raw)})`;
      return { variable, message: `${messages.join('; ')}${shown}` };
    });
    throw new ConfigValidationError(problems);
  }
  return config;
}
