/** WebP: the RIFF header states the file's length; fewer bytes than that means a cut file. */
import { ByteReader } from '../byte-reader';
import { broken, STRUCTURE_OK, type StructureResult } from './structure-result';

const RIFF_HEADER_BYTES = 8;

export function checkWebpStructure(bytes: Uint8Array): StructureResult {
  const declared = new ByteReader(bytes, true).u32(4);
  if (declared === undefined) return broken('WebP: truncated (no RIFF size)');
  const expected = RIFF_HEADER_BYTES + declared;
  if (bytes.length < expected) return broken(`WebP: truncated (RIFF declares ${expected} bytes, got ${bytes.length})`);
  return STRUCTURE_OK;
}
