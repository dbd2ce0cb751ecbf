/**
 * TIFF: follows the IFD chain and checks that every IFD and every strip or
 * tile it points at lies inside the file. Also reads each page's geometry,
 * because libvips refuses some valid TIFFs (e.g. 64-bit float samples) whose
 * bytes are still worth carrying unchanged. BigTIFF is only sniffed, not walked.
 */
import { ByteReader } from '../byte-reader';
import type { StructureResult } from './structure-result';

export interface TiffLayout {
  width: number;
  height: number;
  channels: number;
  pages: number;
}

export type TiffStructureResult = { ok: true; layout: TiffLayout | undefined } | Extract<StructureResult, { ok: false }>;

function fail(message: string): TiffStructureResult {
  return { ok: false, message };
}

const TAG_WIDTH = 256;
const TAG_HEIGHT = 257;
const TAG_SAMPLES_PER_PIXEL = 277;
const TAG_STRIP_OFFSETS = 273;
const TAG_STRIP_BYTE_COUNTS = 279;
const TAG_TILE_OFFSETS = 324;
const TAG_TILE_BYTE_COUNTS = 325;
/** Bytes per value of each TIFF field type (1 BYTE .. 13 IFD); unknown types are skipped. */
const TYPE_BYTES: Readonly<Record<number, number>> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4 };
/** A chain longer than this is treated as malformed (also guards against cycles). */
const MAX_PAGES = 10_000;

type Fields = Map<number, number[]>;

function readValues(r: ByteReader, entry: number, type: number, count: number): number[] | string {
  const size = TYPE_BYTES[type];
  if (size === undefined || (type !== 3 && type !== 4)) return [];
  const total = size * count;
  const at = total <= 4 ? entry + 8 : (r.u32(entry + 8) ?? -1);
  if (at < 0 || at + total > r.length) return `values of tag at byte ${entry} lie past the end`;
  const values: number[] = [];
  for (let i = 0; i < count; i += 1) values.push((type === 3 ? r.u16(at + 2 * i) : r.u32(at + 4 * i)) ?? 0);
  return values;
}

function readIfd(r: ByteReader, at: number): { fields: Fields; next: number } | string {
  const count = r.u16(at);
  if (count === undefined || at + 2 + 12 * count + 4 > r.length) return `truncated (IFD at byte ${at} runs past the end)`;
  const fields: Fields = new Map();
  for (let i = 0; i < count; i += 1) {
    const entry = at + 2 + 12 * i;
    const tag = r.u16(entry) ?? 0;
    const values = readValues(r, entry, r.u16(entry + 2) ?? 0, r.u32(entry + 4) ?? 0);
    if (typeof values === 'string') return `truncated (${values})`;
    fields.set(tag, values);
  }
  return { fields, next: r.u32(at + 2 + 12 * count) ?? 0 };
}

/** The end of the last strip or tile, or a message when offsets and counts disagree. */
function dataEnd(fields: Fields): number | string {
  const offsets = fields.get(TAG_STRIP_OFFSETS) ?? fields.get(TAG_TILE_OFFSETS) ?? [];
  const counts = fields.get(TAG_STRIP_BYTE_COUNTS) ?? fields.get(TAG_TILE_BYTE_COUNTS) ?? [];
  if (offsets.length !== counts.length) return 'strip/tile offsets and byte counts differ in number';
  return offsets.reduce((end, offset, i) => Math.max(end, offset + counts[i]), 0);
}

export function checkTiffStructure(bytes: Uint8Array): TiffStructureResult {
  const littleEndian = bytes[0] === 0x49;
  const r = new ByteReader(bytes, littleEndian);
  if (r.u16(2) === 43) return { ok: true, layout: undefined };
  let at = r.u32(4) ?? 0;
  let first: Fields | undefined;
  let pages = 0;
  while (at !== 0) {
    if (pages >= MAX_PAGES) return fail(`TIFF: more than ${MAX_PAGES} pages, or an IFD cycle`);
    const ifd = readIfd(r, at);
    if (typeof ifd === 'string') return fail(`TIFF: ${ifd}`);
    const end = dataEnd(ifd.fields);
    if (typeof end === 'string') return fail(`TIFF: ${end}`);
    if (end > bytes.length) return fail(`TIFF: truncated (image data of page ${pages + 1} runs past the end)`);
    first ??= ifd.fields;
    pages += 1;
    at = ifd.next;
  }
  if (first === undefined) return fail('TIFF: no image file directory');
  const width = first.get(TAG_WIDTH)?.[0];
  const height = first.get(TAG_HEIGHT)?.[0];
  if (width === undefined || height === undefined) return fail('TIFF: first page has no width or height');
  return { ok: true, layout: { width, height, channels: first.get(TAG_SAMPLES_PER_PIXEL)?.[0] ?? 1, pages } };
}
