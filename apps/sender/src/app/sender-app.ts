/** Builds the sender's Nest application the same way for main.ts and for tests. */
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { applyHttpDefaults, setupOpenApi } from '@udpix/service-kit';
import { AppModule, type SenderModuleOptions } from './app.module';
import type { SenderConfig } from './config/sender-config';

export async function createSenderApp(config: SenderConfig, options: SenderModuleOptions & { logger?: false } = {}): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.forRoot(config, options), {
    // No body parser at all: POST /v1/images reads the raw stream itself, under its own limit, and no route takes JSON.
    bodyParser: false,
    ...(options.logger === false ? { logger: false } : {}),
  });
  applyHttpDefaults(app);
  setupOpenApi(app, { title: 'udpix sender', version: '1', description: 'Send images to a udpix receiver over UDP.' });
  // SIGTERM/SIGINT run the drain (TransfersService.beforeApplicationShutdown) before the HTTP server closes.
  app.enableShutdownHooks();
  return app;
}
