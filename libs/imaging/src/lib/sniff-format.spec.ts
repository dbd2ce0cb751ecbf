import { sniffFormat } from './sniff-format';
import { fixture, makeAvif, makeWebp, randomBytes } from './test-images';

describe('sniffFormat', () => {
  it.each([
    ['rocket.jpg', 'jpeg'],
    ['chelsea.png', 'png'],
    ['no_time_for_that_tiny.gif', 'gif'],
    ['multipage_rgb.tif', 'tiff'],
  ])('recognises %s as %s from its first bytes', (name, format) => {
    expect(sniffFormat(fixture(name).subarray(0, 32))).toEqual({ kind: 'image', format });
  });

  it('recognises WebP and AVIF', async () => {
    expect(sniffFormat(await makeWebp())).toEqual({ kind: 'image', format: 'webp' });
    expect(sniffFormat(await makeAvif())).toEqual({ kind: 'image', format: 'avif' });
  });

  it('names other image formats as such', () => {
    expect(sniffFormat(Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>'))).toEqual({ kind: 'other-image', name: 'svg' });
    const heic = Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypheic'), Buffer.alloc(4), Buffer.from('mif1heic')]);
    expect(sniffFormat(heic)).toEqual({ kind: 'other-image', name: 'heif' });
  });

  it('does not trust text, JSON or noise', () => {
    expect(sniffFormat(Buffer.from('{"image": "no"}'))).toEqual({ kind: 'unknown' });
    expect(sniffFormat(randomBytes(64, 99))).toEqual({ kind: 'unknown' });
    expect(sniffFormat(Buffer.alloc(0))).toEqual({ kind: 'unknown' });
  });
});
