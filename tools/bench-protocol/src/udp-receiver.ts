/**
 * Worker side of a UDP run: a real endpoint behind a UdpEndpointDriver on
 * loopback, inbound loss injected by the driver's seeded dropInbound test
 * hook. It keeps what the endpoint delivered and, only when asked for the
 * report (after the timing stopped), hashes it itself: an independent check
 * that the bytes are the bytes, not just the core's word for it.
 */
import { randomInboundDrop, UdpEndpointDriver, type EndpointEvent, type TransferStats } from '@udpix/protocol';
import { createBenchEndpoint, driverOptionsFor, type BenchEndpointSettings } from './endpoint-settings';
import { kernelUdpDrops } from './kernel-udp-drops';
import { sha256Hex } from './payload';
import type { UdpReceiverReport } from './worker-messages';

export class UdpReceiver {
  private data: Uint8Array | undefined;
  private outcome = 'nothing';
  private stats: TransferStats | undefined;
  /** Wall-clock ms (performance.timeOrigin based, comparable across processes) of the receiver's events. */
  private readonly eventTimes: Record<string, number> = {};

  private readonly cpuAtListen = process.cpuUsage();

  private constructor(private readonly driver: UdpEndpointDriver) {
    driver.on('event', (event) => this.onEvent(event));
    driver.on('error', (err) => {
      this.outcome = `socket error: ${err.message}`;
    });
  }

  static async listen(settings: BenchEndpointSettings, dropRate: number, seed: number): Promise<{ receiver: UdpReceiver; port: number }> {
    const endpoint = createBenchEndpoint(settings, seed);
    const driver = new UdpEndpointDriver(endpoint, {
      ...driverOptionsFor(settings),
      host: '127.0.0.1',
      ...(dropRate > 0 ? { dropInbound: randomInboundDrop(dropRate, seed) } : {}),
    });
    const { port } = await driver.bind();
    return { receiver: new UdpReceiver(driver), port };
  }

  private onEvent(event: EndpointEvent): void {
    if (event.role !== 'receiver') return;
    this.eventTimes[event.type] ??= this.driver.now();
    if (event.type === 'verified') {
      this.data = event.data;
    } else if (event.type === 'completed') {
      this.outcome = 'completed';
      this.stats = event.stats;
    } else if (event.type === 'failed') {
      this.outcome = `failed: ${event.code} ${event.message}`;
      this.stats = event.stats;
    }
  }

  async report(): Promise<UdpReceiverReport> {
    const cpu = process.cpuUsage(this.cpuAtListen);
    const port = this.driver.address().port;
    const kernelDrops = kernelUdpDrops(port);
    const bufferSizes = this.driver.bufferSizes();
    const driverStats = { ...this.driver.stats() };
    const endpointCounters = JSON.parse(JSON.stringify(this.driver.endpoint.counters)) as Record<string, unknown>;
    await this.driver.close();
    return {
      sha256Hex: this.data ? sha256Hex(this.data) : '',
      bytes: this.data?.length ?? 0,
      outcome: this.outcome,
      receiverStats: this.stats ? { ...this.stats } : undefined,
      driverStats,
      endpointCounters,
      bufferSizes,
      kernelDrops,
      eventTimes: this.eventTimes,
      cpuMs: (cpu.user + cpu.system) / 1000,
    };
  }
}
