/**
 * Helpers of the media integration tests: the runner's fixtures (`// @media-fixtures`), the
 * host's read-only file helpers (`__rcimHostFs` of rcim-jshost), image header checks, the
 * runner's file-proxy log (`// @file-proxy`), and media calls turned into recorded outcomes.
 */
import { type RCIMIWEngine, type RCIMIWMediaMessage, type RCIMIWMessage } from 'react-native-rcim';
import { PRIVATE, assert, assertEqual, fail, paceSend, viaCallback, waitFor } from './support';

// ---- codes of the issue 7 contract (ISSUE7.md "Codes") ----------------------------------------

export const Codes = {
  PARAM_ERROR: 1,
  /** Upload failed (message FAILED, local path kept). */
  FILE_UPLOAD_FAILED: 34011,
  SIGHT_DURATION_LIMIT: 34002,
  GIF_SIZE_LIMIT: 34003,
  EMPTY_FILE: 34018,
  NOT_MEDIA_MESSAGE: 34223,
  INVALID_LOCAL_PATH: 34234,
  NO_MEDIA_URL: 34235,
  /** Download: the file service answered 404 (OPERATION_MEDIA_NOT_FOUND). */
  MEDIA_NOT_FOUND: -3,
  FILE_SIZE_LIMIT: 26106,
} as const;

/** A create*Message result that must be a message (the engine resolves a code on refusal). */
export function created<M extends RCIMIWMessage>(value: M | number, what: string): M {
  assert(
    value !== null && typeof value === 'object',
    `${what}: create*Message resolved ${JSON.stringify(value)} instead of a message`
  );
  return value;
}

// ---- fixtures and host files ------------------------------------------------------------------

export interface Fixture {
  path: string;
  size: number;
  sha256: string;
  width?: number;
  height?: number;
}

/** The files the runner made for this run (RCIM_FIXTURES), by name. */
export function fixtures(): { [name: string]: Fixture } {
  const raw = (globalThis as { __rcimHostEnv?: { [name: string]: string } }).__rcimHostEnv;
  const json = raw?.RCIM_FIXTURES;
  if (!json) fail('RCIM_FIXTURES is missing: the test file needs `// @media-fixtures`');
  return JSON.parse(json) as { [name: string]: Fixture };
}

interface HostFs {
  stat(path: string): { size: number; isDirectory: boolean } | null;
  readFile(path: string): ArrayBuffer;
  sha256(path: string): string;
}

/** rcim-jshost's read-only file helpers. */
export function hostFs(): HostFs {
  const fs = (globalThis as { __rcimHostFs?: HostFs }).__rcimHostFs;
  if (!fs) fail('globalThis.__rcimHostFs is missing (an rcim-jshost older than issue 7?)');
  return fs;
}

/** The file at `path` has exactly the bytes of `fixture` (size and SHA-256). */
export function assertSameFile(path: string | undefined, fixture: Fixture, what: string): void {
  assert(typeof path === 'string' && path !== '', `${what}: no local path (${String(path)})`);
  const st = hostFs().stat(path);
  assert(st && !st.isDirectory, `${what}: nothing at ${path}`);
  assertEqual(st.size, fixture.size, `${what}: size of ${path}`);
  assertEqual(hostFs().sha256(path), fixture.sha256, `${what}: sha256 of ${path}`);
}

// ---- bytes ------------------------------------------------------------------------------------

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Decodes standard base64 (no data: prefix; whitespace and padding ignored). */
export function base64Bytes(text: string): Uint8Array {
  const clean = text.replace(/[\s=]/g, '');
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let acc = 0;
  let bits = 0;
  let n = 0;
  for (const ch of clean) {
    const v = B64.indexOf(ch);
    if (v < 0) fail(`not base64: character ${JSON.stringify(ch)}`);
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = (acc >> bits) & 0xff;
    }
  }
  return out.subarray(0, n);
}

/** ASCII/UTF-8-without-surprises text of a byte array (the proxy log is ASCII). */
export function asciiText(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 4096) {
    s += String.fromCharCode(...bytes.subarray(i, i + 4096));
  }
  return s;
}

export interface ImageInfo {
  format: 'jpeg' | 'png' | 'gif';
  width: number;
  height: number;
}

/**
 * Format and size of a PNG, GIF or JPEG, checking its structure on the way: a JPEG must be a
 * sequence of well-formed segments with quantisation and Huffman tables, a frame header
 * (SOF0..SOF2), a scan, and end with EOI; a PNG must start with IHDR and end with IEND.
 * (A structural decode: the test host has no image decoder.)
 */
export function imageInfo(b: Uint8Array, what: string): ImageInfo {
  const u16 = (i: number) => (b[i] << 8) | b[i + 1];
  const u32 = (i: number) => ((b[i] << 24) >>> 0) + (b[i + 1] << 16) + (b[i + 2] << 8) + b[i + 3];
  if (b.length > 24 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) {
    assertEqual(asciiText(b.subarray(12, 16)), 'IHDR', `${what}: PNG first chunk`);
    assertEqual(asciiText(b.subarray(b.length - 8, b.length - 4)), 'IEND', `${what}: PNG end`);
    return { format: 'png', width: u32(16), height: u32(20) };
  }
  if (b.length > 10 && asciiText(b.subarray(0, 3)) === 'GIF') {
    assertEqual(b[b.length - 1], 0x3b, `${what}: GIF trailer`);
    return { format: 'gif', width: b[6] | (b[7] << 8), height: b[8] | (b[9] << 8) };
  }
  assert(b.length > 4 && b[0] === 0xff && b[1] === 0xd8, `${what}: neither PNG, GIF nor JPEG`);
  let i = 2;
  const seen = new Set<number>();
  let size: { width: number; height: number } | undefined;
  for (;;) {
    assert(i + 4 <= b.length && b[i] === 0xff, `${what}: JPEG marker expected at ${i}`);
    const marker = b[i + 1];
    const len = u16(i + 2);
    assert(len >= 2 && i + 2 + len <= b.length, `${what}: JPEG segment ${marker} overruns`);
    seen.add(marker);
    if (marker >= 0xc0 && marker <= 0xc2) size = { height: u16(i + 5), width: u16(i + 7) };
    i += 2 + len;
    if (marker === 0xda) break; // start of scan: entropy-coded data follows
  }
  assert(seen.has(0xdb), `${what}: JPEG without quantisation tables`);
  assert(seen.has(0xc4) || seen.has(0xc2), `${what}: JPEG without Huffman tables`);
  assert(size && size.width > 0 && size.height > 0, `${what}: JPEG without a frame header`);
  assert(b.length - i > 16, `${what}: JPEG without scan data`);
  assert(
    b[b.length - 2] === 0xff && b[b.length - 1] === 0xd9,
    `${what}: JPEG does not end with EOI`
  );
  return { format: 'jpeg', ...size };
}

/** A thumbnail (base64) is a well-formed image whose long edge is at most `maxEdge`. */
export function assertThumbnail(base64: string | undefined, maxEdge: number, what: string) {
  assert(typeof base64 === 'string' && base64.length > 0, `${what}: no thumbnail`);
  assert(!base64.startsWith('data:'), `${what}: thumbnail has a data: prefix`);
  const info = imageInfo(base64Bytes(base64), `${what} thumbnail`);
  assert(
    Math.max(info.width, info.height) <= maxEdge,
    `${what}: thumbnail ${info.width}x${info.height} over ${maxEdge}`
  );
  return info;
}

// ---- the file proxy's log ---------------------------------------------------------------------

export interface ProxyRequest {
  method: string;
  path: string;
  range: string | null;
  status: number;
  requestBytes: number;
  responseBytes: number;
  complete: boolean;
}

/** The requests the runner's file proxy has seen so far (RCIM_FILE_PROXY_LOG). */
export function proxyLog(): ProxyRequest[] {
  const raw = (globalThis as { __rcimHostEnv?: { [name: string]: string } }).__rcimHostEnv;
  const file = raw?.RCIM_FILE_PROXY_LOG;
  if (!file) fail('RCIM_FILE_PROXY_LOG is missing: the test file needs `// @file-proxy`');
  return asciiText(new Uint8Array(hostFs().readFile(file)))
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as ProxyRequest);
}

// ---- media calls as recorded outcomes --------------------------------------------------------

/** Everything one sendMediaMessage / downloadMediaMessage call reported. */
export interface Transfer<M extends RCIMIWMediaMessage = RCIMIWMediaMessage> {
  status: number;
  /** onMediaMessageSaved (uploads only). */
  saved?: M;
  progress: number[];
  canceled?: M;
  /** onMediaMessageSent / onMediaMessageDownloaded. */
  done?: { code: number; message: M };
}

/**
 * Starts sendMediaMessage with a listener object recording what it reports; `onSaved` runs
 * inside onMediaMessageSaved (the call's attached event).
 */
export async function startUpload<M extends RCIMIWMediaMessage>(
  engine: RCIMIWEngine,
  message: M,
  onSaved?: (saved: M) => void
): Promise<Transfer<M>> {
  const t: Transfer<M> = { status: -1, progress: [] };
  await paceSend();
  t.status = await engine.sendMediaMessage(message, {
    onMediaMessageSaved: (m) => {
      t.saved = m as M;
      onSaved?.(m as M);
    },
    onMediaMessageSending: (_m, p) => t.progress.push(p),
    onSendingMediaMessageCanceled: (m) => (t.canceled = m as M),
    onMediaMessageSent: (code, m) => (t.done = { code, message: m as M }),
  });
  return t;
}

/** Starts downloadMediaMessage with a listener object recording what it reports. */
export async function startDownload<M extends RCIMIWMediaMessage>(
  engine: RCIMIWEngine,
  message: M
): Promise<Transfer<M>> {
  const t: Transfer<M> = { status: -1, progress: [] };
  t.status = await engine.downloadMediaMessage(message, {
    onMediaMessageDownloading: (_m, p) => t.progress.push(p),
    onDownloadingMediaMessageCanceled: (m) => (t.canceled = m as M),
    onMediaMessageDownloaded: (code, m) => (t.done = { code, message: m as M }),
  });
  return t;
}

/**
 * Progress values are integers in 0..100, strictly rising (the engine never reports a value
 * twice: rust/core/src/media/progress.rs), and the last one is 100.
 */
export function assertProgress(progress: number[], what: string): void {
  assert(progress.length > 0, `${what}: no progress event`);
  for (const [i, p] of progress.entries()) {
    assert(Number.isInteger(p) && p >= 0 && p <= 100, `${what}: progress ${p} not in 0..100`);
    if (i > 0) {
      assert(p > progress[i - 1], `${what}: progress did not rise ${progress[i - 1]} -> ${p}`);
    }
  }
  assertEqual(progress[progress.length - 1], 100, `${what}: last progress`);
}

/**
 * Waits until the transfer `t` (started by `call`) ends with `event` code 0 and checks its
 * progress; returns the final message.
 */
async function finished<M extends RCIMIWMediaMessage>(
  t: Transfer<M>,
  call: string,
  event: string,
  what: string,
  timeoutMs: number
): Promise<M> {
  assertEqual(t.status, 0, `${what}: ${call} status`);
  const done = await waitFor(`${what}: ${event}`, () => t.done, timeoutMs);
  assertEqual(done.code, 0, `${what}: ${event} code`);
  assertProgress(t.progress, `${what}: ${call}`);
  return done.message;
}

/** Uploads `message` and waits for onMediaMessageSent (code 0, attached, progress checked). */
export async function upload<M extends RCIMIWMediaMessage>(
  engine: RCIMIWEngine,
  message: M,
  what: string,
  timeoutMs = 30000
): Promise<M> {
  const t = await startUpload(engine, message);
  const sent = await finished(t, 'sendMediaMessage', 'onMediaMessageSent', what, timeoutMs);
  assert(t.saved?.messageId, `${what}: onMediaMessageSaved with a messageId before the upload`);
  assert(sent.remote, `${what}: sent message has a remote URL`);
  return sent;
}

/** Downloads `message` and waits for onMediaMessageDownloaded (code 0, progress checked). */
export async function download<M extends RCIMIWMediaMessage>(
  engine: RCIMIWEngine,
  message: M,
  what: string,
  timeoutMs = 30000
): Promise<M> {
  const t = await startDownload(engine, message);
  return finished(t, 'downloadMediaMessage', 'onMediaMessageDownloaded', what, timeoutMs);
}

/**
 * The code a media send of what `create()` builds ends with: the create's own code when it
 * refuses, else sendMediaMessage's status, else onMediaMessageSent's code (the contract lets
 * the engine find a local file problem at create or at send time). 0 if everything worked.
 */
export async function mediaSendCode(
  engine: RCIMIWEngine,
  create: () => Promise<RCIMIWMediaMessage | number>,
  what: string
): Promise<number> {
  const created = (await create()) as unknown;
  if (typeof created === 'number') return created;
  assert(created !== null && typeof created === 'object', `${what}: create resolved ${created}`);
  const t = await startUpload(engine, created as RCIMIWMediaMessage);
  if (t.status !== 0) return t.status;
  return (await waitFor(`${what}: onMediaMessageSent`, () => t.done)).code;
}

/** getMessageById through the 5.2.5 callback; resolves the message or fails on an error. */
export async function messageById(engine: RCIMIWEngine, messageId: number): Promise<RCIMIWMessage> {
  let r: { ok: boolean; value: RCIMIWMessage | number } | undefined;
  const status = await engine.getMessageById(messageId, {
    onSuccess: (m) => (r = { ok: true, value: m }),
    onError: (code) => (r = { ok: false, value: code }),
  });
  assertEqual(status, 0, `getMessageById(${messageId}) status`);
  const got = await waitFor(`getMessageById(${messageId})`, () => r);
  if (!got.ok) fail(`getMessageById(${messageId}): onError(${String(got.value)})`);
  return got.value as RCIMIWMessage;
}

/** Number of locally stored messages of the private conversation with `targetId`. */
export function messageCount(engine: RCIMIWEngine, targetId: string): Promise<number> {
  return viaCallback<number>(`getMessageCount(${targetId})`, (ok, err) =>
    engine.getMessageCount(PRIVATE, targetId, null, { onSuccess: ok, onError: err })
  );
}

/** Unread count of the private conversation with `targetId`. */
export function unreadCount(engine: RCIMIWEngine, targetId: string): Promise<number> {
  return viaCallback<number>(`getUnreadCount(${targetId})`, (ok, err) =>
    engine.getUnreadCount(PRIVATE, targetId, null, { onSuccess: ok, onError: err })
  );
}
