import { Logger } from '@nestjs/common';
import { ConfigValidationError, loadConfig } from '@udpix/service-kit';
import { SenderConfig } from './app/config/sender-config';
import { createSenderApp } from './app/sender-app';

async function bootstrap(): Promise<void> {
  let config: SenderConfig;
  try {
    config = loadConfig(SenderConfig, process.env);
  } catch (err) {
    if (!(err instanceof ConfigValidationError)) throw err;
    // One readable message and a non-zero exit, not a stack trace.
    process.stderr.write(`udpix sender: ${err.message}\n`);
    process.exit(2);
  }
  const app = await createSenderApp(config);
  await app.listen(config.UDPIX_HTTP_PORT, config.UDPIX_HTTP_HOST);
  Logger.log(`sender listening on ${await app.getUrl()} (receiver ${config.UDPIX_RECEIVER}, docs at /docs)`, 'Bootstrap');
}

void bootstrap().catch((err: unknown) => {
  Logger.error(err instanceof Error ? err.message : String(err), 'Bootstrap');
  process.exit(1);
});
