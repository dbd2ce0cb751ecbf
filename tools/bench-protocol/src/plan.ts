/**
 * Which cases a run covers. The default matrix stays under about two
 * minutes on the 2-core CI machine; --quick is a smoke run of the same code
 * paths in a fraction of that.
 */
import type { CliOptions } from './cli-options';

export interface SimPlanEntry {
  sizeBytes: number;
  datagramSize: number;
  lossPct: number;
  rttMs: number;
}

export interface RealPlanEntry {
  sizeBytes: number;
  datagramSize: number;
  lossPct: number;
}

export interface Plan {
  sim: SimPlanEntry[];
  udp: RealPlanEntry[];
  tcp: number[];
}

const SIM_LOSSES = [0, 1, 5, 10, 20];

export function makePlan(cli: CliOptions): Plan {
  const sim: SimPlanEntry[] = [];
  if (cli.only.has('sim')) {
    // Sim time is virtual: the size only needs to be large enough for the
    // steady state to dominate; 10 MB at 20 ms RTT is ~50 round trips.
    const simSize = cli.quick ? 2e6 : 10e6;
    const rtts = cli.quick ? [20] : [2, 20, 100];
    for (const rttMs of rtts) {
      for (const lossPct of SIM_LOSSES) sim.push({ sizeBytes: simSize, datagramSize: 1472, lossPct, rttMs });
    }
    for (const lossPct of cli.quick ? [0] : [0, 5]) sim.push({ sizeBytes: simSize, datagramSize: 65507, lossPct, rttMs: 20 });
  }
  const udp: RealPlanEntry[] = [];
  if (cli.only.has('udp')) {
    for (const datagramSize of cli.datagramSizes) {
      for (const lossPct of cli.udpLosses) {
        for (const sizeBytes of cli.sizes) {
          // --quick keeps the loss runs small; the 0% runs keep every size (the targets are 50 MB).
          if (cli.quick && lossPct > 0 && sizeBytes > 1e6) continue;
          udp.push({ sizeBytes, datagramSize, lossPct });
        }
      }
    }
  }
  return { sim, udp, tcp: cli.only.has('tcp') ? cli.sizes : [] };
}
