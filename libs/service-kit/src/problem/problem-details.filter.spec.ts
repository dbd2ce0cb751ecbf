import { BadRequestException, Controller, Get, HttpException, Logger, NotFoundException, ServiceUnavailableException, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { applyHttpDefaults } from '../http-defaults';
import { listenOnFreePort } from '../testing/listen';
import { PROBLEM_CONTENT_TYPE } from './problem-details';
import { ProblemException } from './problem.exception';

@Controller('boom')
class BoomController {
  @Get('not-found')
  notFound(): never {
    throw new NotFoundException('no image with id abc');
  }

  @Get('string')
  plain(): never {
    throw new HttpException('teapot here', 418);
  }

  @Get('messages')
  messages(): never {
    throw new BadRequestException(['a must be a number', 'b must be a string']);
  }

  @Get('problem')
  problem(): never {
    throw new ProblemException({ status: 502, detail: 'receiver refused', code: 'REJECTED', extensions: { receiver: '10.0.0.2:5000' } });
  }

  @Get('unavailable')
  unavailable(): never {
    throw new ServiceUnavailableException('the pool is gone');
  }

  @Get('internal')
  internal(): never {
    throw new Error('ENOENT /secret/path/db.sqlite');
  }
}

describe('ProblemDetailsFilter', () => {
  let app: INestApplication;
  let base: string;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ controllers: [BoomController] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    applyHttpDefaults(app);
    base = await listenOnFreePort(app);
  });

  afterAll(async () => {
    await app.close();
  });

  async function get(path: string): Promise<{ status: number; type: string | null; body: Record<string, unknown> }> {
    const res = await fetch(`${base}${path}`);
    return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as Record<string, unknown> };
  }

  describe('catch', () => {
    it('writes an HttpException as problem+json with the request path as instance', async () => {
      const { status, type, body } = await get('/boom/not-found?x=1');
      expect(status).toBe(404);
      expect(type).toContain(PROBLEM_CONTENT_TYPE);
      expect(body).toEqual({ type: 'about:blank', title: 'Not Found', status: 404, detail: 'no image with id abc', instance: '/boom/not-found' });
    });

    it('uses a string response as detail', async () => {
      const { status, body } = await get('/boom/string');
      expect(status).toBe(418);
      expect(body['detail']).toBe('teapot here');
      expect(body['title']).toBe("I'm a Teapot");
    });

    it('turns a list of messages into errors', async () => {
      const { body } = await get('/boom/messages');
      expect(body['errors']).toEqual([
        { field: '', message: 'a must be a number' },
        { field: '', message: 'b must be a string' },
      ]);
    });

    it('keeps the code and extensions of a ProblemException', async () => {
      const { status, body } = await get('/boom/problem');
      expect(status).toBe(502);
      expect(body).toMatchObject({ type: 'about:blank', title: 'Bad Gateway', status: 502, detail: 'receiver refused', code: 'REJECTED', receiver: '10.0.0.2:5000' });
    });

    it('answers an unknown error with a 500 that leaks nothing', async () => {
      const { status, type, body } = await get('/boom/internal');
      expect(status).toBe(500);
      expect(type).toContain(PROBLEM_CONTENT_TYPE);
      expect(JSON.stringify(body)).not.toContain('secret');
      expect(body).toEqual({ type: 'about:blank', title: 'Internal Server Error', status: 500, detail: 'An unexpected error occurred.', instance: '/boom/internal' });
    });

    describe('logging', () => {
      let warn: jest.SpyInstance;
      let error: jest.SpyInstance;

      beforeEach(() => {
        warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
        error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
      });

      afterEach(() => jest.restoreAllMocks());

      it('logs a 5xx ProblemException (an expected upstream failure) as a warning without a stack', async () => {
        await get('/boom/problem');
        expect(warn).toHaveBeenCalledWith('502 REJECTED: receiver refused');
        expect(error).not.toHaveBeenCalled();
      });

      it('logs an unknown error, and a 5xx HttpException, as errors with their stack', async () => {
        await get('/boom/internal');
        expect(error).toHaveBeenCalledWith('ENOENT /secret/path/db.sqlite', expect.stringContaining('BoomController.internal'));
        await get('/boom/unavailable');
        expect(error).toHaveBeenLastCalledWith('503 the pool is gone', expect.stringContaining('BoomController.unavailable'));
        expect(warn).not.toHaveBeenCalled();
      });
    });

    it('covers unknown routes too', async () => {
      const { status, type } = await get('/nowhere');
      expect(status).toBe(404);
      expect(type).toContain(PROBLEM_CONTENT_TYPE);
    });
  });
});
