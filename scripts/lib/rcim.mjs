// Shared by scripts/hermes-tests.mjs and scripts/demo.mjs: locate the binaries, start a
// throw-away rcim-server, register users through its Server API, run scripts in rcim-jshost.
import { spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir, homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Paths of the two binaries (env RCIM_SERVER_BIN / RCIM_JSHOST_BIN win). */
export function binaries() {
  const target = process.env.CARGO_TARGET_DIR || join(homedir(), '.cache', 'rcim', 'target');
  return {
    server: process.env.RCIM_SERVER_BIN || join(target, 'debug', 'rcim-server'),
    jshost: process.env.RCIM_JSHOST_BIN || join(target, 'debug', 'rcim-jshost'),
  };
}

/** Throws a readable error when a binary is missing. */
export function requireBinaries(...names) {
  const bins = binaries();
  const missing = names.filter((n) => !existsSync(bins[n]));
  if (missing.length) {
    throw new Error(
      `missing ${missing.map((n) => `${n} binary (${bins[n]})`).join(' and ')}; ` +
        'build it with cargo or set RCIM_SERVER_BIN / RCIM_JSHOST_BIN'
    );
  }
  return bins;
}

/** A free TCP port on 127.0.0.1 (bind port 0, read it, close). */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolvePort(port));
    });
  });
}

export function tempDir(prefix) {
  return mkdtempSync(join(tmpdir(), prefix));
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * An HTTP(S) request (node:http / node:https rather than fetch: an HTTPS test server's CA is
 * trusted per request through `ca`). Resolves { status, ok, text }.
 */
export function httpCall(url, { method = 'GET', headers = {}, body, ca, timeoutMs = 10000 } = {}) {
  return new Promise((resolveCall, reject) => {
    const send = url.startsWith('https:') ? httpsRequest : httpRequest;
    const req = send(url, { method, headers, ca, timeout: timeoutMs }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        resolveCall({
          status,
          ok: status >= 200 && status < 300,
          text: Buffer.concat(chunks).toString('utf8'),
        });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${url}: timed out`)));
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

function tail(file, lines = 40) {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/**
 * Starts rcim-server on free ports with a fresh data dir and waits for its navigation
 * endpoint. Returns { navi, appKey, appSecret, dataDir, logFile, registerUser, stop, restart }.
 * With `tls` ({ certFile, keyFile, caPem }: scripts/lib/tls-certs.mjs) the server speaks
 * HTTPS and TLS on the gateway, `navi` is `https://…` and the result carries `caPem` for the
 * clients to trust.
 */
export async function startServer({
  appKey = 'rcim-test-key',
  appSecret = 'rcim-test-secret',
  startTimeoutMs = 30000,
  extraArgs = [],
  tls = null,
} = {}) {
  const { server } = requireBinaries('server');
  const dataDir = tempDir('rcim-server-');
  const logFile = join(dataDir, 'server.log');
  const gatewayPort = await freePort();
  const httpPort = await freePort();
  const args = [
    '--data-dir',
    dataDir,
    '--listen',
    `127.0.0.1:${gatewayPort}`,
    '--http',
    `127.0.0.1:${httpPort}`,
    '--app-key',
    appKey,
    '--app-secret',
    appSecret,
    ...(tls ? ['--tls-cert', tls.certFile, '--tls-key', tls.keyFile] : []),
    ...extraArgs,
  ];
  const ca = tls?.caPem;
  const log = createWriteStream(logFile);
  let child;
  let exited = null;
  const navi = `${tls ? 'https' : 'http'}://127.0.0.1:${httpPort}`;
  const naviUrl = `${navi}/navi.json?appKey=${encodeURIComponent(appKey)}`;

  /** Spawns the server (same ports and data dir every time) and waits for navigation. */
  async function launch() {
    exited = null;
    child = spawn(server, args, { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
    const self = child;
    self.on('exit', (code, signal) => {
      if (self === child) exited = { code, signal };
    });
    const deadline = Date.now() + startTimeoutMs;
    for (;;) {
      if (exited) {
        throw new Error(
          `rcim-server exited (${exited.code ?? exited.signal}) before answering navigation:\n` +
            tail(logFile)
        );
      }
      try {
        const res = await httpCall(naviUrl, { ca, timeoutMs: 2000 });
        if (res.ok) break;
      } catch {
        // not up yet
      }
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(
          `rcim-server did not answer ${naviUrl} within ${startTimeoutMs} ms:\n${tail(logFile)}`
        );
      }
      await sleep(100);
    }
  }

  /** Stops the running process (SIGTERM, then SIGKILL after 5 s). */
  async function halt() {
    if (!exited) {
      child.kill('SIGTERM');
      for (let i = 0; i < 50 && !exited; i++) await sleep(100);
      if (!exited) child.kill('SIGKILL');
      for (let i = 0; i < 50 && !exited; i++) await sleep(100);
    }
  }

  await launch();

  /**
   * Signed Server API call (App-Key / Nonce / Timestamp / Signature = sha1(secret+nonce+ts)).
   * `params` is an object or an array of [key, value] pairs (for repeatable keys such as
   * `userId`). Resolves the parsed body; throws unless its code is 200.
   */
  async function serverApi(path, params) {
    const { status, text, body } = await serverApiRaw(path, params);
    if (!body) throw new Error(`${path}: HTTP ${status} ${text.slice(0, 200)}`);
    if (body.code !== 200) throw new Error(`${path}: HTTP ${status} ${text.slice(0, 200)}`);
    return body;
  }

  /**
   * The same call, whatever it answers: resolves { status, text, body } (body: the parsed
   * JSON, or null when the answer is not JSON). For tests that check refusals.
   */
  async function serverApiRaw(path, params) {
    return signedPost(
      path,
      'application/x-www-form-urlencoded',
      new URLSearchParams(params).toString()
    );
  }

  /** `serverApiRaw` with a JSON body (`/message/ultragroup/publish.json` and the like). */
  async function serverApiJsonRaw(path, json) {
    return signedPost(path, 'application/json', JSON.stringify(json));
  }

  async function signedPost(path, contentType, payload) {
    // 122 random bits: the server refuses a nonce it has seen, and a suite makes thousands
    // of calls (a random number below 1e9 collided).
    const nonce = randomUUID();
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = createHash('sha1').update(appSecret + nonce + timestamp).digest('hex');
    const res = await httpCall(`${navi}${path}`, {
      method: 'POST',
      headers: {
        'App-Key': appKey,
        Nonce: nonce,
        Timestamp: timestamp,
        Signature: signature,
        'Content-Type': contentType,
        'Content-Length': Buffer.byteLength(payload),
      },
      body: payload,
      ca,
    });
    const text = res.text;
    let body = null;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: the caller reports the text
    }
    return { status: res.status, text, body };
  }

  async function registerUser(userId, name = userId) {
    const body = await serverApi('/user/getToken.json', { userId, name });
    if (typeof body.token !== 'string') {
      throw new Error(`getToken(${userId}): no token in ${JSON.stringify(body).slice(0, 200)}`);
    }
    return body.token;
  }

  /**
   * Creates a group through `/group/create.json` with `members` as its initial members.
   * Resolves { id, name, members }.
   */
  async function createGroup(groupId, groupName, members) {
    const params = members.map((m) => ['userId', m]);
    params.push(['groupId', groupId], ['groupName', groupName]);
    await serverApi('/group/create.json', params);
    return { id: groupId, name: groupName, members: [...members] };
  }

  /**
   * Publishes `count` private text messages `m0`, `m1`, ... from `fromUserId` to `toUserId`
   * through `/message/private/publish.json`, a few requests at a time.
   */
  async function publishTexts(fromUserId, toUserId, count, concurrency = 16) {
    let next = 0;
    async function worker() {
      while (next < count) {
        const i = next++;
        await serverApi('/message/private/publish.json', {
          fromUserId,
          toUserId,
          objectName: 'RC:TxtMsg',
          content: JSON.stringify({ content: `m${i}` }),
        });
      }
    }
    await Promise.all(Array.from({ length: concurrency }, worker));
  }

  /** Registers users; resolves { userId: token } in the given order. */
  async function registerUsers(userIds) {
    const tokens = {};
    for (const id of userIds) tokens[id] = await registerUser(id);
    return tokens;
  }

  async function stop({ keepData = false } = {}) {
    await halt();
    log.end();
    if (!keepData) rmSync(dataDir, { recursive: true, force: true });
  }

  /**
   * Restarts the server on the same ports and data dir (what it persisted survives; its
   * connections and in-memory state do not). Resolves once it answers navigation again.
   */
  async function restart() {
    await halt();
    await launch();
  }

  return {
    navi,
    caPem: ca ?? null,
    appKey,
    appSecret,
    dataDir,
    logFile,
    serverApi,
    serverApiRaw,
    serverApiJsonRaw,
    registerUser,
    registerUsers,
    createGroup,
    publishTexts,
    stop,
    restart,
  };
}

/**
 * Runs one script in rcim-jshost (cwd = repo root, so node_modules/.bin/esbuild is found).
 * `env` is added to the process environment. Resolves { code, signal, output, ms, timedOut }.
 * With `inherit`, output goes straight to this process's stdout/stderr; otherwise
 * `onStderrLine` (if given) sees each line the script writes to stderr as it comes.
 */
export function runJsHost(
  script,
  { env = {}, timeoutSecs = 60, inherit = false, onStderrLine = null } = {}
) {
  const { jshost } = requireBinaries('jshost');
  const started = Date.now();
  return new Promise((resolveRun) => {
    const child = spawn(jshost, ['--timeout', String(timeoutSecs), script], {
      cwd: repoRoot,
      env: { ...process.env, ...env },
      stdio: inherit ? ['ignore', 'inherit', 'inherit'] : ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    if (!inherit) {
      child.stdout.on('data', (d) => (output += d));
      let partial = '';
      child.stderr.on('data', (d) => {
        output += d;
        if (!onStderrLine) return;
        const lines = (partial + d).split('\n');
        partial = lines.pop();
        for (const line of lines) onStderrLine(line);
      });
    }
    let timedOut = false;
    // The host enforces --timeout itself; this is the backstop if it hangs.
    const guard = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, (timeoutSecs + 30) * 1000);
    child.on('error', (err) => {
      output += `\n${err.stack || err}`;
    });
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      resolveRun({ code, signal, output, ms: Date.now() - started, timedOut });
    });
  });
}

/**
 * Environment handed to a script: RCIM_NAVI, RCIM_APP_KEY, RCIM_TOKENS, RCIM_DATA_DIR,
 * RCIM_GROUPS (JSON array of { id, name, members }) when `groups` is given, and RCIM_TLS_CA
 * (the CA's PEM, for the engines' `tls.caCertificates`) when the server speaks TLS.
 */
export function hostEnv(server, tokens, dataDir, groups = []) {
  return {
    ...(server.caPem ? { RCIM_TLS_CA: server.caPem } : {}),
    RCIM_NAVI: server.navi,
    RCIM_APP_KEY: server.appKey,
    RCIM_TOKENS: JSON.stringify(tokens),
    RCIM_GROUPS: JSON.stringify(groups),
    RCIM_DATA_DIR: dataDir,
  };
}
