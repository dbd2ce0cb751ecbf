import { Logger } from '@nestjs/common';
import { createReceiverApp, startReceiverApp } from './app/receiver-app';
import { loadReceiverConfig } from './config/receiver-config';

async function bootstrap(): Promise<void> {
  // A bad variable stops the process here, with a message naming it.
  const config = loadReceiverConfig(process.env);
  const receiver = await createReceiverApp(config);
  // SIGTERM/SIGINT → DrainService, then HTTP and UDP close.
  receiver.app.enableShutdownHooks();
  const { http, udp } = await startReceiverApp(receiver, config);
  Logger.log(`receiver: HTTP on ${http.address}:${http.port} (docs at /docs), UDP on ${udp.address}:${udp.port}, data in ${config.UDPIX_DATA_DIR}`, 'Bootstrap');
}

bootstrap().catch((err: unknown) => {
  Logger.error(err instanceof Error ? err.message : String(err), 'Bootstrap');
  process.exit(1);
});
