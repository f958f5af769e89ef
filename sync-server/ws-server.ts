// The network side: an HTTP server with `/healthz` and a WebSocket endpoint
// (`ws`) whose binary frames go to a RelaySession. Frame size is capped by ws
// itself (maxPayload) before any byte is buffered beyond the limit [P12].
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket, type RawData } from 'ws';
import type { Relay } from './relay.js';
import type { AuthenticatedDevice } from './policy.js';

export interface RelayServer {
  readonly port: number;
  readonly host: string;
  readonly http: Server;
  /** Graceful: stop accepting, finish in-flight appends, close sessions, close the socket. */
  close(): Promise<void>;
}

const toBytes = (data: RawData): Uint8Array => {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
};

export async function startRelayServer<D extends AuthenticatedDevice, A>(relay: Relay<D, A>, host: string, port: number): Promise<RelayServer> {
  const http = createServer((req, res) => {
    if (req.url === '/healthz') {
      const body = JSON.stringify({ ok: !relay.isStopping, connections: relay.connectionCount });
      res.writeHead(relay.isStopping ? 503 : 200, { 'content-type': 'application/json' });
      res.end(body);
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('Kindkluis-relay: verbind via WebSocket.\n');
  });
  const wss = new WebSocketServer({ server: http, maxPayload: relay.limits.maxFrameBytes, perMessageDeflate: false });

  wss.on('connection', (socket: WebSocket) => {
    const session = relay.connect({
      send: (frame) => {
        if (socket.readyState === socket.OPEN) socket.send(frame, { binary: true });
      },
      close: (code, reason) => socket.close(code, reason),
      bufferedAmount: () => socket.bufferedAmount,
      pause: () => socket.pause(),
      resume: () => socket.resume(),
    });
    socket.on('message', (data, isBinary) => {
      if (!isBinary) {
        session.fail({ code: 'frame-ongeldig', fatal: true });
        return;
      }
      void session.receive(toBytes(data));
    });
    socket.on('close', () => session.closed());
    // ws reports oversized frames and protocol violations here and closes the socket itself.
    socket.on('error', () => session.closed());
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(port, host, () => resolve());
  });
  const addr = http.address() as AddressInfo;
  relay.log('info', 'listening', { host, port: addr.port });

  return {
    port: addr.port,
    host,
    http,
    async close() {
      await relay.shutdown();
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      await new Promise<void>((r) => http.close(() => r()));
    },
  };
}
