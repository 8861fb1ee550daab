/**
 * The Server API from inside a Hermes test: the request goes to the runner as one stderr line
 * (scripts/hermes-tests.mjs signs and makes the call against the test's server) and the
 * answer comes back as a file under <RCIM_DATA_DIR>/server-api/, read with rcim-jshost's file
 * helpers. For moderation and other server-side changes a test makes while its engines run.
 */
import { hostFs } from './media-support';
import { assert, fail, hostEnv, sleep } from './support';

/** Form parameters: an object, or [key, value] pairs for repeatable keys (`userId`). */
export type ApiParams = { [key: string]: string | number } | Array<[string, string]>;

export interface ApiBody {
  code: number;
  [field: string]: unknown;
}

let nextCall = 0;

/** Calls `path` with `params`; resolves the answer's JSON body, whatever its code. */
export async function serverApiCall(
  path: string,
  params: ApiParams,
  timeoutMs = 15000
): Promise<ApiBody> {
  const form = Array.isArray(params)
    ? params
    : Object.entries(params).map(([k, v]): [string, string] => [k, String(v)]);
  return relay(path, { params: form }, timeoutMs);
}

/** Calls `path` with a JSON body; resolves the answer's JSON body, whatever its code. */
export async function serverApiJsonCall(
  path: string,
  json: unknown,
  timeoutMs = 15000
): Promise<ApiBody> {
  return relay(path, { json }, timeoutMs);
}

/** Hands the request to the runner and waits for its answer file. */
async function relay(
  path: string,
  body: { params: Array<[string, string]> } | { json: unknown },
  timeoutMs: number
): Promise<ApiBody> {
  const env = hostEnv();
  assert(env.dataDir !== '', 'RCIM_DATA_DIR is not set');
  const id = `${Date.now().toString(36)}-${++nextCall}`;
  // stderr is flushed at once; the runner watches it line by line.
  console.error(`@@rcim-server-api ${JSON.stringify({ id, path, ...body })}`);
  const file = `${env.dataDir}/server-api/${id}.json`;
  const deadline = Date.now() + timeoutMs;
  while (!hostFs().stat(file)) {
    if (Date.now() > deadline) fail(`${path}: no answer from the runner in ${timeoutMs} ms`);
    await sleep(20);
  }
  // The runner writes ASCII only (other characters as \u escapes).
  const bytes = new Uint8Array(hostFs().readFile(file));
  let text = '';
  for (let i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i]);
  const answer = JSON.parse(text) as {
    status?: number;
    body?: ApiBody;
    text?: string;
    error?: string;
  };
  if (answer.error) fail(`${path}: ${answer.error}`);
  if (!answer.body) fail(`${path}: HTTP ${answer.status} ${answer.text ?? ''}`);
  return answer.body;
}

/** Calls `path` and fails the test unless it answers code 200; resolves the body. */
export async function serverApi(path: string, params: ApiParams): Promise<ApiBody> {
  const body = await serverApiCall(path, params);
  if (body.code !== 200) fail(`${path}: code ${body.code} ${JSON.stringify(body)}`);
  return body;
}

/** `serverApiJsonCall` that fails the test unless it answers code 200; resolves the body. */
export async function serverApiJson(path: string, json: unknown): Promise<ApiBody> {
  const body = await serverApiJsonCall(path, json);
  if (body.code !== 200) fail(`${path}: code ${body.code} ${JSON.stringify(body)}`);
  return body;
}
