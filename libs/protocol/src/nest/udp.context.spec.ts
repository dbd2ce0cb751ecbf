import { BaseRpcContext } from '@nestjs/microservices';
import type { OfferInfo, TransferStats } from '../core';
import { UdpContext, toUdpOfferInfo } from './udp.context';

const offer: OfferInfo = {
  transferId: '0102030405060708',
  peer: '127.0.0.1:4000',
  totalSize: 1234,
  chunkSize: 1448,
  chunkCount: 1,
  sha256: 'ab'.repeat(32),
  createdAt: 1_700_000_000_000,
  contentType: 'image/png',
  name: 'a.png',
  metadata: new Uint8Array([1]),
  preview: new Uint8Array([2, 3]),
};
const stats = { datagramsReceived: 3, rttMs: 1.5 } as TransferStats;

describe('UdpContext', () => {
  const ctx = new UdpContext(['127.0.0.1:4000', '0102030405060708', stats, toUdpOfferInfo(offer), 'sha256']);

  it('is a BaseRpcContext with its args', () => {
    expect(ctx).toBeInstanceOf(BaseRpcContext);
    expect(ctx.getArgs()).toHaveLength(5);
    expect(ctx.getArgByIndex(4)).toBe('sha256');
  });

  describe('getRemoteAddress', () => {
    it('returns the sender address', () => expect(ctx.getRemoteAddress()).toBe('127.0.0.1:4000'));
  });

  describe('getTransferId', () => {
    it('returns the transfer id', () => expect(ctx.getTransferId()).toBe('0102030405060708'));
  });

  describe('getStats', () => {
    it('returns the transfer stats', () => expect(ctx.getStats()).toBe(stats));
  });

  describe('getOffer', () => {
    it('returns name, content type, size, sha256 and preview bytes', () => {
      expect(ctx.getOffer()).toEqual({
        name: 'a.png',
        contentType: 'image/png',
        size: 1234,
        sha256: 'ab'.repeat(32),
        preview: new Uint8Array([2, 3]),
        createdAt: 1_700_000_000_000,
        chunkSize: 1448,
      });
    });
  });

  describe('getPattern', () => {
    it('returns the pattern', () => expect(ctx.getPattern()).toBe('sha256'));
  });
});
