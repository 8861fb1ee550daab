/**
 * Development sign-in: asks the RCIM server's Server API for a user's token
 * (`POST /user/getToken.json`, signed with the app secret as RongCloud's Server API is:
 * Signature = sha1(secret + nonce + timestamp)). Only for trying the example against your own
 * server: a production app never holds the app secret, its backend calls the Server API.
 */
import { sha1Hex } from './sha1';

export interface DevTokenParams {
  naviServer: string;
  appKey: string;
  appSecret: string;
  userId: string;
}

export async function fetchDevToken(
  { naviServer, appKey, appSecret, userId }: DevTokenParams,
  fetchImpl: typeof fetch = fetch
): Promise<string> {
  const nonce = String(Math.floor(Math.random() * 1e12)) + String(Date.now());
  const timestamp = String(Math.floor(Date.now() / 1000));
  const response = await fetchImpl(`${naviServer.replace(/\/+$/, '')}/user/getToken.json`, {
    method: 'POST',
    headers: {
      'App-Key': appKey,
      Nonce: nonce,
      Timestamp: timestamp,
      Signature: sha1Hex(appSecret + nonce + timestamp),
      'Content-Type': 'application/x-www-form-urlencoded',
    },
    body: `userId=${encodeURIComponent(userId)}`,
  });
  const body = (await response.json()) as { code?: number; token?: string; errorMessage?: string };
  if (body.code !== 200 || !body.token) {
    throw new Error(`getToken.json answered ${body.code ?? response.status}`);
  }
  return body.token;
}
