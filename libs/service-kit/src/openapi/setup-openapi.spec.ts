import { Controller, Get } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { listenOnFreePort } from '../testing/listen';
import { setupOpenApi } from './setup-openapi';

@Controller('things')
class ThingsController {
  @Get()
  list(): string[] {
    return [];
  }
}

describe('setupOpenApi', () => {
  it('serves the UI at /docs and the JSON document at /docs-json', async () => {
    const moduleRef = await Test.createTestingModule({ controllers: [ThingsController] }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    const document = setupOpenApi(app, { title: 'udpix test', version: '1.2.3' });
    const base = await listenOnFreePort(app);
    try {
      expect(Object.keys(document.paths)).toEqual(['/things']);
      const json = (await (await fetch(`${base}/docs-json`)).json()) as { info: { title: string; version: string }; paths: object };
      expect(json.info).toMatchObject({ title: 'udpix test', version: '1.2.3' });
      expect(Object.keys(json.paths)).toContain('/things');
      const ui = await fetch(`${base}/docs`);
      expect(ui.status).toBe(200);
      expect(ui.headers.get('content-type')).toContain('text/html');
    } finally {
      await app.close();
    }
  });
});
