/**
 * An image's id is the id of the transfer that delivered it: 16 lowercase hex
 * digits, random per transfer (64 bits), and known to both sides, so the
 * sender can return it to its caller before anyone lists the receiver.
 * The strict format also makes ids safe as file names.
 */
export const IMAGE_ID_PATTERN = /^[0-9a-f]{16}$/;

export function isImageId(id: string): boolean {
  return IMAGE_ID_PATTERN.test(id);
}
