#!/usr/bin/env node
// Hermes integration suite: runs every tests/hermes/*.test.ts inside rcim-jshost (our
// TypeScript + the real JSI host object + the real engine) against a real rcim-server.
// Each file runs twice, each time in a fresh Hermes runtime with fresh users and a fresh
// data dir. Usage: node scripts/hermes-tests.mjs [name-filter ...] [--runs N] [--verbose]
//
// Over TLS: every second run of a file on the shared server (runtime 2, 4, ...) goes to a
// second shared server that speaks HTTPS and TLS on the gateway, with a certificate of a
// throw-away CA (scripts/lib/tls-certs.mjs, needs `openssl`); the engines trust that CA
// through the `tls` option (RCIM_TLS_CA). Files with their own server or a proxy (file or IM)
// run in plain TCP.
//
// With --cluster, the shared server is a cluster of two rcim-server nodes on one PostgreSQL
// schema and one NATS (RCIM_TEST_POSTGRES_URL, RCIM_TEST_NATS_URL: `scripts/services.sh`):
// the engines connect through node A's navigation, and every Server API call of the runner
// and of the tests (users, groups, publishes) goes through node B, so what a test sees
// crossed the shared database and the bus. Files that need a server of their own or a proxy
// are skipped in this mode; there is no TLS run.
//
// A test file may start with directives for the runner:
//   // @server-args: --heartbeat-secs 1   its own server, started with these extra arguments
//   // @offline-messages: 20000            texts m0..m19999 from the run's second user to its
//                                          first, published before the script starts
//   // @publish: RC:ImgMsg {"imageUri":…}   one message (object name, content JSON) from the
//                                          run's second user to its first through
//                                          /message/private/publish.json before the script
//                                          starts (repeatable; in the content `{{jpeg:WxH}}`
//                                          becomes the base64 of a WxH JPEG, `{{fileServer}}`
//                                          the server's HTTP base URL)
//   // @media-fixtures                     media files made for the run (scripts/lib/fixtures.mjs):
//                                          RCIM_FIXTURES = {name: {path, size, sha256, ...}}
//   // @im-proxy                          a proxy in front of navigation and the gateway
//                                          (scripts/lib/im-proxy.mjs): RCIM_IM_PROXY_NAVI is
//                                          its navigation URL; the test's Server API call of
//                                          path "@im-proxy/cut" with {ms} drops every
//                                          connection through it and refuses new ones for ms
//
// A test with its own server (`@server-args`) may restart it: the Server API call of path
// "@server/restart" stops the server and starts it again on the same ports and data dir
// (answered once it serves navigation again).
//
// Any test may call the Server API while it runs (tests/hermes/server-api.ts): it writes a
// request line to stderr, the runner makes the signed call against the test's server and
// writes the answer to <RCIM_DATA_DIR>/server-api/<id>.json, which the test reads.
//
//   // @push-standin                    an FCM stand-in (scripts/lib/push-standin.mjs) and the
//                                          test's own server configured to push to it
//                                          (`--push-config`); the Server API call of path
//                                          "@push/received" answers { code: 200, pushes: [{token,
//                                          body}] }, what it accepted so far
//
// A Server API request line may carry `json` (a JSON body) instead of `params` (a form), for
// the endpoints that take JSON (`/message/ultragroup/publish.json`).
//
//   // @file-proxy: 1000000 4000000        a proxy in front of the file service
//                                          (scripts/lib/file-proxy.mjs: bodies at full speed for
//                                          1 MB, then 4 MB/s; a JSON line per request):
//                                          RCIM_FILE_SERVER, RCIM_FILE_PROXY_LOG
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeJpeg, makeMediaFixtures, scene } from './lib/fixtures.mjs';
import { startFileProxy } from './lib/file-proxy.mjs';
import { startImProxy } from './lib/im-proxy.mjs';
import { startPushStandIn } from './lib/push-standin.mjs';
import { makeTestCerts } from './lib/tls-certs.mjs';
import {
  hostEnv,
  repoRoot,
  requireBinaries,
  runJsHost,
  startServer,
  tempDir,
} from './lib/rcim.mjs';

const argv = process.argv.slice(2);
let runs = 2;
let verbose = !!process.env.RCIM_VERBOSE;
let cluster = false;
const filters = [];
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--runs') runs = Number(argv[++i]);
  else if (argv[i] === '--cluster') cluster = true;
  else if (argv[i] === '--verbose' || argv[i] === '-v') verbose = true;
  else filters.push(argv[i]);
}
const timeoutSecs = Number(process.env.RCIM_TEST_TIMEOUT || 60);
const USERS_PER_RUN = 4;

const dir = join(repoRoot, 'tests', 'hermes');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.test.ts'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();

let passed = 0;
let failed = 0;
let skipped = 0;

/** The runner directives at the top of a test file. */
function directives(file) {
  const text = readFileSync(join(dir, file), 'utf8');
  const value = (name) => text.match(new RegExp(`^// @${name}: *(.*)$`, 'm'))?.[1].trim();
  const args = value('server-args');
  const proxy = value('file-proxy')?.split(/\s+/).map(Number);
  const publish = [...text.matchAll(/^\/\/ @publish: *(\S+) +(.*)$/gm)].map((m) => ({
    objectName: m[1],
    content: m[2].trim(),
  }));
  return {
    serverArgs: args ? args.split(/\s+/) : null,
    offlineMessages: Number(value('offline-messages') ?? 0),
    publish,
    mediaFixtures: /^\/\/ @media-fixtures\b/m.test(text),
    imProxy: /^\/\/ @im-proxy\b/m.test(text),
    pushStandIn: /^\/\/ @push-standin\b/m.test(text),
    fileProxy: proxy ? { fast: proxy[0], rate: proxy[1] } : null,
  };
}

/** A publish directive's content with its placeholders replaced (see the header). */
function expandContent(content, server) {
  return content
    .replace(/\{\{jpeg:(\d+)x(\d+)\}\}/g, (_, w, h) =>
      encodeJpeg(Number(w), Number(h), scene(Number(w), Number(h), 9), 70).toString('base64')
    )
    .replaceAll('{{fileServer}}', server.navi);
}

/**
 * What a run needs besides users and a group: fixtures, the file proxy. Returns { env, stop }
 * (stop removes the fixtures and ends the proxy).
 */
async function runExtras(wanted, server, dataDir) {
  const env = {};
  const cleanups = [];
  if (wanted.mediaFixtures) {
    const dir = tempDir('rcim-fixtures-');
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    env.RCIM_FIXTURES = JSON.stringify(makeMediaFixtures(dir));
  }
  if (wanted.fileProxy) {
    const proxy = await startFileProxy(server.navi, {
      ...wanted.fileProxy,
      logFile: join(dataDir, 'file-proxy.jsonl'),
    });
    cleanups.push(() => proxy.stop());
    env.RCIM_FILE_SERVER = proxy.url;
    env.RCIM_FILE_PROXY_LOG = proxy.logFile;
  }
  let imProxy = null;
  if (wanted.imProxy) {
    imProxy = await startImProxy(server.navi);
    cleanups.push(() => imProxy.stop());
    env.RCIM_IM_PROXY_NAVI = imProxy.navi;
  }
  return {
    env,
    imProxy,
    async stop() {
      for (const c of cleanups) await c();
    },
  };
}

/** Marks a Server API request line of a test (tests/hermes/server-api.ts). */
const SERVER_API_MARK = '@@rcim-server-api ';

/**
 * Answers the Server API requests a test writes to stderr: makes the call against `server` and
 * writes { status, body } (or { error }) to <dataDir>/server-api/<id>.json, atomically and
 * ASCII-only (the test decodes bytes as characters).
 */
function serverApiRelay(server, dataDir, imProxy, ownServer, push) {
  const dir = join(dataDir, 'server-api');
  mkdirSync(dir, { recursive: true });
  return (line) => {
    const at = line.indexOf(SERVER_API_MARK);
    if (at < 0) return;
    let request;
    try {
      request = JSON.parse(line.slice(at + SERVER_API_MARK.length));
    } catch {
      return;
    }
    const answer = (value) => {
      const ascii = JSON.stringify(value).replace(
        /[\u0080-\uffff]/g,
        (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`
      );
      const file = join(dir, `${request.id}.json`);
      writeFileSync(`${file}.tmp`, ascii);
      renameSync(`${file}.tmp`, file);
    };
    if (request.path === '@im-proxy/cut') {
      const ms = Number(new Map(request.params).get('ms') ?? 0);
      if (imProxy) imProxy.cut(ms);
      answer(imProxy ? { status: 200, body: { code: 200 } } : { error: 'no // @im-proxy' });
      return;
    }
    if (request.path === '@push/received') {
      answer(
        push
          ? { status: 200, body: { code: 200, pushes: push.received() } }
          : { error: 'no // @push-standin' }
      );
      return;
    }
    if (request.path === '@server/restart') {
      if (!ownServer) {
        answer({ error: 'restarting needs the own server of the test (// @server-args)' });
        return;
      }
      ownServer
        .restart()
        .then(() => answer({ status: 200, body: { code: 200 } }))
        .catch((err) => answer({ error: String(err && err.message ? err.message : err) }));
      return;
    }
    const call =
      request.json !== undefined
        ? server.serverApiJsonRaw(request.path, request.json)
        : server.serverApiRaw(request.path, request.params);
    call
      .then(({ status, body, text }) => answer({ status, body, text: body ? undefined : text }))
      .catch((err) => answer({ error: String(err && err.message ? err.message : err) }));
  };
}

/**
 * Two nodes on a fresh schema of the test PostgreSQL and the test NATS, seen as one server:
 * navigation (and so the engines) on node A, the Server API on node B (see the header).
 */
async function startCluster() {
  const pg = process.env.RCIM_TEST_POSTGRES_URL;
  const nats = process.env.RCIM_TEST_NATS_URL;
  if (!pg || !nats) {
    throw new Error(
      '--cluster needs psql, RCIM_TEST_POSTGRES_URL and RCIM_TEST_NATS_URL: run `bash scripts/setup.sh`, `bash scripts/services.sh start` and `eval "$(bash scripts/services.sh env)"`'
    );
  }
  const schema = `hermes_${Date.now().toString(36)}`;
  execFileSync('psql', [pg, '-q', '-c', `CREATE SCHEMA ${schema}`]);
  const store = `${pg}${pg.includes('?') ? '&' : '?'}options=-c%20search_path%3D${schema}`;
  // One media directory for both nodes, as a shared file system would be.
  const media = tempDir('rcim-media-');
  const extraArgs = [
    '--store',
    store,
    '--bus',
    nats,
    '--cluster-name',
    schema,
    '--media-dir',
    media,
  ];
  const dropAll = () => {
    execFileSync('psql', [pg, '-q', '-c', `DROP SCHEMA IF EXISTS ${schema} CASCADE`]);
    rmSync(media, { recursive: true, force: true });
  };
  let a;
  let b;
  try {
    a = await startServer({ extraArgs });
    b = await startServer({ extraArgs });
  } catch (err) {
    await a?.stop();
    dropAll();
    throw err;
  }
  return {
    ...a,
    logFile: `${a.logFile} ${b.logFile}`,
    serverApi: b.serverApi,
    serverApiRaw: b.serverApiRaw,
    serverApiJsonRaw: b.serverApiJsonRaw,
    registerUser: b.registerUser,
    registerUsers: b.registerUsers,
    createGroup: b.createGroup,
    publishTexts: b.publishTexts,
    async stop(options) {
      try {
        await a.stop(options);
      } finally {
        await b.stop(options);
        if (!options?.keepData) dropAll();
      }
    },
  };
}

function indent(text) {
  return text
    .trimEnd()
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}

async function main() {
  if (files.length === 0) {
    console.log('no tests/hermes/*.test.ts matched');
    return;
  }
  let server;
  let tlsServer;
  const certDir = tempDir('rcim-certs-');
  try {
    requireBinaries('server', 'jshost');
    if (cluster) {
      server = await startCluster();
    } else {
      server = await startServer();
      tlsServer = await startServer({ tls: makeTestCerts(certDir) });
    }
  } catch (err) {
    console.log(`FAIL setup: ${err.message}`);
    failed += files.length * runs;
    await server?.stop();
    rmSync(certDir, { recursive: true, force: true });
    return;
  }
  const stamp = Date.now().toString(36);
  try {
    for (const [fi, file] of files.entries()) {
      const wanted = directives(file);
      if (
        cluster &&
        (wanted.serverArgs || wanted.pushStandIn || wanted.fileProxy || wanted.imProxy)
      ) {
        skipped++;
        continue;
      }
      let own = null;
      let push = null;
      if (wanted.serverArgs || wanted.pushStandIn) {
        try {
          const extraArgs = [...(wanted.serverArgs ?? [])];
          if (wanted.pushStandIn) {
            const pushDir = tempDir('rcim-push-');
            push = await startPushStandIn(pushDir);
            const stopPush = push.stop;
            push.stop = async () => {
              await stopPush();
              rmSync(pushDir, { recursive: true, force: true });
            };
            extraArgs.push('--push-config', push.configFile);
          }
          own = await startServer({ extraArgs });
        } catch (err) {
          console.log(`FAIL ${file}: cannot start its server: ${err.message}`);
          await push?.stop();
          failed += runs;
          continue;
        }
      }
      for (let run = 1; run <= runs; run++) {
        // The proxies speak plain HTTP and TCP to the server: their files stay on plain TCP.
        const overTls = !cluster && !own && !wanted.fileProxy && !wanted.imProxy && run % 2 === 0;
        const fileServer = own ?? (overTls ? tlsServer : server);
        const name = `${file} [runtime ${run}${overTls ? ', TLS' : ''}]`;
        const dataDir = tempDir('rcim-client-');
        let result;
        let extras = null;
        try {
          const ids = Array.from(
            { length: USERS_PER_RUN },
            (_, u) => `t${stamp}f${fi}r${run}u${u}`
          );
          const tokens = await fileServer.registerUsers(ids);
          if (wanted.offlineMessages > 0) {
            await fileServer.publishTexts(ids[1], ids[0], wanted.offlineMessages);
          }
          for (const { objectName, content } of wanted.publish) {
            await fileServer.serverApi('/message/private/publish.json', {
              fromUserId: ids[1],
              toUserId: ids[0],
              objectName,
              content: expandContent(content, fileServer),
            });
          }
          extras = await runExtras(wanted, fileServer, dataDir);
          // One group per run: the first three users (tests that need none ignore it).
          const group = await fileServer.createGroup(
            `g${stamp}f${fi}r${run}`,
            `group ${fi}.${run}`,
            ids.slice(0, 3)
          );
          result = await runJsHost(join('tests', 'hermes', file), {
            env: { ...hostEnv(fileServer, tokens, dataDir, [group]), ...extras.env },
            timeoutSecs,
            onStderrLine: serverApiRelay(fileServer, dataDir, extras.imProxy, own, push),
          });
        } catch (err) {
          result = { code: null, output: String(err.stack || err), ms: 0 };
        } finally {
          await extras?.stop();
        }
        const ok = result.code === 0 && !result.timedOut;
        const secs = (result.ms / 1000).toFixed(1);
        if (ok) {
          passed++;
          console.log(`PASS ${name} (${secs}s)`);
          if (verbose && result.output.trim()) console.log(indent(result.output));
          rmSync(dataDir, { recursive: true, force: true });
        } else {
          failed++;
          const why = result.timedOut
            ? 'timed out'
            : `exit ${result.code ?? result.signal ?? 'error'}`;
          console.log(`FAIL ${name} (${secs}s, ${why}; client data kept in ${dataDir})`);
          if (result.output.trim()) console.log(indent(result.output));
        }
      }
      if (own) {
        if (failed > 0) console.log(`server log (${file}): ${own.logFile}`);
        await own.stop({ keepData: failed > 0 });
      }
      await push?.stop();
    }
  } finally {
    const keep = failed > 0;
    if (keep) console.log(`server logs: ${server.logFile} ${tlsServer?.logFile ?? ''}`);
    await server.stop({ keepData: keep });
    await tlsServer?.stop({ keepData: keep });
    rmSync(certDir, { recursive: true, force: true });
  }
}

await main();
console.log(
  `${passed} passed, ${failed} failed${cluster ? `, ${skipped} files skipped (own server or proxy)` : ''}`
);
process.exit(failed > 0 ? 1 : 0);
