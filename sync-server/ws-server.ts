// The network side: an HTTP server with `/healthz`, `/readyz`, `/metrics` and a
// WebSocket endpoint (`ws`) whose binary frames go to a RelaySession. Frame size
// is capped by ws itself (maxPayload) before any byte is buffered beyond the
// limit [P12]; the upgrade itself is refused for a web page's Origin and beyond
// the per-IP connection limit [P29].
import { relayKeyFingerprint } from '../core/sync/served-log-signature.js';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket, type RawData } from 'ws';
import type { Relay } from './relay.js';
import type { AuthenticatedDevice } from './policy.js';
import type { RelayMetrics } from './metrics.js';

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

export interface RelayServerOptions {
  /** Open WebSocket connections one client address may hold (default unlimited). */
  readonly connectionsPerIp?: number;
  /** Behind a reverse proxy: the client address is the last X-Forwarded-For entry, which the proxy appends. */
  readonly trustProxy?: boolean;
  /** `/readyz`: true when the relay can serve (its database answers). */
  readonly ready?: () => Promise<boolean>;
  readonly metrics?: RelayMetrics;
}

/**
 * Which pages may open a WebSocket to the relay [P29]: the extension (a `chrome-extension://` origin)
 * and programs that send no Origin (Node clients, the relay's own tools). A web page always sends its
 * origin, so a page on any site cannot use a visitor's browser against the relay.
 */
export function originAllowed(origin: string | undefined): boolean {
  return origin === undefined || /^chrome-extension:\/\/[a-p]{32}$/.test(origin);
}

export function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = req.headers['x-forwarded-for'];
    const last = (Array.isArray(forwarded) ? forwarded.join(',') : (forwarded ?? '')).split(',').pop()?.trim();
    if (last !== undefined && last !== '') return last;
  }
  return req.socket.remoteAddress ?? 'onbekend';
}

export async function startRelayServer<D extends AuthenticatedDevice, A>(
  relay: Relay<D, A>,
  host: string,
  port: number,
  options: RelayServerOptions = {},
): Promise<RelayServer> {
  const perIp = new Map<string, number>();
  const http = createServer((req, res) => {
    if (req.url === '/readyz') {
      const check = options.ready ?? (() => Promise.resolve(true));
      void check()
        .catch(() => false)
        .then((ok) => {
          const ready = ok && !relay.isStopping;
          res.writeHead(ready ? 200 : 503, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ ready }));
        });
      return;
    }
    if (req.url === '/metrics' && options.metrics !== undefined) {
      void options.metrics.render().then(
        (body) => {
          res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
          res.end(body);
        },
        () => {
          res.writeHead(500);
          res.end();
        },
      );
      return;
    }
    if (req.url === '/healthz') {
      const body = JSON.stringify({ ok: !relay.isStopping, connections: relay.connectionCount });
      res.writeHead(relay.isStopping ? 503 : 200, { 'content-type': 'application/json' });
      res.end(body);
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('Kindkluis-relay: verbind via WebSocket.\n');
  });
  const limit = options.connectionsPerIp ?? Number.POSITIVE_INFINITY;
  const wss = new WebSocketServer({
    server: http,
    maxPayload: relay.limits.maxFrameBytes,
    perMessageDeflate: false,
    verifyClient: (info: { req: IncomingMessage }, done: (ok: boolean, code?: number, message?: string) => void) => {
      if (!originAllowed(info.req.headers.origin)) {
        options.metrics?.refuseUpgrade('origin');
        done(false, 403, 'Deze origin mag de relay niet gebruiken.');
      } else if ((perIp.get(clientAddress(info.req, options.trustProxy === true)) ?? 0) >= limit) {
        options.metrics?.refuseUpgrade('ip-limiet');
        done(false, 429, 'Te veel verbindingen vanaf dit adres.');
      } else done(true);
    },
  });

  wss.on('connection', (socket: WebSocket, req: IncomingMessage) => {
    // Counted here, not in verifyClient, so a handshake that fails later holds no place [P29].
    const ip = clientAddress(req, options.trustProxy === true);
    const held = perIp.get(ip) ?? 0;
    if (held >= limit) {
      options.metrics?.refuseUpgrade('ip-limiet');
      socket.close(1008, 'Te veel verbindingen vanaf dit adres.');
      return;
    }
    perIp.set(ip, held + 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const n = (perIp.get(ip) ?? 1) - 1;
      if (n <= 0) perIp.delete(ip);
      else perIp.set(ip, n);
    };
    socket.on('close', release);
    const session = relay.connect(
      {
        send: (frame) => {
          if (socket.readyState !== socket.OPEN) return;
          socket.send(frame, { binary: true });
          if (options.metrics !== undefined) options.metrics.framesSent++;
        },
        close: (code, reason) => socket.close(code, reason),
        bufferedAmount: () => socket.bufferedAmount,
        pause: () => socket.pause(),
        resume: () => socket.resume(),
      },
      ip,
    );
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
  // The fingerprint devices show beside a signed served log, for the operator to publish [P83].
  relay.log('info', 'listening', { host, port: addr.port, relayKey: await relayKeyFingerprint(relay.crypto, relay.identity.publicKey) });

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
