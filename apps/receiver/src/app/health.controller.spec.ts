import { Test } from '@nestjs/testing';
import { HealthController } from './health.controller';

describe('HealthController', () => {
  describe('health', () => {
    it('reports the receiver as up', async () => {
      const moduleRef = await Test.createTestingModule({ controllers: [HealthController] }).compile();
      expect(moduleRef.get(HealthController).health()).toEqual({ status: 'ok', service: 'receiver' });
    });
  });
});
