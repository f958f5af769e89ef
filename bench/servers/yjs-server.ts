// The plaintext comparison: @y/websocket-server's own connection handler (the
// server a team would otherwise pick), optionally with its LevelDB persistence
// (YPERSISTENCE is read by the package at import time, so the parent sets it
// in this child's environment).
import http from 'node:http';
import { WebSocketServer } from 'ws';
import { setupWSConnection } from '@y/websocket-server/utils';
import { failOverIpc, serveOverIpc } from './ipc.js';

const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
wss.on('connection', (socket, request) => setupWSConnection(socket, request));

const server = http.createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end('okay');
});
server.on('upgrade', (request, socket, head) => {
  wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
});
server.on('error', failOverIpc);
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address === null || typeof address === 'string') failOverIpc(new Error('unexpected address'));
  const persistence = process.env['YPERSISTENCE'] ? `LevelDB at ${process.env['YPERSISTENCE']}` : 'in memory';
  serveOverIpc(address.port, `@y/websocket-server 0.1.1, ${persistence}`, async () => {
    for (const client of wss.clients) client.terminate();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
});
