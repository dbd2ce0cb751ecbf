import type { Provider } from '@nestjs/common';
import type { HealthCheck } from '@udpix/service-kit';
import { HEALTH_CHECKS } from '@udpix/service-kit';
import { ReceiverConfig } from '../config/receiver-config';
import { RECEIVER_TRANSPORT, type ReceiverTransport } from '../transport/udp-transport';
import { FsImageStore } from './fs-image-store';
import { IMAGE_STORE, type ImageStore } from './image-store';

/** The filesystem store, initialised (index loaded, crash leftovers removed) before the app starts. */
export const imageStoreProvider: Provider = {
  provide: IMAGE_STORE,
  inject: [ReceiverConfig],
  useFactory: async (config: ReceiverConfig): Promise<ImageStore> => {
    const store = new FsImageStore(config.UDPIX_DATA_DIR);
    await store.init();
    return store;
  },
};

/** /health: the data directory is writable and the UDP socket is bound. */
export const healthChecksProvider: Provider = {
  provide: HEALTH_CHECKS,
  inject: [IMAGE_STORE, RECEIVER_TRANSPORT],
  useFactory: (store: ImageStore, transport: ReceiverTransport): HealthCheck[] => [
    {
      name: 'store',
      check: async () => {
        const problem = await store.check();
        return problem === undefined ? { ok: true } : { ok: false, detail: problem };
      },
    },
    {
      name: 'udp',
      check: () => {
        const address = transport.address();
        return address === undefined ? { ok: false, detail: 'not listening' } : { ok: true, detail: `${address.address}:${address.port}` };
      },
    },
  ],
};
