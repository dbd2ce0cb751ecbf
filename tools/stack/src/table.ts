/** A fixed-width text table: first column left-aligned, the rest right-aligned. */
export function formatTable(headers: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    widths
      .map((w, i) => (i === 0 ? (cells[i] ?? '').padEnd(w) : (cells[i] ?? '').padStart(w)))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** One transfer of `npm start`, as printed. */
export interface TransferRow {
  file: string;
  bytes: number;
  timeMs: number;
  datagrams: number;
  retransmitted: number;
  /** Fraction in [0, 1]. */
  lossSeen: number;
  /** undefined = not verified because the transfer failed. */
  verified: boolean;
  /** Why it failed, when it did. */
  error?: string;
}

export const TRANSFER_HEADERS = ['file', 'bytes', 'time ms', 'MB/s', 'datagrams', 'retransmitted', 'loss seen', 'verified'] as const;

export function formatTransferTable(rows: readonly TransferRow[]): string {
  return formatTable(
    TRANSFER_HEADERS,
    rows.map((r) =>
      r.error !== undefined
        ? [r.file, String(r.bytes), r.timeMs.toFixed(0), '-', '-', '-', '-', `FAILED: ${r.error}`]
        : [
            r.file,
            String(r.bytes),
            r.timeMs.toFixed(0),
            (r.bytes / 1e6 / Math.max(r.timeMs / 1000, 1e-6)).toFixed(2),
            String(r.datagrams),
            String(r.retransmitted),
            `${(r.lossSeen * 100).toFixed(1)}%`,
            r.verified ? 'yes (sha256 + bytes)' : 'NO',
          ],
    ),
  );
}
