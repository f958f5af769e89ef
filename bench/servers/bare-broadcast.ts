// The physical baseline: a bare `ws` server that forwards every binary frame to
// every socket in the same room (the URL path), sender included, with no
// parsing, checks or storage. Nothing a relay does can be cheaper than this.
import { WebSocketServer, type WebSocket } from 'ws';
import { failOverIpc, serveOverIpc } from './ipc.js';

const rooms = new Map<string, Set<WebSocket>>();
const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });

wss.on('connection', (socket, request) => {
  const room = request.url ?? '/';
  let members = rooms.get(room);
  if (!members) {
    members = new Set();
    rooms.set(room, members);
  }
  members.add(socket);
  socket.on('message', (data, isBinary) => {
    for (const peer of members) peer.send(data, { binary: isBinary });
  });
  socket.on('close', () => members.delete(socket));
});

wss.on('listening', () => {
  const address = wss.address();
  if (address === null || typeof address === 'string') failOverIpc(new Error('unexpected address'));
  serveOverIpc(address.port, 'bare ws broadcast', () => new Promise((resolve) => wss.close(() => resolve())));
});
wss.on('error', failOverIpc);
