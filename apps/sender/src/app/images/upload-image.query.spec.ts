import 'reflect-metadata';
import { createValidationPipe, ProblemException } from '@udpix/service-kit';
import { UploadImageQuery } from './upload-image.query';

async function validate(query: Record<string, string>): Promise<UploadImageQuery> {
  return (await createValidationPipe().transform(query, { type: 'query', metatype: UploadImageQuery })) as UploadImageQuery;
}

async function failedFields(query: Record<string, string>): Promise<string[]> {
  try {
    await validate(query);
  } catch (err) {
    if (err instanceof ProblemException) return (err.problem.errors ?? []).map((e) => e.field);
    throw err;
  }
  return [];
}

describe('UploadImageQuery', () => {
  it('accepts the documented parameters and converts wait', async () => {
    expect(await validate({ to: 'receiver:5000', name: 'cat.png', wait: 'false' })).toEqual({ to: 'receiver:5000', name: 'cat.png', wait: false });
    expect(await validate({ to: '[::1]:5000' })).toEqual({ to: '[::1]:5000' });
    expect(await validate({})).toEqual({});
  });

  it.each([
    [{ to: 'receiver' }, 'to'],
    [{ to: 'receiver:99999' }, 'to'],
    [{ to: 'bad host:5000' }, 'to'],
    [{ wait: 'maybe' }, 'wait'],
    [{ name: '' }, 'name'],
    [{ name: 'x'.repeat(256) }, 'name'],
    [{ name: 'line\nbreak' }, 'name'],
    [{ color: 'red' }, 'color'],
  ])('refuses %j naming %s', async (query, field) => {
    expect(await failedFields(query)).toEqual([field]);
  });
});
