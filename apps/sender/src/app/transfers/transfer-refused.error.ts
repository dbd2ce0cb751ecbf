/** A transfer that cannot start now: the sender is draining, or UDPIX_MAX_TRANSFERS are in flight. Both are 503. */
export class TransferRefusedError extends Error {
  constructor(
    readonly code: 'DRAINING' | 'TOO_MANY_TRANSFERS',
    message: string,
  ) {
    super(message);
    this.name = 'TransferRefusedError';
  }
}
