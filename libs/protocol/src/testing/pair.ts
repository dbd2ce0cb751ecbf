/**
 * Two endpoints, 'a' and 'b', joined by a link in each direction: the usual
 * shape of a protocol test (quinn-proto's Pair). The endpoints come from
 * factories, so this file knows nothing of the concrete core Endpoint and
 * works as well with fakes.
 */
import type { PeerAddress } from '../core/types';
import type { LinkConfigInput } from './link-config';
import type { Link } from './link-model';
import type { SeededRandom } from './seeded-random';
import { SimNetwork, type RunOptions, type RunResult, type SimEndpoint, type SimNetworkOptions, type StepResult } from './sim-network';

/** What a factory gets to build its endpoint. */
export interface PairNodeContext {
  address: PeerAddress;
  peer: PeerAddress;
  /** A reproducible random stream for this node; `random.bytes` fits an endpoint's random source. */
  random: SeededRandom;
  /** Reads the virtual clock. */
  now: () => number;
}

/** The event type an endpoint emits, as seen through its pollEvent. */
export type EventOf<T> = T extends { pollEvent(): infer Ev } ? Exclude<Ev, undefined> : never;

export interface PairOptions<A, B> extends Omit<SimNetworkOptions<EventOf<A> | EventOf<B>>, 'defaultLink'> {
  makeA: (ctx: PairNodeContext) => A;
  makeB: (ctx: PairNodeContext) => B;
  /** Both directions. */
  link?: LinkConfigInput;
  /** a -> b, over `link`. */
  linkAB?: LinkConfigInput;
  /** b -> a, over `link`. */
  linkBA?: LinkConfigInput;
}

export class Pair<A extends SimEndpoint<unknown>, B extends SimEndpoint<unknown> = A> {
  static readonly A = 'a';
  static readonly B = 'b';
  readonly network: SimNetwork<EventOf<A> | EventOf<B>>;
  readonly a: A;
  readonly b: B;

  constructor(options: PairOptions<A, B>) {
    const { makeA, makeB, link, linkAB, linkBA, ...networkOptions } = options;
    this.network = new SimNetwork<EventOf<A> | EventOf<B>>({ ...networkOptions, defaultLink: link });
    const now = this.network.clock.toFunction();
    const ctx = (address: PeerAddress, peer: PeerAddress): PairNodeContext => ({ address, peer, random: this.network.randomFor(address), now });
    this.a = makeA(ctx(Pair.A, Pair.B));
    this.b = makeB(ctx(Pair.B, Pair.A));
    // A and B emit EventOf<A> and EventOf<B> by construction; TypeScript cannot see through the conditional type.
    this.network.addNode(Pair.A, this.a as SimEndpoint<EventOf<A> | EventOf<B>>);
    this.network.addNode(Pair.B, this.b as SimEndpoint<EventOf<A> | EventOf<B>>);
    if (linkAB !== undefined) this.network.configureLink(Pair.A, Pair.B, linkAB);
    if (linkBA !== undefined) this.network.configureLink(Pair.B, Pair.A, linkBA);
  }

  get now(): number {
    return this.network.now;
  }

  get seed(): number {
    return this.network.seed;
  }

  /** a -> b. */
  get linkAB(): Link {
    return this.network.link(Pair.A, Pair.B);
  }

  /** b -> a. */
  get linkBA(): Link {
    return this.network.link(Pair.B, Pair.A);
  }

  get eventsA(): readonly EventOf<A>[] {
    return this.network.events(Pair.A) as readonly EventOf<A>[];
  }

  get eventsB(): readonly EventOf<B>[] {
    return this.network.events(Pair.B) as readonly EventOf<B>[];
  }

  step(): StepResult {
    return this.network.step();
  }

  /** Steps until `predicate` holds (bounded; see SimNetwork.runUntil). */
  driveUntil(predicate: (pair: this) => boolean, options?: RunOptions): RunResult {
    return this.network.runUntil(() => predicate(this), options);
  }

  /** Steps until nothing is left to do; ok when the network went idle within the bounds. */
  drive(options?: RunOptions): RunResult {
    return this.network.runUntilIdle(options);
  }

  /** Steps until `address` ('a' or 'b') has emitted an event matching `match`. */
  driveUntilEvent(address: PeerAddress, match: (event: EventOf<A> | EventOf<B>) => boolean, options?: RunOptions): RunResult {
    // Only look at events new since the last check: a long transfer logs many progress events.
    let seen = 0;
    return this.network.runUntil((net) => {
      const events = net.events(address);
      seen = Math.min(seen, events.length);
      for (; seen < events.length; seen++) if (match(events[seen] as EventOf<A> | EventOf<B>)) return true;
      return false;
    }, options);
  }
}
