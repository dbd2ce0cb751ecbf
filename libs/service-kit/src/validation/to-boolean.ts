import { Transform } from 'class-transformer';

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);

/**
 * Parses `true/false/1/0/yes/no/on/off` from a query string or environment
 * variable. Needed because implicit conversion turns the string "false" into
 * `true`. Reads the raw value (`obj[key]`), so it works whatever conversion
 * ran before; anything else is left as is for @IsBoolean() to refuse.
 */
export function ToBoolean(): PropertyDecorator {
  return Transform(({ obj, key }: { obj: Record<string, unknown>; key: string }) => {
    const raw = obj[key];
    if (typeof raw === 'boolean' || raw === undefined) return raw;
    const text = String(raw).trim().toLowerCase();
    if (TRUE.has(text)) return true;
    if (FALSE.has(text)) return false;
    return raw;
  });
}
