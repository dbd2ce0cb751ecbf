import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { ConfigValidationError, loadConfig } from './load-config';

class TestConfig {
  @IsString() APP_HOST = '0.0.0.0';
  @IsInt() @Min(0) @Max(65535) APP_PORT = 3000;
  @IsOptional() @Matches(/^[0-9a-f]{32,}$/) APP_KEY?: string;
}

describe('loadConfig', () => {
  it('applies defaults when nothing is set and ignores foreign variables', () => {
    const config = loadConfig(TestConfig, { PATH: '/usr/bin' });
    expect(config).toBeInstanceOf(TestConfig);
    expect({ ...config }).toEqual({ APP_HOST: '0.0.0.0', APP_PORT: 3000, APP_KEY: undefined });
  });

  it('converts numbers and treats empty values as unset', () => {
    const config = loadConfig(TestConfig, { APP_PORT: '8080', APP_HOST: '' });
    expect(config.APP_PORT).toBe(8080);
    expect(config.APP_HOST).toBe('0.0.0.0');
  });

  it('throws an error naming every bad variable and why', () => {
    let error: unknown;
    try {
      loadConfig(TestConfig, { APP_PORT: '70000', APP_KEY: 'not-hex' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigValidationError);
    const message = (error as Error).message;
    expect(message).toContain('APP_PORT: APP_PORT must not be greater than 65535 (got "70000")');
    expect(message).toContain('APP_KEY');
    expect((error as ConfigValidationError).problems.map((p) => p.variable)).toEqual(['APP_PORT', 'APP_KEY']);
  });

  it('never prints the value of a secret', () => {
    expect(() => loadConfig(TestConfig, { APP_KEY: 'hunter2' })).toThrow(/APP_KEY: APP_KEY must match/);
    expect(() => loadConfig(TestConfig, { APP_KEY: 'hunter2' })).not.toThrow(/hunter2/);
  });

  it('refuses a non-number for a number', () => {
    expect(() => loadConfig(TestConfig, { APP_PORT: 'abc' })).toThrow(/APP_PORT: .*APP_PORT must be an integer number \(got "abc"\)/);
  });
});
