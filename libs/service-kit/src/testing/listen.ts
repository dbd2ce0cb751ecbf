import type { INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';

/**
 * Listens on a free port of the loopback interface and returns the base URL
 * (`http://127.0.0.1:<port>`): tests talk to a real HTTP server with fetch,
 * so headers and streaming behave as in production.
 */
export async function listenOnFreePort(app: INestApplication): Promise<string> {
  await app.listen(0, '127.0.0.1');
  const server: { address(): AddressInfo | string | null } = app.getHttpServer();
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the HTTP server has no TCP address');
  return `http://127.0.0.1:${address.port}`;
}
