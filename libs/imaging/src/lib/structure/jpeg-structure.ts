/**
 * JPEG: walks the marker segments and the entropy-coded scans up to EOI. A
 * file that ends before EOI was cut short. Scans are skipped by looking for
 * the next marker (0xFF not followed by 0x00 stuffing or RSTn), so an EOI
 * inside an EXIF thumbnail (an APP1 payload) is never mistaken for the end.
 */
import { ByteReader } from '../byte-reader';
import { broken, STRUCTURE_OK, type StructureResult } from './structure-result';

const SOS = 0xda;
const EOI = 0xd9;

function isStandalone(marker: number): boolean {
  return marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7);
}

/** Index just past the scan that starts at `from`: the position of the next real marker, or -1 if the data ends first. */
function skipScan(bytes: Uint8Array, from: number): number {
  for (let at = bytes.indexOf(0xff, from); at !== -1 && at + 1 < bytes.length; at = bytes.indexOf(0xff, at + 1)) {
    const next = bytes[at + 1];
    if (next === 0x00 || next === 0xff || (next >= 0xd0 && next <= 0xd7)) continue;
    return at;
  }
  return -1;
}

export function checkJpegStructure(bytes: Uint8Array): StructureResult {
  const r = new ByteReader(bytes);
  let at = 2;
  let sawScan = false;
  while (at < bytes.length) {
    if (r.u8(at) !== 0xff) return broken(`JPEG: expected a marker at byte ${at}`);
    // Fill bytes: any number of 0xFF may precede a marker.
    while (r.u8(at + 1) === 0xff) at += 1;
    const marker = r.u8(at + 1);
    if (marker === undefined) break;
    if (marker === EOI) return sawScan ? STRUCTURE_OK : broken('JPEG: end of image before any scan');
    if (isStandalone(marker)) {
      at += 2;
      continue;
    }
    const length = r.u16(at + 2);
    if (length === undefined || length < 2) return broken(`JPEG: bad segment length at byte ${at}`);
    const end = at + 2 + length;
    if (end > bytes.length) return broken(`JPEG: truncated (segment 0x${marker.toString(16)} at byte ${at} runs past the end)`);
    if (marker !== SOS) {
      at = end;
      continue;
    }
    sawScan = true;
    const next = skipScan(bytes, end);
    if (next === -1) break;
    at = next;
  }
  return broken('JPEG: truncated (no end-of-image marker)');
}
