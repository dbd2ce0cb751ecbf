import type { EndpointEvent } from '../../core';
import { MAX_REASON_TEXT_BYTES, Reason } from '../../wire';
import { UdpTransportError, errorFromFailure, failureText, peerJson } from './udp-errors';

type Failed = Extract<EndpointEvent, { type: 'failed' }>;
const failed = (reason: Reason, message: string): Failed =>
  ({ type: 'failed', role: 'sender', transferId: '00000000000000aa', peer: '127.0.0.1:1', reason, code: Reason[reason], message, stats: {} }) as Failed;

describe('udp-errors', () => {
  describe('failureText', () => {
    it('sends a small error value as its JSON', () => {
      expect(failureText({ status: 'error', message: 'boom' })).toBe('{"status":"error","message":"boom"}');
      expect(failureText('plain')).toBe('"plain"');
    });

    it('sends an Error as {status, message}', () => {
      expect(failureText(new Error('disk full'))).toBe('{"status":"error","message":"disk full"}');
    });

    it('cuts a long error to 200 bytes of valid JSON', () => {
      const text = failureText({ message: 'é'.repeat(500), extra: 1 });
      expect(Buffer.byteLength(text)).toBeLessThanOrEqual(MAX_REASON_TEXT_BYTES);
      expect(JSON.parse(text)).toMatchObject({ status: 'error' });
    });
  });

  describe('peerJson', () => {
    it('finds the JSON after the prefix the core adds', () => {
      expect(peerJson('receiver failed: {"a":1}')).toEqual({ ok: true, value: { a: 1 } });
      expect(peerJson('"x"')).toEqual({ ok: true, value: 'x' });
      expect(peerJson('sender silent for 10000 ms')).toEqual({ ok: false });
      expect(peerJson('receiver failed: 5')).toEqual({ ok: false });
    });
  });

  describe('errorFromFailure', () => {
    it('returns the handler error value for APPLICATION and STORE_FAILED', () => {
      expect(errorFromFailure(failed(Reason.APPLICATION, 'receiver failed: {"status":"error","message":"m"}'), 'x')).toEqual({
        status: 'error',
        message: 'm',
      });
    });

    it('returns a UdpTransportError naming the reason otherwise', () => {
      const err = errorFromFailure(failed(Reason.UNREACHABLE, 'no ACCEPT within 10000 ms'), 'ClientUdp: request "a"');
      expect(err).toBeInstanceOf(UdpTransportError);
      expect(err).toMatchObject({ code: 'UNREACHABLE', message: 'ClientUdp: request "a" failed: UNREACHABLE: no ACCEPT within 10000 ms' });
      expect(errorFromFailure(failed(Reason.STORE_FAILED, 'no commit within 30000 ms'), 'x')).toBeInstanceOf(UdpTransportError);
    });
  });
});
