/**
 * The IPC vocabulary between the benchmark (parent, the sender) and its
 * forked worker (the receiver of both the UDP and the TCP runs). Plain JSON:
 * the bytes themselves only ever travel over the sockets being measured.
 */
import type { BenchEndpointSettings } from './endpoint-settings';

export type ParentToWorker =
  | {
      cmd: 'udp-listen';
      settings: BenchEndpointSettings;
      /** Inbound drop probability at the receiver, [0, 1]. */
      dropRate: number;
      seed: number;
    }
  /** Close the UDP receiver and report what it got. */
  | { cmd: 'udp-report' }
  | { cmd: 'tcp-listen' }
  | { cmd: 'exit' };

export interface UdpReceiverReport {
  /** SHA-256 the worker computed itself over the bytes the endpoint delivered ('' when none). */
  sha256Hex: string;
  bytes: number;
  /** 'completed', 'failed: ...' or 'nothing' */
  outcome: string;
  receiverStats: Record<string, unknown> | undefined;
  driverStats: Record<string, unknown>;
  endpointCounters: Record<string, unknown>;
  bufferSizes: { recv: number; send: number };
  /** Datagrams the kernel dropped on the receiving socket (receive buffer full), from /proc/net/udp. */
  kernelDrops: number | undefined;
  /** When the receiver saw its first event of each type (driver clock: epoch ms, comparable across processes). */
  eventTimes: Record<string, number>;
  /** CPU time the worker used from listen to report (includes its own SHA-256 check of the data). */
  cpuMs: number;
}

export type WorkerToParent =
  | { type: 'udp-ready'; port: number }
  | { type: 'udp-report'; report: UdpReceiverReport }
  | { type: 'tcp-ready'; port: number }
  | { type: 'error'; message: string };
