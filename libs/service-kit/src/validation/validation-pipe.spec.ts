import { Controller, Get, Query, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { IsBoolean, IsInt, IsOptional, IsString, Max, Min, type ValidationError } from 'class-validator';
import { applyHttpDefaults } from '../http-defaults';
import { VALIDATION_PROBLEM_TYPE } from '../problem/problem-details';
import { listenOnFreePort } from '../testing/listen';
import { ToBoolean } from './to-boolean';
import { createValidationPipe, toFieldErrors } from './validation-pipe';

class ListQuery {
  @IsOptional() @IsInt() @Min(1) @Max(100) limit?: number;
  @IsOptional() @IsString() name?: string;
  @IsOptional() @ToBoolean() @IsBoolean() wait?: boolean;
}

@Controller('items')
class ItemsController {
  @Get()
  list(@Query() query: ListQuery): { query: ListQuery; isDto: boolean } {
    return { query, isDto: query instanceof ListQuery };
  }
}

describe('createValidationPipe', () => {
  let app: INestApplication;
  let base: string;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ controllers: [ItemsController] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    applyHttpDefaults(app);
    base = await listenOnFreePort(app);
  });

  afterAll(async () => {
    await app.close();
  });

  it('converts query strings to the DTO types', async () => {
    const res = await fetch(`${base}/items?limit=10&wait=false&name=x`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ query: { limit: 10, wait: false, name: 'x' }, isDto: true });
  });

  it('answers a bad value with a 400 problem naming the field', async () => {
    const res = await fetch(`${base}/items?limit=1000`);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ type: VALIDATION_PROBLEM_TYPE, status: 400, detail: 'invalid field: limit', instance: '/items' });
    expect(body['errors']).toEqual([{ field: 'limit', message: 'limit must not be greater than 100' }]);
  });

  it('refuses unknown parameters by name', async () => {
    const res = await fetch(`${base}/items?limt=5&wait=maybe`);
    const body = (await res.json()) as { detail: string; errors: { field: string }[] };
    expect(res.status).toBe(400);
    expect(body.errors.map((e) => e.field).sort()).toEqual(['limt', 'wait']);
    expect(body.detail).toContain('limt');
  });

  it('is a ValidationPipe with transform on', () => {
    expect(createValidationPipe()).toBeDefined();
  });
});

describe('toFieldErrors', () => {
  it('flattens nested errors into dotted paths', () => {
    const errors: ValidationError[] = [
      { property: 'inner', children: [{ property: 'n', constraints: { isInt: 'n must be an integer number' }, children: [] }], constraints: {} },
    ];
    expect(toFieldErrors(errors)).toEqual([{ field: 'inner.n', message: 'n must be an integer number' }]);
  });
});
