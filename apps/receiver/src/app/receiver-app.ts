import type { INestApplication, LoggerService, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { ServerUdp } from '@udpix/protocol';
import { applyHttpDefaults, setupOpenApi } from '@udpix/service-kit';
import type { AddressInfo } from 'node:net';
import type { ReceiverConfig } from '../config/receiver-config';
import { ServerUdpTransport, createUdpServer } from '../transport/udp-transport';
import { AppModule } from './app.module';

export interface ReceiverApp {
  app: INestApplication;
  server: ServerUdp;
}

/**
 * The hybrid app: HTTP + the UDP transport, configured but not started
 * (main.ts and the integration spec both build it here).
 */
export async function createReceiverApp(config: ReceiverConfig, logger?: LoggerService | LogLevel[] | false): Promise<ReceiverApp> {
  const server = createUdpServer(config);
  const app = await NestFactory.create(AppModule.forRoot({ config, transport: new ServerUdpTransport(server) }), logger === undefined ? {} : { logger });
  applyHttpDefaults(app);
  setupOpenApi(app, {
    title: 'udpix receiver',
    version: '1',
    description: 'Receives images over the udpix UDP protocol, stores them verified, and serves them with their stats and live events.',
  });
  // HTTP filters and pipes stay HTTP-only: the transport reports handler errors to the sender itself.
  app.connectMicroservice({ strategy: server }, { inheritAppConfig: false });
  return { app, server };
}

/** Binds UDP, then HTTP. Returns both addresses (ports are real when 0 was asked). */
export async function startReceiverApp({ app, server }: ReceiverApp, config: ReceiverConfig): Promise<{ http: AddressInfo; udp: AddressInfo }> {
  await app.startAllMicroservices();
  await app.listen(config.UDPIX_HTTP_PORT, config.UDPIX_HTTP_HOST);
  const http = (app.getHttpServer() as { address(): AddressInfo }).address();
  return { http, udp: server.address() };
}
