import { BadImageMessageError, parseImageMessage } from './image-message';

const OFFER = { name: 'offer.png', contentType: 'image/png' };

describe('parseImageMessage', () => {
  it('takes the `image` field and the metadata beside it', () => {
    const image = Buffer.from('x');
    expect(parseImageMessage({ image, name: 'a.jpg', contentType: 'image/jpeg', width: 3, height: 2 }, OFFER)).toEqual({
      image,
      name: 'a.jpg',
      contentType: 'image/jpeg',
      width: 3,
      height: 2,
    });
  });

  it('accepts bare bytes, with name and type from the OFFER', () => {
    expect(parseImageMessage(new Uint8Array([1, 2]), OFFER)).toMatchObject({ name: 'offer.png', contentType: 'image/png' });
  });

  it('refuses a payload without bytes or with bad geometry', () => {
    expect(() => parseImageMessage({ name: 'x' }, OFFER)).toThrow(BadImageMessageError);
    expect(() => parseImageMessage({ image: Buffer.from('x'), width: -1 }, OFFER)).toThrow(/width must be a positive integer/);
    expect(() => parseImageMessage('text', OFFER)).toThrow(BadImageMessageError);
  });
});
