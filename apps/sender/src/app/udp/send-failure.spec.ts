import { UdpTransportError } from '@udpix/protocol';
import { ImageSendError } from './image-client';
import { toImageSendError } from './send-failure';

describe('toImageSendError', () => {
  it.each([
    ['TIMEOUT', 'unreachable'],
    ['UNREACHABLE', 'unreachable'],
    ['REPAIR_LIMIT', 'unreachable'],
    ['HASH_MISMATCH', 'rejected'],
    ['TOO_LARGE', 'rejected'],
    ['SHUTTING_DOWN', 'rejected'],
    ['BAD_ENVELOPE', 'rejected'],
    ['CLOSED', 'unavailable'],
    ['CANCELLED', 'unavailable'],
  ])('classifies a transport error %s as %s', (code, kind) => {
    expect(toImageSendError(new UdpTransportError(code, 'x'))).toMatchObject({ kind, code });
  });

  it('answers 503 (unavailable) for the sender\'s own TOO_MANY_TRANSFERS or SHUTTING_DOWN, 502 (rejected) for the receiver\'s', () => {
    expect(toImageSendError(new UdpTransportError('TOO_MANY_TRANSFERS', 'x', undefined, true))).toMatchObject({ kind: 'unavailable', code: 'TOO_MANY_TRANSFERS' });
    expect(toImageSendError(new UdpTransportError('SHUTTING_DOWN', 'x', undefined, true))).toMatchObject({ kind: 'unavailable' });
    expect(toImageSendError(new UdpTransportError('TOO_MANY_TRANSFERS', 'x', undefined, false))).toMatchObject({ kind: 'rejected', code: 'TOO_MANY_TRANSFERS' });
  });

  it('treats a handler error value as a rejection carrying its message', () => {
    const error = toImageSendError({ status: 'error', message: 'disk full' });
    expect(error).toMatchObject({ kind: 'rejected', code: 'APPLICATION' });
    expect(error.message).toContain('disk full');
  });

  it('keeps an ImageSendError as it is', () => {
    const original = new ImageSendError('unavailable', 'SHUTTING_DOWN', 'bye');
    expect(toImageSendError(original)).toBe(original);
  });
});
