import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app/app.module';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(AppModule);
  app.enableShutdownHooks();
  const host = process.env['UDPIX_HTTP_HOST'] ?? '0.0.0.0';
  const port = Number(process.env['UDPIX_HTTP_PORT'] ?? 3000);
  await app.listen(port, host);
  Logger.log(`sender listening on http://${host}:${port}`, 'Bootstrap');
}

void bootstrap();
