import 'reflect-metadata';
import { IsOptional, validateSync } from 'class-validator';
import { IsSharedKey, parseSharedKey } from './shared-key';

const KEY_HEX = '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff';

describe('parseSharedKey', () => {
  it('reads hex', () => {
    expect(Buffer.from(parseSharedKey(KEY_HEX) ?? []).toString('hex')).toBe(KEY_HEX);
  });

  it('reads base64 and base64url to the same bytes', () => {
    const bytes = Buffer.from(KEY_HEX, 'hex');
    expect(Buffer.from(parseSharedKey(bytes.toString('base64')) ?? [])).toEqual(bytes);
    expect(Buffer.from(parseSharedKey(bytes.toString('base64url')) ?? [])).toEqual(bytes);
  });

  it('refuses short keys and garbage', () => {
    expect(parseSharedKey('00112233')).toBeUndefined();
    expect(parseSharedKey('not a key at all!')).toBeUndefined();
  });
});

describe('IsSharedKey', () => {
  class Config {
    @IsOptional() @IsSharedKey() KEY?: string;
  }

  it('validates through class-validator', () => {
    const good = Object.assign(new Config(), { KEY: KEY_HEX });
    const bad = Object.assign(new Config(), { KEY: 'abc' });
    expect(validateSync(good)).toEqual([]);
    expect(validateSync(bad)[0]?.constraints).toEqual({ isSharedKey: 'KEY must be hex or base64 of at least 16 bytes' });
  });
});
