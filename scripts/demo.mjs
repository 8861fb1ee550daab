#!/usr/bin/env node
// Demo: starts a throw-away rcim-server, registers two users, and runs example/demo.ts in
// rcim-jshost (two engines chat and share a photo, then the conversation list and the
// transcript are printed).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeJpeg, scene } from './lib/fixtures.mjs';
import { hostEnv, runJsHost, startServer, tempDir } from './lib/rcim.mjs';

let server;
let code = 1;
try {
  server = await startServer({ appKey: 'rcim-demo-key', appSecret: 'rcim-demo-secret' });
  console.log(`rcim-server up, navigation at ${server.navi}`);
  const tokens = await server.registerUsers(['alice', 'bob']);
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
