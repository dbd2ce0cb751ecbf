/** The outcome of probeImage: a description of a whole image, or a rejection with a code that HTTP and metrics can use. */
import type { ImageFormat } from './image-format';

export interface ImageInfo {
  format: ImageFormat;
  width: number;
  /** Height of one page (frame). */
  height: number;
  channels: number;
  /** Frames of an animation or pages of a TIFF; 1 for a still image. */
  pages: number;
  /** Progressive JPEG or interlaced PNG/GIF. */
  progressive: boolean;
  /**
   * False when libvips could not read the header and the geometry came from
   * our own parse (some valid TIFFs, e.g. 64-bit float samples): the bytes
   * travel fine, but decoding them (previews) will not work.
   */
  decodable: boolean;
}

export const PROBE_ERROR_CODES = ['NOT_AN_IMAGE', 'UNSUPPORTED_FORMAT', 'TOO_MANY_PIXELS', 'TOO_LARGE', 'CORRUPT'] as const;
export type ProbeErrorCode = (typeof PROBE_ERROR_CODES)[number];

export type ProbeResult = ({ ok: true } & ImageInfo) | { ok: false; code: ProbeErrorCode; message: string };
