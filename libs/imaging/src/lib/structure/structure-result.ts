/** What a structural check found: nothing wrong, or why the file cannot be complete or well formed. */
export type StructureResult = { ok: true } | { ok: false; message: string };

export const STRUCTURE_OK: StructureResult = { ok: true };

export function broken(message: string): StructureResult {
  return { ok: false, message };
}
