import { ScriptedEndpoint, sequenced, sequenceIndex } from './scripted-endpoint';

describe('ScriptedEndpoint', () => {
  describe('sendAt / pollTransmit / pollTimeout', () => {
    it('releases datagrams at their time, in time order', () => {
      const ep = new ScriptedEndpoint();
      ep.sendAt('x', new Uint8Array([2]), 20);
      ep.sendAt('x', [new Uint8Array([1]), new Uint8Array([1])], 10);
      expect(ep.pollTimeout()).toBe(10);
      expect(ep.pollTransmit(5)).toBeUndefined();
      expect(ep.pollTransmit(10)).toEqual({ to: 'x', datagram: [new Uint8Array([1]), new Uint8Array([1])], length: 2 });
      expect(ep.pollTimeout()).toBe(20);
      expect(ep.pollTransmit(30)?.length).toBe(1);
      expect(ep.pollTimeout()).toBeUndefined();
    });
  });

  describe('handleDatagram', () => {
    it('records, emits an event, and echoes when asked', () => {
      const ep = new ScriptedEndpoint({ echo: true });
      ep.handleDatagram('y', new Uint8Array([5]), 3);
      expect(ep.arrivals).toEqual([{ from: 'y', bytes: new Uint8Array([5]), at: 3 }]);
      expect(ep.pollEvent()).toEqual({ type: 'received', from: 'y', at: 3, length: 1 });
      expect(ep.pollEvent()).toBeUndefined();
      expect(ep.pollTransmit(3)).toEqual({ to: 'y', datagram: [new Uint8Array([5])], length: 1 });
    });

    it('replies with what an echo function returns', () => {
      const ep = new ScriptedEndpoint({ echo: (a) => (a.bytes[0] === 1 ? new Uint8Array([9]) : undefined), events: false });
      ep.handleDatagram('y', new Uint8Array([1]), 0);
      ep.handleDatagram('y', new Uint8Array([2]), 0);
      expect(ep.pollTransmit(0)?.datagram).toEqual([new Uint8Array([9])]);
      expect(ep.pollTransmit(0)).toBeUndefined();
      expect(ep.pollEvent()).toBeUndefined();
    });
  });

  it('counts timeouts', () => {
    const ep = new ScriptedEndpoint();
    ep.handleTimeout();
    expect(ep.timeouts).toBe(1);
  });

  describe('sendSequence', () => {
    it('numbers datagrams so arrival order can be read back', () => {
      const ep = new ScriptedEndpoint();
      ep.sendSequence('x', 3, 16, 100, 10);
      expect(ep.pollTimeout()).toBe(100);
      const out = [ep.pollTransmit(200), ep.pollTransmit(200), ep.pollTransmit(200)];
      expect(out.map((t) => sequenceIndex(t?.datagram[0] as Uint8Array))).toEqual([0, 1, 2]);
      ep.handleDatagram('x', sequenced(2, 16), 0);
      ep.handleDatagram('x', sequenced(1, 16).subarray(0), 0);
      expect(ep.arrivalIndices()).toEqual([2, 1]);
    });

    it('sequenced keeps at least the index', () => {
      expect(sequenced(258, 1)).toEqual(new Uint8Array([0, 0, 1, 2]));
    });
  });
});
