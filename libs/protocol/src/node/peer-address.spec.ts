import { formatPeerAddress, parsePeerAddress } from './peer-address';

describe('formatPeerAddress', () => {
  it('joins IPv4 hosts with a colon', () => {
    expect(formatPeerAddress('127.0.0.1', 5000)).toBe('127.0.0.1:5000');
  });

  it('brackets IPv6 hosts', () => {
    expect(formatPeerAddress('::1', 5000)).toBe('[::1]:5000');
    expect(formatPeerAddress('::ffff:127.0.0.1', 9)).toBe('[::ffff:127.0.0.1]:9');
  });
});

describe('parsePeerAddress', () => {
  it.each([
    ['127.0.0.1:5000', '127.0.0.1', 5000],
    ['localhost:1', 'localhost', 1],
    ['[::1]:5000', '::1', 5000],
    ['[fe80::1%eth0]:65535', 'fe80::1%eth0', 65535],
    ['[::ffff:10.0.0.1]:80', '::ffff:10.0.0.1', 80],
  ])('parses %s', (text, host, port) => {
    expect(parsePeerAddress(text)).toEqual({ host, port });
  });

  it.each(['', '127.0.0.1', '127.0.0.1:', ':5000', '::1:5000', '[::1]5000', '[]:5', '[::1]:0', 'a:65536', 'a:-1', 'a:5x', 'a:123456'])(
    'refuses %j',
    (text) => {
      expect(parsePeerAddress(text)).toBeUndefined();
    },
  );

  it('round-trips what formatPeerAddress makes', () => {
    for (const host of ['10.1.2.3', '::1', 'fe80::abcd']) {
      expect(parsePeerAddress(formatPeerAddress(host, 4242))).toEqual({ host, port: 4242 });
    }
  });
});
