/** AVIF (ISO base media file): the top-level boxes must tile the file; one that runs past the end means a cut file. */
import { ByteReader } from '../byte-reader';
import { broken, STRUCTURE_OK, type StructureResult } from './structure-result';

const BOX_HEADER_BYTES = 8;
const LARGE_BOX_HEADER_BYTES = 16;

export function checkIsobmffStructure(bytes: Uint8Array): StructureResult {
  const r = new ByteReader(bytes);
  const seen = new Set<string>();
  let at = 0;
  while (at < bytes.length) {
    let size = r.u32(at);
    const type = r.ascii(at + 4, 4);
    if (size === undefined || type === undefined) return broken(`AVIF: truncated (box header at byte ${at})`);
    let headerBytes = BOX_HEADER_BYTES;
    if (size === 1) {
      const large = r.u64(at + BOX_HEADER_BYTES);
      if (large === undefined) return broken(`AVIF: truncated (box ${type} at byte ${at})`);
      size = large;
      headerBytes = LARGE_BOX_HEADER_BYTES;
    } else if (size === 0) {
      // "Extends to the end of the file": complete by definition.
      size = bytes.length - at;
    }
    if (size < headerBytes) return broken(`AVIF: bad size of box ${type} at byte ${at}`);
    if (at + size > bytes.length) return broken(`AVIF: truncated (box ${type} at byte ${at} runs past the end)`);
    seen.add(type);
    at += size;
  }
  if (!seen.has('meta')) return broken('AVIF: no meta box');
  if (!seen.has('mdat')) return broken('AVIF: truncated (no mdat box)');
  return STRUCTURE_OK;
}
