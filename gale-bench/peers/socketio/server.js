// The fan-out benchmark's peer (gale-bench/run-fanout): Gale's websocket chat demo written the way a
// Socket.IO user would, one room shared by several Node processes through @socket.io/redis-adapter.
//
//   node server.js --port N [--redis redis://127.0.0.1:6379]
//
// A client emits "message" {body}; the server gives it an id and an HTML rendering (escaped, as
// Gale's message.html does) and emits "message" {id, body, html} to every socket of every process.
// The adapter delivers to this process's sockets directly and PUBLISHes to Redis for the others
// (Gale's chat takes its own messages from the broker too). WebSocket transport only, no
// per-message deflate (the benchmark client offers none), pings every 5 minutes (the client
// answers them, but a run lasts about a minute). Listens on 127.0.0.1 only; prints
// "listening on 127.0.0.1:PORT" when ready.
'use strict';
const http = require('http');
const crypto = require('crypto');
const { Server } = require('socket.io');
const { createAdapter } = require('@socket.io/redis-adapter');
const { createClient } = require('redis');

function option(name, fallback) {
  const i = process.argv.indexOf('--' + name);
  return i > 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (s) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]);

async function main() {
  const port = Number(option('port', '8888'));
  const redisUrl = option('redis', null);
  const server = http.createServer((req, res) => { res.writeHead(404); res.end(); });
  const options = { transports: ['websocket'], perMessageDeflate: false, serveClient: false,
    pingInterval: 300000, pingTimeout: 60000 };
  if (redisUrl) {
    const pub = createClient({ url: redisUrl });
    const sub = pub.duplicate();
    pub.on('error', (e) => console.error('redis:', e.message));
    sub.on('error', (e) => console.error('redis:', e.message));
    await Promise.all([pub.connect(), sub.connect()]);
    options.adapter = createAdapter(pub, sub);
  }
  const io = new Server(server, options);
  io.on('connection', (socket) => {
    socket.on('message', (m) => {
      if (!m || typeof m.body !== 'string') {
        socket.disconnect(true);
        return;
      }
      const id = crypto.randomUUID();
      const html = '<div class="message" id="m' + id + '">' + escapeHtml(m.body) + '</div>';
      io.emit('message', { id, body: m.body, html });
    });
  });
  server.listen(port, '127.0.0.1', () => console.log('listening on 127.0.0.1:' + port));
  const stop = () => { io.close(); process.exit(0); };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((e) => { console.error(e); process.exit(1); });
