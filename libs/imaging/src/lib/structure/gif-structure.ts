/** GIF: walks the blocks (extensions, images and their LZW sub-blocks) up to the trailer byte. */
import { ByteReader } from '../byte-reader';
import { broken, STRUCTURE_OK, type StructureResult } from './structure-result';

const HEADER_AND_SCREEN_BYTES = 13;
const EXTENSION = 0x21;
const IMAGE = 0x2c;
const TRAILER = 0x3b;

function colorTableBytes(flags: number): number {
  return flags & 0x80 ? 3 * 2 ** ((flags & 0x07) + 1) : 0;
}

/** Position after a run of data sub-blocks starting at `at`, or -1 if the file ends inside it. */
function skipSubBlocks(r: ByteReader, at: number): number {
  for (;;) {
    const size = r.u8(at);
    if (size === undefined) return -1;
    at += 1 + size;
    if (size === 0) return at;
  }
}

export function checkGifStructure(bytes: Uint8Array): StructureResult {
  const r = new ByteReader(bytes, true);
  const screenFlags = r.u8(10);
  if (screenFlags === undefined) return broken('GIF: truncated (no logical screen descriptor)');
  let at = HEADER_AND_SCREEN_BYTES + colorTableBytes(screenFlags);
  for (;;) {
    const block = r.u8(at);
    if (block === undefined) return broken('GIF: truncated (no trailer)');
    if (block === TRAILER) return STRUCTURE_OK;
    if (block === EXTENSION) {
      at = skipSubBlocks(r, at + 2);
    } else if (block === IMAGE) {
      const flags = r.u8(at + 9);
      if (flags === undefined) return broken('GIF: truncated (image descriptor)');
      // Descriptor (10 bytes), local colour table, LZW minimum code size (1 byte), then the data.
      at = skipSubBlocks(r, at + 10 + colorTableBytes(flags) + 1);
    } else {
      return broken(`GIF: unexpected block 0x${block.toString(16)} at byte ${at}`);
    }
    if (at === -1) return broken('GIF: truncated (inside a block)');
  }
}
