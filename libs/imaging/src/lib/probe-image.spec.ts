import { probeImage } from './probe-image';
import type { ProbeResult } from './probe-result';
import { fixture, makeAvif, makeJpegBomb, makePngBomb, makeProgressiveJpeg, makeWebp, randomBytes } from './test-images';

describe('probeImage', () => {
  describe('with the real fixtures', () => {
    it.each([
      ['rocket.jpg', { format: 'jpeg', width: 640, height: 427, channels: 3, pages: 1, progressive: false, decodable: true }],
      ['chelsea.png', { format: 'png', width: 451, height: 300, channels: 3, pages: 1, progressive: false, decodable: true }],
      ['no_time_for_that_tiny.gif', { format: 'gif', width: 14, height: 25, pages: 24, decodable: true }],
    ])('describes %s', async (name, expected) => {
      expect(await probeImage(fixture(name))).toMatchObject({ ok: true, ...expected });
    });

    it('describes the two-page float TIFF from its own IFDs, since libvips refuses 64-bit samples', async () => {
      expect(await probeImage(fixture('multipage_rgb.tif'))).toEqual({
        ok: true,
        format: 'tiff',
        width: 10,
        height: 10,
        channels: 3,
        pages: 2,
        progressive: false,
        decodable: false,
      });
    });
  });

  describe('with images made at test time', () => {
    it('describes a WebP', async () => {
      expect(await probeImage(await makeWebp(40, 30))).toMatchObject({ ok: true, format: 'webp', width: 40, height: 30 });
    });

    it('describes an AVIF', async () => {
      expect(await probeImage(await makeAvif(40, 30))).toMatchObject({ ok: true, format: 'avif', width: 40, height: 30 });
    });

    it('reports a progressive JPEG as progressive', async () => {
      expect(await probeImage(await makeProgressiveJpeg())).toMatchObject({ ok: true, format: 'jpeg', progressive: true });
    });
  });

  describe('rejections', () => {
    it('refuses random bytes as NOT_AN_IMAGE', async () => {
      for (const seed of [1, 2, 3, 42, 1234]) {
        expect(await probeImage(randomBytes(4096, seed))).toMatchObject({ ok: false, code: 'NOT_AN_IMAGE' });
      }
    });

    it('refuses an empty body as NOT_AN_IMAGE', async () => {
      expect(await probeImage(Buffer.alloc(0))).toMatchObject({ ok: false, code: 'NOT_AN_IMAGE' });
    });

    it('refuses a BMP as UNSUPPORTED_FORMAT', async () => {
      const bmp = Buffer.concat([Buffer.from('BM'), Buffer.alloc(60)]);
      expect(await probeImage(bmp)).toMatchObject({ ok: false, code: 'UNSUPPORTED_FORMAT' });
    });

    it('refuses a format left out of the limits as UNSUPPORTED_FORMAT', async () => {
      const result = await probeImage(fixture('rocket.jpg'), { formats: ['png'] });
      expect(result).toMatchObject({ ok: false, code: 'UNSUPPORTED_FORMAT' });
    });

    it('refuses more bytes than maxBytes as TOO_LARGE before looking at them', async () => {
      expect(await probeImage(fixture('rocket.jpg'), { maxBytes: 1000 })).toMatchObject({ ok: false, code: 'TOO_LARGE' });
    });

    it('refuses more pixels than maxPixels as TOO_MANY_PIXELS', async () => {
      expect(await probeImage(fixture('chelsea.png'), { maxPixels: 451 * 300 - 1 })).toMatchObject({ ok: false, code: 'TOO_MANY_PIXELS' });
    });

    it('counts every page of an animation against maxPixels', async () => {
      const result = await probeImage(fixture('no_time_for_that_tiny.gif'), { maxPixels: 14 * 25 * 10 });
      expect(result).toMatchObject({ ok: false, code: 'TOO_MANY_PIXELS' });
    });
  });

  describe('decompression bombs', () => {
    it('refuses a PNG declaring 100000x100000 by its header alone', async () => {
      const bomb = makePngBomb(100_000, 100_000);
      expect(bomb.length).toBeLessThan(1000);
      const started = process.hrtime.bigint();
      const result = await probeImage(bomb);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      expect(result).toMatchObject({ ok: false, code: 'TOO_MANY_PIXELS' });
      expect(messageOf(result)).toContain('100000x100000');
      // Decoding 30 GB of pixels would take minutes and fail; reading a header takes milliseconds.
      expect(ms).toBeLessThan(1000);
    });

    it('refuses a JPEG whose frame header claims 60000x60000 (libjpeg itself stops at 65500)', async () => {
      const result = await probeImage(makeJpegBomb(fixture('rocket.jpg')));
      expect(result).toMatchObject({ ok: false, code: 'TOO_MANY_PIXELS' });
    });
  });

  describe('truncated and damaged files', () => {
    it.each([
      ['rocket.jpg', 0.5],
      ['rocket.jpg', 0.99],
      ['chelsea.png', 0.5],
      ['chelsea.png', 0.999],
      ['no_time_for_that_tiny.gif', 0.8],
      ['multipage_rgb.tif', 0.6],
    ])('refuses %s cut to %d of its length as CORRUPT', async (name, fraction) => {
      const bytes = fixture(name);
      const result = await probeImage(bytes.subarray(0, Math.floor(bytes.length * fraction)));
      expect(result).toMatchObject({ ok: false, code: 'CORRUPT' });
    });

    it('refuses a header-only JPEG (no scan) as CORRUPT', async () => {
      expect(await probeImage(fixture('rocket.jpg').subarray(0, 200))).toMatchObject({ ok: false, code: 'CORRUPT' });
    });

    it('refuses a cut WebP and a cut AVIF as CORRUPT', async () => {
      const webp = await makeWebp(200, 150);
      const avif = await makeAvif(200, 150);
      expect(await probeImage(webp.subarray(0, webp.length - 10))).toMatchObject({ ok: false, code: 'CORRUPT' });
      expect(await probeImage(avif.subarray(0, avif.length - 10))).toMatchObject({ ok: false, code: 'CORRUPT' });
    });

    it('refuses a PNG with a flipped bit in its pixel data as CORRUPT (chunk CRC)', async () => {
      const damaged = Buffer.from(fixture('chelsea.png'));
      damaged[damaged.length / 2] ^= 0x10;
      const result = await probeImage(damaged);
      expect(result).toMatchObject({ ok: false, code: 'CORRUPT' });
      expect(messageOf(result)).toContain('CRC');
    });

    it('refuses a PNG signature followed by noise as CORRUPT', async () => {
      const bytes = Buffer.concat([fixture('chelsea.png').subarray(0, 8), randomBytes(500, 7)]);
      expect(await probeImage(bytes)).toMatchObject({ ok: false, code: 'CORRUPT' });
    });

    it('accepts a JPEG with bytes after its end-of-image marker', async () => {
      const bytes = Buffer.concat([fixture('rocket.jpg'), Buffer.from('trailing data')]);
      expect(await probeImage(bytes)).toMatchObject({ ok: true, format: 'jpeg' });
    });
  });
});

function messageOf(result: ProbeResult): string {
  return result.ok ? '' : result.message;
}
