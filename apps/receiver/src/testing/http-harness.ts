import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { applyHttpDefaults, listenOnFreePort, setupOpenApi, type OpenApiOptions } from '@udpix/service-kit';
import type { OpenAPIObject } from '@nestjs/swagger';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppModule } from '../app/app.module';
import { ReceiverConfig } from '../config/receiver-config';
import { IMAGE_STORE, type ImageStore } from '../store/image-store';
import { FakeTransport } from './fake-transport';

export interface HttpHarness {
  app: INestApplication;
  base: string;
  transport: FakeTransport;
  store: ImageStore;
  document: OpenAPIObject;
  dataDir: string;
  close(): Promise<void>;
}

const DOCS: OpenApiOptions = { title: 'udpix receiver', version: '1' };

/** The receiver's HTTP side over a FakeTransport, in a temp data dir, on 127.0.0.1:0. */
export async function bootHttp(overrides: Partial<ReceiverConfig> = {}): Promise<HttpHarness> {
  const dataDir = await mkdtemp(join(tmpdir(), 'udpix-receiver-'));
  const config = Object.assign(new ReceiverConfig(), { UDPIX_DATA_DIR: dataDir, UDPIX_DRAIN_TIMEOUT_MS: 1000 }, overrides);
  const transport = new FakeTransport();
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot({ config, transport })] }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  applyHttpDefaults(app);
  const document = setupOpenApi(app, DOCS);
  const base = await listenOnFreePort(app);
  return {
    app,
    base,
    transport,
    store: app.get<ImageStore>(IMAGE_STORE),
    document,
    dataDir,
    close: async () => {
      await app.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
