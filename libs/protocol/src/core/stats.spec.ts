import { RttEstimator } from './rtt-estimator';
import { bytesEqual, newTransferStats, sha256, snapshotStats, toHex } from './stats';

describe('snapshotStats', () => {
  it('fills duration, goodput and RTT fields into a copy', () => {
    const stats = newTransferStats();
    const rtt = new RttEstimator(100);
    rtt.update(20);
    const snap = snapshotStats(stats, rtt, 1000, 3000, 4000);
    expect(snap).not.toBe(stats);
    expect(snap.durationMs).toBe(2000);
    expect(snap.goodputBytesPerSec).toBe(2000);
    expect(snap.rttMs).toBe(20);
    expect(snap.minRttMs).toBe(20);
    expect(stats.durationMs).toBe(0);
  });

  it('reports 0 RTT before any sample and 0 goodput at zero duration', () => {
    const snap = snapshotStats(newTransferStats(), new RttEstimator(100), 5, 5, 10);
    expect(snap.rttMs).toBe(0);
    expect(snap.goodputBytesPerSec).toBe(0);
  });
});

describe('sha256 / toHex / bytesEqual', () => {
  it('hashes the empty string to the well-known digest', () => {
    expect(toHex(sha256(new Uint8Array(0)))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('compares bytes', () => {
    expect(bytesEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 2))).toBe(true);
    expect(bytesEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 3))).toBe(false);
    expect(bytesEqual(Uint8Array.of(1), Uint8Array.of(1, 3))).toBe(false);
  });
});
