/**
 * A small typed listener registry for `on(event, callback)` of ServerUdp and
 * ClientUdp. A listener that throws is logged, never propagated into the
 * driver's event loop; 'error' without a listener is not an exception.
 */
import type { Logger } from '@nestjs/common';
import type { EndpointEvent } from '../../core';
import type { UdpEvents } from '../udp.events';

type Listener = (...args: unknown[]) => void;

export class UdpListeners<M extends { [K in keyof M]: (...args: never[]) => void }> {
  private readonly listeners = new Map<keyof M, Set<Listener>>();

  constructor(private readonly logger: Logger) {}

  on<K extends keyof M>(event: K, callback: M[K]): void {
    let set = this.listeners.get(event);
    if (set === undefined) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(callback as unknown as Listener);
  }

  off<K extends keyof M>(event: K, callback: M[K]): void {
    this.listeners.get(event)?.delete(callback as unknown as Listener);
  }

  count(event: keyof M): number {
    return this.listeners.get(event)?.size ?? 0;
  }

  emit<K extends keyof M>(event: K, ...args: Parameters<M[K]>): void {
    const set = this.listeners.get(event);
    if (set === undefined) return;
    for (const listener of [...set]) {
      try {
        listener(...args);
      } catch (err) {
        this.logger.error(`listener for "${String(event)}" threw: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }

  clear(): void {
    this.listeners.clear();
  }
}

/** Re-emits the transfer-level events of the core (started, progress, gap, gap-repaired, completed, failed). */
export function forwardTransferEvent<M extends UdpEvents & { [K in keyof M]: (...args: never[]) => void }>(listeners: UdpListeners<M>, event: EndpointEvent): void {
  // ClientUdp's map adds events of its own; the transfer-level ones are UdpEvents' in every map.
  const emit = listeners as unknown as UdpListeners<UdpEvents>;
  switch (event.type) {
    case 'started':
      return emit.emit('started', event);
    case 'progress':
      return emit.emit('progress', event);
    case 'gap':
      return emit.emit('gap', event);
    case 'gap-repaired':
      return emit.emit('gap-repaired', event);
    case 'completed':
      return emit.emit('completed', event);
    case 'failed':
      return emit.emit('failed', event);
    default:
      return undefined;
  }
}
