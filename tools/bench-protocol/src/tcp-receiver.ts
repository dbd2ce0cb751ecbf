/**
 * Worker side of the TCP baseline: accept one connection, read an 8-byte
 * length then that many bytes, hashing as they come, and answer with the
 * 32-byte SHA-256. This is what "plain TCP" costs for the same job the
 * protocol does (deliver the bytes and confirm the hash).
 */
import { createHash } from 'node:crypto';
import { createServer, type AddressInfo, type Server } from 'node:net';

export function listenTcpReceiver(onReady: (port: number) => void): Server {
  const server = createServer((socket) => {
    const hash = createHash('sha256');
    let header = Buffer.alloc(0);
    let expected = -1;
    let received = 0;
    socket.on('data', (chunk: Buffer) => {
      let body = chunk;
      if (expected < 0) {
        header = Buffer.concat([header, chunk]);
        if (header.length < 8) return;
        expected = Number(header.readBigUInt64BE(0));
        body = header.subarray(8);
      }
      hash.update(body);
      received += body.length;
      if (received >= expected) {
        socket.end(hash.digest());
        server.close();
      }
    });
    socket.on('error', () => socket.destroy());
  });
  server.listen(0, '127.0.0.1', () => onReady((server.address() as AddressInfo).port));
  return server;
}
