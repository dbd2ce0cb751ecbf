import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { ToBoolean } from './to-boolean';

class Flags {
  @ToBoolean() wait?: unknown;
}

describe('ToBoolean', () => {
  it.each([
    ['true', true],
    ['1', true],
    ['On', true],
    ['false', false],
    ['0', false],
    ['no', false],
    ['maybe', 'maybe'],
  ])('reads %s as %s', (raw, expected) => {
    expect(plainToInstance(Flags, { wait: raw }, { enableImplicitConversion: true }).wait).toBe(expected);
  });
});
