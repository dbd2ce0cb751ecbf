/** Limits applied by probeImage, with defaults chosen to match the transport's own. */
import { IMAGE_FORMATS, isImageFormat, type ImageFormat } from './image-format';

export interface ProbeLimits {
  /** Largest accepted file, bytes. Default 256 MiB (the transport's default maxBytesPerTransfer). */
  maxBytes: number;
  /**
   * Most pixels accepted, width x height summed over all pages. Default
   * 268 402 689 (0x3FFF squared, sharp's own limitInputPixels default).
   */
  maxPixels: number;
  /** Formats accepted. Default: all six of IMAGE_FORMATS. */
  formats: readonly ImageFormat[];
}

export const DEFAULT_PROBE_LIMITS: Readonly<ProbeLimits> = Object.freeze({
  maxBytes: 256 * 1024 * 1024,
  maxPixels: 0x3fff * 0x3fff,
  formats: IMAGE_FORMATS,
});

/** Thrown for a limit that is not a positive integer or names an unknown format: a programming error, not bad input. */
export class ProbeLimitsError extends Error {
  constructor(
    readonly option: keyof ProbeLimits,
    message: string,
  ) {
    super(message);
    this.name = 'ProbeLimitsError';
  }
}

function positiveInteger(option: 'maxBytes' | 'maxPixels', value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new ProbeLimitsError(option, `probe limit "${option}" must be a positive integer, got ${String(value)}`);
  }
  return value;
}

export function resolveProbeLimits(limits: Partial<ProbeLimits> = {}): ProbeLimits {
  const formats = limits.formats ?? DEFAULT_PROBE_LIMITS.formats;
  for (const format of formats) {
    if (!isImageFormat(format)) throw new ProbeLimitsError('formats', `probe limit "formats": unknown format "${String(format)}"`);
  }
  return {
    maxBytes: positiveInteger('maxBytes', limits.maxBytes ?? DEFAULT_PROBE_LIMITS.maxBytes),
    maxPixels: positiveInteger('maxPixels', limits.maxPixels ?? DEFAULT_PROBE_LIMITS.maxPixels),
    formats,
  };
}
