import { Module, type DynamicModule } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { MetricsModule, createHealthController } from '@udpix/service-kit';
import { ReceiverConfig } from '../config/receiver-config';
import { EventsController } from '../events/events.controller';
import { TransferEventStream } from '../events/transfer-event-stream';
import { ImageHandler } from '../images/image.handler';
import { ImagesController } from '../images/images.controller';
import { ImagesService } from '../images/images.service';
import { ReceiverMetrics } from '../metrics/receiver-metrics';
import { ReassemblyService } from '../reassembly/reassembly.service';
import { DrainService } from '../shutdown/drain.service';
import { healthChecksProvider, imageStoreProvider } from '../store/store.providers';
import { TransfersController } from '../transfers/transfers.controller';
import { RECEIVER_TRANSPORT, type ReceiverTransport } from '../transport/udp-transport';

export interface AppModuleOptions {
  config: ReceiverConfig;
  /** The UDP transport as the app sees it (tests pass a fake). */
  transport: ReceiverTransport;
}

export const HealthController = createHealthController({ service: 'receiver' });

@Module({})
export class AppModule {
  static forRoot({ config, transport }: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [EventEmitterModule.forRoot(), MetricsModule.forRoot({ prefix: 'udpix_receiver_' })],
      controllers: [HealthController, ImagesController, TransfersController, EventsController, ImageHandler],
      providers: [
        { provide: ReceiverConfig, useValue: config },
        { provide: RECEIVER_TRANSPORT, useValue: transport },
        imageStoreProvider,
        healthChecksProvider,
        ReassemblyService,
        ImagesService,
        TransferEventStream,
        ReceiverMetrics,
        DrainService,
      ],
    };
  }
}
