import { ConfigValidationError } from '@udpix/service-kit';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ReceiverConfig, loadReceiverConfig } from './receiver-config';
import { RECEIVER_ENV, renderEnvTable } from './receiver-env';

describe('ReceiverConfig', () => {
  it('has the documented defaults', () => {
    const config = loadReceiverConfig({});
    expect(config).toMatchObject({ UDPIX_HTTP_HOST: '0.0.0.0', UDPIX_HTTP_PORT: 3001, UDPIX_UDP_PORT: 5000, UDPIX_DATA_DIR: './data', UDPIX_KEY: undefined });
  });

  it('declares exactly the variables of RECEIVER_ENV', () => {
    const declared = Object.keys(new ReceiverConfig()).sort();
    expect(declared).toEqual(RECEIVER_ENV.map((v) => v.name).sort());
  });

  it('reads values from the environment', () => {
    const config = loadReceiverConfig({ UDPIX_UDP_PORT: '6000', UDPIX_KEY: '00112233445566778899aabbccddeeff', UDPIX_DATA_DIR: '/srv/images' });
    expect(config).toMatchObject({ UDPIX_UDP_PORT: 6000, UDPIX_DATA_DIR: '/srv/images' });
  });

  it('names each bad variable, and never prints the key', () => {
    let error: unknown;
    try {
      loadReceiverConfig({ UDPIX_HTTP_PORT: 'http', UDPIX_MAX_DATAGRAM: '100', UDPIX_KEY: 'secret-but-short' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigValidationError);
    const message = (error as Error).message;
    expect((error as ConfigValidationError).problems.map((p) => p.variable)).toEqual(['UDPIX_HTTP_PORT', 'UDPIX_KEY', 'UDPIX_MAX_DATAGRAM']);
    expect(message).toContain('UDPIX_MAX_DATAGRAM: UDPIX_MAX_DATAGRAM must not be less than 576 (got "100")');
    expect(message).not.toContain('secret-but-short');
  });
});

describe('renderEnvTable', () => {
  it('is what the receiver README shows', () => {
    const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');
    expect(readme).toContain(renderEnvTable());
  });
});
