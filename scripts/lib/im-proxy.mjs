// A proxy in front of rcim-server's navigation and client gateway, for Hermes tests that need
// a connection that drops while the device still has a network (directive `// @im-proxy`).
// Its navigation answers like the server's but names the proxy's own TCP port as the gateway;
// every client connection is piped to the real gateway. `cut(ms)` closes every piped
// connection and, for `ms` milliseconds, closes new ones as soon as they arrive (a server
// that went away): the engines fall into their reconnect schedule.
import { createServer as createHttpServer } from 'node:http';
import { connect, createServer as createTcpServer } from 'node:net';

/** Starts the proxy for the server at `navi` (http://host:port); resolves { navi, cut, stop }. */
export async function startImProxy(navi) {
  const sockets = new Set();
  let cutUntil = 0;
  let gateway = null; // { host, port } of the real gateway, learnt from its navigation

  const tcp = createTcpServer((client) => {
    if (Date.now() < cutUntil || !gateway) {
      client.destroy();
      return;
    }
    const upstream = connect(gateway.port, gateway.host);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise((resolve) => tcp.listen(0, '127.0.0.1', resolve));
  const tcpPort = tcp.address().port;

  const http = createHttpServer(async (req, res) => {
    try {
      const upstream = await fetch(`${navi}${req.url}`, {
        method: req.method === 'POST' ? 'POST' : 'GET',
        headers: { 'app-key': req.headers['app-key'] ?? '' },
        signal: AbortSignal.timeout(5000),
      });
      const text = await upstream.text();
      let body = text;
      try {
        const json = JSON.parse(text);
        if (typeof json.server === 'string') {
          const [host, port] = json.server.split(':');
          gateway = { host, port: Number(port) };
          json.server = `127.0.0.1:${tcpPort}`;
          json.servers = [json.server];
        }
        body = JSON.stringify(json);
      } catch {
        // not JSON: passed on as it is
      }
      res.writeHead(upstream.status, { 'content-type': 'application/json' });
      res.end(body);
    } catch (err) {
      res.writeHead(502);
      res.end(String(err));
    }
  });
  await new Promise((resolve) => http.listen(0, '127.0.0.1', resolve));

  return {
    navi: `http://127.0.0.1:${http.address().port}`,
    /** Drops every connection and refuses new ones for `ms` milliseconds. */
    cut(ms) {
      cutUntil = Date.now() + ms;
      for (const s of sockets) s.destroy();
    },
    async stop() {
      for (const s of sockets) s.destroy();
      await Promise.all([
        new Promise((resolve) => tcp.close(resolve)),
        new Promise((resolve) => http.close(resolve)),
      ]);
    },
  };
}
