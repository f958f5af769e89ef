// A proxy on 127.0.0.1 in front of a real relay that tells clients more
// generous limits than the relay enforces (it rewrites `ready`). Clients then
// exceed the real limits and get real refusals from the real relay: the test
// of what a client does with a refusal for load, without any hook in the relay.
import { WebSocketServer, WebSocket } from 'ws';
import type { AddressInfo } from 'node:net';
import { decodeRelayMessage, encodeRelayMessage } from '../../core/sync/protocol-codec.js';

export interface LimitsProxy {
  readonly url: string;
  /** Frames the relay sent that were errors, by code. */
  readonly refusals: Map<string, number>;
  target: string;
  close(): Promise<void>;
}

export async function startLimitsProxy(claimed: Readonly<Record<string, number>>): Promise<LimitsProxy> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((r) => server.once('listening', () => r()));
  const refusals = new Map<string, number>();
  const proxy: LimitsProxy = {
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}`,
    refusals,
    target: '',
    close: () =>
      new Promise<void>((r) => {
        for (const c of server.clients) c.terminate();
        server.close(() => r());
      }),
  };
  server.on('connection', (client) => {
    const upstream = new WebSocket(proxy.target);
    const early: Buffer[] = [];
    upstream.on('open', () => {
      for (const f of early.splice(0)) upstream.send(f);
    });
    client.on('message', (data: Buffer) => {
      if (upstream.readyState === WebSocket.OPEN) upstream.send(data);
      else early.push(data);
    });
    upstream.on('message', (data: Buffer) => {
      const msg = decodeRelayMessage(new Uint8Array(data));
      if (msg.ok && msg.value.type === 'error') refusals.set(msg.value.code, (refusals.get(msg.value.code) ?? 0) + 1);
      if (msg.ok && msg.value.type === 'ready')
        client.send(encodeRelayMessage({ ...msg.value, limits: { ...msg.value.limits, ...claimed } }));
      else client.send(data);
    });
    const end = () => {
      client.close();
      upstream.close();
    };
    client.on('close', end);
    upstream.on('close', end);
    client.on('error', end);
    upstream.on('error', end);
  });
  return proxy;
}
