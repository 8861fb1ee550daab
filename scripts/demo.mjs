#!/usr/bin/env node
// Demo: starts a throw-away rcim-server, mints tokens for two users with `rcim-server token`
// (as an operator would, no hand-signed HTTP), and runs example/demo.ts in rcim-jshost (two
// engines chat and share a photo, then the conversation list and the transcript are printed).
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeJpeg, scene } from './lib/fixtures.mjs';
import { hostEnv, requireBinaries, runJsHost, startServer, tempDir } from './lib/rcim.mjs';

/** `rcim-server token --user ID` with the server's app key and secret: the user's token. */
function mintToken(server, userId) {
  const { server: binary } = requireBinaries('server');
  const out = execFileSync(binary, ['token', '--user', userId], {
    env: { ...process.env, RCIM_APP_KEY: server.appKey, RCIM_APP_SECRET: server.appSecret },
    encoding: 'utf8',
  });
  return out.trim();
}

let server;
let code = 1;
try {
  server = await startServer({ appKey: 'rcim-demo-key', appSecret: 'rcim-demo-secret' });
  console.log(`rcim-server up, navigation at ${server.navi}`);
  const tokens = Object.fromEntries(['alice', 'bob'].map((id) => [id, mintToken(server, id)]));
  const dataDir = tempDir('rcim-demo-client-');
  // The photo alice shares: a 1600×1200 JPEG, as a camera roll would hold.
  const photo = join(dataDir, 'camera', 'photo.jpg');
  mkdirSync(join(dataDir, 'camera'), { recursive: true });
  writeFileSync(photo, encodeJpeg(1600, 1200, scene(1600, 1200, 7), 90));
  const result = await runJsHost(join('example', 'demo.ts'), {
    env: { ...hostEnv(server, tokens, dataDir), RCIM_DEMO_PHOTO: photo },
    timeoutSecs: Number(process.env.RCIM_DEMO_TIMEOUT || 60),
    inherit: true,
  });
  rmSync(dataDir, { recursive: true, force: true });
  code = result.code ?? 1;
  if (result.timedOut) console.error('demo timed out');
} catch (err) {
  console.error(`demo failed: ${err.message}`);
} finally {
  if (server) await server.stop();
}
process.exit(code);
