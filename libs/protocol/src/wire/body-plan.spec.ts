import { malformed } from './body-plan';

describe('body-plan', () => {
  describe('malformed', () => {
    it('builds a MALFORMED encode failure', () => {
      expect(malformed('why')).toEqual({ ok: false, error: 'MALFORMED', detail: 'why' });
    });
  });
});
