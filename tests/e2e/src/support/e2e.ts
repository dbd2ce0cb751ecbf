/** Helpers shared by the e2e specs (the orchestration itself is @udpix/stack). */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A fresh temp directory; remove it with the returned function. */
export function tempDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), `udpix-e2e-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** The fields of the sender's 201 body the specs read. */
export interface ImageSent {
  id: string;
  sha256: string;
  bytes: number;
  contentType: string;
  width: number;
  height: number;
  stats: {
    datagramsSent: number;
    chunksSent: number;
    chunksRetransmitted: number;
    lossEstimate: number;
    rttMs: number;
    durationMs: number;
    gapsDetected: number;
    gapsRepaired: number;
  };
}

/** application/problem+json. */
export interface Problem {
  status: number;
  code?: string;
  title?: string;
  detail?: string;
  errors?: unknown;
}
