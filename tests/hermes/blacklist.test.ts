// The blacklist through the TS API (listeners and callback objects): A blacklists B; B's
// private messages to A fail with 405 and never reach A, while A can still write to B; the
// status and the list read back (get and load twins); a Server API change reaches A's engine;
// removing B lets B write again.
import {
  RCIMIWBlacklistStatus,
  type RCIMIWEngine,
  type RCIMIWTextMessage,
} from 'react-native-rcim';
import { serverApi } from './server-api';
import { assertParamError, recorder } from './settings-support';
import {
  PRIVATE,
  actionCode,
  assert,
  assertEqual,
  destroyAll,
  hostEnv,
  paceSend,
  sendText,
  sleep,
  twoEngines,
  viaCallback,
  waitForAsync,
} from './support';

const { IN_BLACKLIST, NOT_IN_BLACKLIST } = RCIMIWBlacklistStatus;

function status(e: RCIMIWEngine, userId: string) {
  return viaCallback<RCIMIWBlacklistStatus>('getBlacklistStatus', (ok, err) =>
    e.getBlacklistStatus(userId, { onSuccess: ok, onError: err })
  );
}

function list(e: RCIMIWEngine) {
  return viaCallback<string[]>('getBlacklist', (ok, err) =>
    e.getBlacklist({ onSuccess: ok, onError: err })
  ).then((ids) => [...ids].sort());
}

/** Sends a text and resolves the code of onMessageSent (callback) and of the listener. */
async function sendCode(e: RCIMIWEngine, to: string, text: string): Promise<[number, number]> {
  const listener = recorder('onMessageSent');
  e.setOnMessageSentListener(listener.fn);
  const msg = await e.createTextMessage(PRIVATE, to, null, text);
  await paceSend();
  const viaCb = await actionCode(`send "${text}"`, (done) =>
    e.sendMessage(msg, { onMessageSent: (c: number) => done(c) })
  );
  const [code] = await listener.next(text, (a) => (a[1] as RCIMIWTextMessage).text === text);
  e.setOnMessageSentListener(undefined);
  return [viaCb, code as number];
}

export default async function () {
  const env = hostEnv();
  const { a, b, userA, userB } = await twoEngines(env);
  const userC = env.users[2];
  try {
    const receivedByA: string[] = [];
    a.setOnMessageReceivedListener((m) => receivedByA.push((m as { text?: string }).text ?? ''));

    const added = recorder('onBlacklistAdded');
    a.setOnBlacklistAddedListener(added.fn);
    let cbArgs: unknown[] | undefined;
    assertEqual(
      await actionCode('addToBlacklist', (done) =>
        a.addToBlacklist(userB, {
          onBlacklistAdded: (code, userId) => {
            cbArgs = [code, userId];
            done(code);
          },
        })
      ),
      0,
      'addToBlacklist code'
    );
    assertEqual(cbArgs, [0, userB], 'onBlacklistAdded callback arguments');
    assertEqual(await added.next(), [0, userB], 'onBlacklistAdded listener');
    assertEqual(await status(a, userB), IN_BLACKLIST, 'B is blacklisted');
    assertEqual(await status(a, userC), NOT_IN_BLACKLIST, 'C is not');
    assertEqual(await list(a), [userB], 'blacklist');
    const statusLoaded = recorder('onBlacklistStatusLoaded');
    a.setOnBlacklistStatusLoadedListener(statusLoaded.fn);
    assertEqual(await a.loadBlacklistStatus(userB), 0, 'loadBlacklistStatus status');
    assertEqual(await statusLoaded.next(), [0, userB, IN_BLACKLIST], 'status loaded listener');
    const listLoaded = recorder('onBlacklistLoaded');
    a.setOnBlacklistLoadedListener(listLoaded.fn);
    assertEqual(await a.loadBlacklist(), 0, 'loadBlacklist status');
    assertEqual(await listLoaded.next(), [0, [userB]], 'list loaded listener');
    // Settings are per user: B's own blacklist is empty.
    assertEqual(await list(b), [], "B's blacklist");
    assertParamError(
      await actionCode('blacklisting oneself', (done) =>
        a.addToBlacklist(userA, { onBlacklistAdded: (c) => done(c) })
      ),
      'addToBlacklist(self)'
    );

    // One way: B cannot write to A (405, not delivered); A can write to B.
    assertEqual(
      await sendCode(b, userA, 'from a blocked sender'),
      [405, 405],
      "B's send to A (callback, listener)"
    );
    const toB = await sendText(a, userB, 'A can still write');
    assert(toB.messageUId, 'A sent to B');
    await sleep(500);
    assertEqual(receivedByA, [], 'A received nothing from B');

    // A Server API change reaches A's engine (its own inbox).
    await serverApi('/user/blacklist/add.json', { userId: userA, blackUserId: userC });
    await waitForAsync('C on A blacklist', async () => (await list(a)).includes(userC));
    assertEqual(await list(a), [userB, userC].sort(), 'blacklist after the Server API add');

    const removed = recorder('onBlacklistRemoved');
    a.setOnBlacklistRemovedListener(removed.fn);
    assertEqual(
      await actionCode('removeFromBlacklist', (done) =>
        a.removeFromBlacklist(userB, { onBlacklistRemoved: (code) => done(code) })
      ),
      0,
      'removeFromBlacklist code'
    );
    assertEqual(await removed.next(), [0, userB], 'onBlacklistRemoved listener');
    assertEqual(await status(a, userB), NOT_IN_BLACKLIST, 'B no longer blacklisted');
    assertEqual(await sendCode(b, userA, 'allowed again'), [0, 0], "B's send after removal");
    await waitForAsync('A receives B', async () => receivedByA.includes('allowed again'));
  } finally {
    await destroyAll(a, b);
  }
}
