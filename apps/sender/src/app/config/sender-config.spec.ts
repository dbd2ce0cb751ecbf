import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigValidationError, loadConfig } from '@udpix/service-kit';
import { SenderConfig } from './sender-config';
import { SENDER_ENV, senderEnvTable } from './sender-env';

describe('SenderConfig', () => {
  it('takes every default from SENDER_ENV', () => {
    const config = loadConfig(SenderConfig, {});
    for (const [name, { default: value }] of Object.entries(SENDER_ENV)) {
      expect(Reflect.get(config, name)).toBe(value);
    }
  });

  it('reads numbers and strings from the environment', () => {
    const config = loadConfig(SenderConfig, { UDPIX_HTTP_PORT: '8080', UDPIX_RECEIVER: 'receiver:5000', UDPIX_TIMEOUT_MS: '2500' });
    expect(config).toMatchObject({ UDPIX_HTTP_PORT: 8080, UDPIX_RECEIVER: 'receiver:5000', UDPIX_TIMEOUT_MS: 2500 });
  });

  it.each([
    ['UDPIX_HTTP_PORT', 'eighty'],
    ['UDPIX_HTTP_PORT', '70000'],
    ['UDPIX_RECEIVER', 'no-port'],
    ['UDPIX_RECEIVER', 'host:0'],
    ['UDPIX_MAX_BYTES', '-1'],
    ['UDPIX_MAX_DATAGRAM', '100'],
    ['UDPIX_MAX_TRANSFERS', '1.5'],
    ['UDPIX_KEY', 'short'],
  ])('refuses %s=%s with a message naming it', (name, value) => {
    let error: unknown;
    try {
      loadConfig(SenderConfig, { [name]: value });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigValidationError);
    expect((error as ConfigValidationError).problems.map((p) => p.variable)).toEqual([name]);
    expect((error as Error).message).toContain(name);
  });

  it('never prints the key it refused', () => {
    expect(() => loadConfig(SenderConfig, { UDPIX_KEY: 'not-a-secret-key!' })).toThrow(/UDPIX_KEY(?![\s\S]*not-a-secret)/);
  });

  it('is documented by the README, whose table is senderEnvTable() with every variable', () => {
    const table = senderEnvTable();
    for (const name of Object.keys(SENDER_ENV)) expect(table).toContain(`\`${name}\``);
    expect(readFileSync(join(__dirname, '../../../README.md'), 'utf8')).toContain(table);
  });
});
