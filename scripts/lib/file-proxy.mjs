// A counting, throttling HTTP proxy in front of rcim-server's file service, for the Hermes
// media tests (directive `// @file-proxy: FAST_BYTES RATE`). The engines get its URL as their
// `fileServer`, so uploads (PUT /media/{id}) and downloads (GET /media/{id}/{name}, which the
// message's remote URL points at) pass through it:
// - every body (request or response) flows at full speed for its first FAST_BYTES bytes, then
//   at RATE bytes/s: small files are not slowed, big ones last long enough to be cancelled
//   midway;
// - every request is logged, when it ends, as one JSON line in `logFile`
//   {method, path, range, status, requestBytes, responseBytes, complete}, which the test reads
//   back (rcim-jshost's __rcimHostFs) to see e.g. that a resumed download asked only for the rest.
import { appendFileSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { Transform } from 'node:stream';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Passes `fast` bytes at once, then `rate` bytes/s; counts what went through. */
function throttle(fast, rate) {
  let seen = 0;
  const started = Date.now();
  const t = new Transform({
    async transform(chunk, _enc, done) {
      // Slice big chunks so the pace is smooth at the rate.
      const step = Math.max(1024, Math.floor(rate / 20));
      for (let off = 0; off < chunk.length; off += step) {
        const part = chunk.subarray(off, off + step);
        seen += part.length;
        t.count = seen;
        if (seen > fast) {
          const due = started + ((seen - fast) / rate) * 1000;
          const wait = due - Date.now();
          if (wait > 0) await sleep(wait);
        }
        this.push(part);
      }
      done();
    },
  });
  t.count = 0;
  return t;
}

/**
 * Starts the proxy towards `target` (e.g. http://127.0.0.1:8080). Resolves
 * { url, logFile, stop }.
 */
export async function startFileProxy(target, { fast, rate, logFile }) {
  const upstream = new URL(target);
  writeFileSync(logFile, '');
  const server = createServer((req, res) => {
    const entry = {
      method: req.method,
      path: req.url,
      range: req.headers.range ?? null,
      status: 0,
      requestBytes: 0,
      responseBytes: 0,
      complete: false,
    };
    let logged = false;
    const log = () => {
      if (logged) return;
      logged = true;
      appendFileSync(logFile, `${JSON.stringify(entry)}\n`);
    };
    const up = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
      },
      (upRes) => {
        entry.status = upRes.statusCode;
        res.writeHead(upRes.statusCode, upRes.headers);
        const down = throttle(fast, rate);
        upRes.pipe(down).pipe(res);
        res.on('finish', () => {
          entry.responseBytes = down.count;
          entry.complete = true;
          log();
        });
        res.on('close', () => {
          entry.responseBytes = down.count;
          log();
        });
      }
    );
    up.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
      log();
    });
    const body = throttle(fast, rate);
    body.on('end', () => (entry.requestBytes = body.count));
    req.on('close', () => {
      entry.requestBytes = body.count;
      // The client went away mid-upload: end the upstream request too.
      if (!req.complete) {
        up.destroy();
        log();
      }
    });
    req.pipe(body).pipe(up);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    logFile,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
