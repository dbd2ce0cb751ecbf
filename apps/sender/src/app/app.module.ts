/**
 * The sender: HTTP in, UDP out. A dynamic module because its configuration
 * is loaded (and validated) before Nest starts, and because tests swap the
 * UDP client for a fake.
 */
import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { createHealthController, HEALTH_CHECKS, MetricsModule, type HealthCheck } from '@udpix/service-kit';
import { parseReceiverAddress } from './config/receiver-address';
import { SenderConfig } from './config/sender-config';
import { ImagesController } from './images/images.controller';
import { ImagesService } from './images/images.service';
import { SenderMetrics } from './metrics/sender-metrics';
import { TransfersController } from './transfers/transfers.controller';
import { TransfersService } from './transfers/transfers.service';
import { IMAGE_CLIENT, type ImageClient } from './udp/image-client';
import { UdpImageClient } from './udp/udp-image-client';
import { udpClientOptions } from './udp/udp-client-options';

export interface SenderModuleOptions {
  /** Replaces the UDP client (tests). */
  imageClient?: ImageClient;
}

function imageClientProvider(config: SenderConfig, options: SenderModuleOptions): Provider {
  if (options.imageClient !== undefined) return { provide: IMAGE_CLIENT, useValue: options.imageClient };
  return {
    provide: IMAGE_CLIENT,
    // Built and bound before the HTTP server listens: a bad option or a taken port stops the start-up.
    useFactory: async (): Promise<ImageClient> => {
      const receiver = parseReceiverAddress(config.UDPIX_RECEIVER);
      if (receiver === undefined) throw new Error(`UDPIX_RECEIVER: not host:port: ${config.UDPIX_RECEIVER}`);
      const client = new UdpImageClient(udpClientOptions(config), receiver);
      await client.connect();
      return client;
    },
  };
}

@Module({})
export class AppModule {
  static forRoot(config: SenderConfig, options: SenderModuleOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [MetricsModule.forRoot({ prefix: 'udpix_sender_' })],
      controllers: [createHealthController({ service: 'sender' }), ImagesController, TransfersController],
      providers: [
        { provide: SenderConfig, useValue: config },
        imageClientProvider(config, options),
        SenderMetrics,
        TransfersService,
        ImagesService,
        {
          provide: HEALTH_CHECKS,
          inject: [TransfersService],
          useFactory: (transfers: TransfersService): HealthCheck[] => [
            { name: 'accepting', check: () => (transfers.isAccepting() ? { ok: true } : { ok: false, detail: 'draining: shutting down' }) },
          ],
        },
      ],
    };
  }
}
