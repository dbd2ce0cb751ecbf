import type { EndpointEvent } from '../../core';
import { MAX_REASON_TEXT_BYTES, Reason } from '../../wire';
import { UdpTransportError, errorFromFailure, failedByPeer, failureText, peerJson } from './udp-errors';

type Failed = Extract<EndpointEvent, { type: 'failed' }>;
const failed = (reason: Reason, message: string): Failed =>
  ({ type: 'failed', role: 'sender', transferId: '00000000000000aa', peer: '127.0.0.1:1', reason, code: Reason[reason], message, stats: {} }) as Failed;
/** A failure the peer decided: the core prefixes its text in `message` and hands it over verbatim in `peerMessage`. */
const byPeer = (reason: Reason, prefix: string, peerText: string): Failed => ({ ...failed(reason, `${prefix}${peerText}`), peerMessage: peerText });

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
    it('reads an object, an array or a string, and nothing else', () => {
      expect(peerJson('{"a":1}')).toEqual({ ok: true, value: { a: 1 } });
      expect(peerJson('"x"')).toEqual({ ok: true, value: 'x' });
      expect(peerJson('sender silent for 10000 ms')).toEqual({ ok: false });
      expect(peerJson('5')).toEqual({ ok: false });
      expect(peerJson('{not json')).toEqual({ ok: false });
    });
  });

  describe('errorFromFailure', () => {
    it('returns the handler error value for APPLICATION and STORE_FAILED', () => {
      expect(errorFromFailure(byPeer(Reason.APPLICATION, 'receiver failed: ', '{"status":"error","message":"m"}'), 'x')).toEqual({
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

    it('marks an error the peer decided as remote, one our endpoint decided as local', () => {
      expect(errorFromFailure(byPeer(Reason.TOO_MANY_TRANSFERS, 'rejected by receiver: ', '64 incoming transfers in flight'), 'x')).toMatchObject({
        code: 'TOO_MANY_TRANSFERS',
        local: false,
      });
      expect(errorFromFailure(byPeer(Reason.SHUTTING_DOWN, 'aborted by receiver: ', 'server shutting down'), 'x')).toMatchObject({ local: false });
      expect(errorFromFailure(failed(Reason.UNREACHABLE, 'no answer to OFFER within 10000 ms'), 'x')).toMatchObject({ local: true });
      expect(errorFromFailure(failed(Reason.TIMEOUT, 'receiver silent for 10000 ms'), 'x')).toMatchObject({ local: true });
    });
  });

  describe('failedByPeer', () => {
    it('is true exactly when the core handed over the peer\'s text', () => {
      expect(failedByPeer(byPeer(Reason.HASH_MISMATCH, 'receiver failed: ', 'HASH_MISMATCH'))).toBe(true);
      expect(failedByPeer(byPeer(Reason.TOO_MANY_TRANSFERS, 'rejected by receiver: ', ''))).toBe(true);
      expect(failedByPeer(failed(Reason.HASH_MISMATCH, 'receiver completed with SHA-256 ab (3 B), expected cd'))).toBe(false);
    });
  });

  describe('UdpTransportError', () => {
    it('is remote unless told otherwise', () => {
      expect(new UdpTransportError('TIMEOUT', 'x')).toMatchObject({ code: 'TIMEOUT', local: false, transferId: undefined });
      expect(new UdpTransportError('TOO_MANY_TRANSFERS', 'x', undefined, true).local).toBe(true);
    });
  });
});
