// A local stand-in for FCM, for Hermes tests that check which offline pushes the server sends
// (`// @push-standin` in a test file): an HTTP/1.1 token endpoint (the service account's
// `token_uri`; it checks the RS256 assertion against the generated key) and an HTTP/2
// cleartext endpoint for `POST /v1/projects/{project}/messages:send` (the server speaks HTTP/2
// with prior knowledge to `http://` endpoints), which records what it accepts. The key is
// generated at start; nothing is read from fixtures.
import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { createServer as createHttp1 } from 'node:http';
import { createServer as createHttp2 } from 'node:http2';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const PROJECT = 'rcim-test';
const CLIENT_EMAIL = 'push@rcim-test.iam.gserviceaccount.com';

function listen(server) {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address())));
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Whether a JWT `assertion` is signed (RS256) by `publicKey`. */
function assertionValid(assertion, publicKey) {
  const parts = String(assertion).split('.');
  if (parts.length !== 3) return false;
  try {
    const signature = Buffer.from(parts[2].replace(/=+$/, ''), 'base64url');
    return verify('RSA-SHA256', Buffer.from(`${parts[0]}.${parts[1]}`), publicKey, signature);
  } catch {
    return false;
  }
}

/**
 * Starts the stand-in and writes its push configuration under `dir`. Resolves
 * { configFile, received(), stop() }; `received()` lists { token, body } in arrival order.
 */
export async function startPushStandIn(dir) {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const verifyKey = createPublicKey(publicKey);
  const issued = new Set();
  const received = [];

  const tokens = createHttp1(async (req, res) => {
    const form = new URLSearchParams(await readBody(req));
    const ok =
      req.url === '/token' &&
      form.get('grant_type') === 'urn:ietf:params:oauth:grant-type:jwt-bearer' &&
      assertionValid(form.get('assertion'), verifyKey);
    res.setHeader('content-type', 'application/json');
    if (!ok) {
      res.statusCode = 400;
      res.end(JSON.stringify({ error: 'invalid_grant', error_description: 'bad assertion' }));
      return;
    }
    const token = `ya29.stand-in-${issued.size + 1}`;
    issued.add(token);
    res.end(JSON.stringify({ access_token: token, expires_in: 3600, token_type: 'Bearer' }));
  });
  const tokenAddr = await listen(tokens);

  const fcm = createHttp2();
  const sessions = new Set();
  fcm.on('session', (session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
  });
  fcm.on('request', async (req, res) => {
    const text = await readBody(req);
    const bearer = String(req.headers.authorization || '').replace(/^Bearer /, '');
    res.setHeader('content-type', 'application/json');
    if (!issued.has(bearer)) {
      res.statusCode = 401;
      res.end(JSON.stringify({ error: { code: 401, status: 'UNAUTHENTICATED', message: '' } }));
      return;
    }
    if (req.method !== 'POST' || req.url !== `/v1/projects/${PROJECT}/messages:send`) {
      res.statusCode = 404;
      res.end(JSON.stringify({ error: { code: 404, status: 'NOT_FOUND', message: req.url } }));
      return;
    }
    let body = null;
    try {
      body = JSON.parse(text);
    } catch {
      // recorded as null
    }
    received.push({ token: body?.message?.token ?? '', body });
    res.end(JSON.stringify({ name: `projects/${PROJECT}/messages/${received.length}` }));
  });
  const fcmAddr = await listen(fcm);

  writeFileSync(
    join(dir, 'fcm-service-account.json'),
    JSON.stringify({
      type: 'service_account',
      project_id: PROJECT,
      private_key_id: 'rcim-test-key',
      private_key: privateKey,
      client_email: CLIENT_EMAIL,
      client_id: '1',
      token_uri: `http://127.0.0.1:${tokenAddr.port}/token`,
    })
  );
  const configFile = join(dir, 'push-config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      fcm: {
        serviceAccountFile: 'fcm-service-account.json',
        endpoint: `http://127.0.0.1:${fcmAddr.port}`,
      },
      retryBaseDelayMs: 100,
    })
  );
  return {
    configFile,
    received: () => received.map((r) => ({ ...r })),
    async stop() {
      // The server's clients keep their connections open: end them, then the listeners.
      tokens.closeAllConnections();
      for (const session of sessions) session.destroy();
      await new Promise((resolve) => tokens.close(resolve));
      await new Promise((resolve) => fcm.close(resolve));
    },
  };
}
