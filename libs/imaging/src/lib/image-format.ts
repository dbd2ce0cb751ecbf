/** The image formats udpix accepts, named as sharp names them (AVIF is sharp's "heif" with AV1). */
export const IMAGE_FORMATS = ['jpeg', 'png', 'webp', 'avif', 'tiff', 'gif'] as const;

export type ImageFormat = (typeof IMAGE_FORMATS)[number];

/** The usual media type of each format, for a Content-Type when the caller gave none. */
export const IMAGE_CONTENT_TYPES: Readonly<Record<ImageFormat, string>> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  avif: 'image/avif',
  tiff: 'image/tiff',
  gif: 'image/gif',
};

export function isImageFormat(value: string): value is ImageFormat {
  return (IMAGE_FORMATS as readonly string[]).includes(value);
}
