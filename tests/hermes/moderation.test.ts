// @server-args: --sensitive-word-object-name app:mood
// Moderation through the Server API while the engines run, seen through the TS API:
// - a block word (/sensitiveword/add.json without replaceWord): a private and a group text
//   holding it never reach anyone, and the sender gets onMessageBlocked with the message's uid;
// - a replace word: the recipient gets the text with the word replaced;
// - status messages (custom messages of policy STATUS, object name app:mood, which this run's
//   server screens besides texts) are screened too: one holding the block word reaches no
//   member, while a clean one sent after it reaches them all;
// - a group gag (/group/user/gag/add.json): the gagged member's group send fails with 22408
//   while the others can still send; the gagged member's status message is refused or reaches
//   nobody; rollback lets them send again;
// - a user ban (/user/block.json): the online user is kicked with CONN_USER_BLOCKED, a
//   reconnect is refused with 31009; /user/unblock.json lets them in again.
import type { RCIMIWConversationType } from 'react-native-rcim';
import {
  RCIMIWConnectionStatus,
  RCIMIWCustomMessagePolicy,
  RCIMIWMessageBlockType,
  type RCIMIWBlockedMessageInfo,
  type RCIMIWCustomMessage,
  type RCIMIWEngine,
  type RCIMIWMessage,
  type RCIMIWTextMessage,
} from 'react-native-rcim';
import { serverApi } from './server-api';
import { recorder } from './settings-support';
import {
  GROUP,
  PRIVATE,
  assert,
  assertEqual,
  destroyAll,
  hostEnv,
  onlineDevice,
  paceSend,
  sendText,
  twoEngines,
  waitFor,
} from './support';

const BLOCKED_BY_GAG = 22408;
const CONN_USER_BLOCKED_CODE = 31009;

/** Sends a text and resolves onMessageSent's code and message. */
async function trySend(
  e: RCIMIWEngine,
  type: RCIMIWConversationType,
  targetId: string,
  text: string
): Promise<{ code: number; message: RCIMIWMessage }> {
  const msg = await e.createTextMessage(type, targetId, null, text);
  let sent: { code: number; message: RCIMIWMessage } | undefined;
  await paceSend();
  assertEqual(
    await e.sendMessage(msg, { onMessageSent: (code, message) => (sent = { code, message }) }),
    0,
    `send "${text}" status`
  );
  return waitFor(`onMessageSent for "${text}"`, () => sent);
}

/** The status message object name this run's server screens (see `@server-args`). */
const MOOD = 'app:mood';

/** Sends a status message (custom, policy STATUS) `{mood}` and resolves onMessageSent's code. */
async function trySendStatus(
  e: RCIMIWEngine,
  type: RCIMIWConversationType,
  targetId: string,
  mood: string
): Promise<number> {
  const msg = await e.createCustomMessage(
    type,
    targetId,
    null,
    RCIMIWCustomMessagePolicy.STATUS,
    MOOD,
    new Map([['mood', mood]])
  );
  // Boxed: waitFor takes a falsy value for "not yet", and success is code 0.
  let sent: { code: number } | undefined;
  await paceSend();
  assertEqual(
    await e.sendMessage(msg, { onMessageSent: (code) => (sent = { code }) }),
    0,
    `send status "${mood}" status`
  );
  return (await waitFor(`onMessageSent for status "${mood}"`, () => sent)).code;
}

/** The moods of the status messages in `list`. */
const moods = (list: RCIMIWMessage[]) =>
  list
    .filter((m) => (m as RCIMIWCustomMessage).identifier === MOOD)
    .map((m) => (m as RCIMIWCustomMessage).fields?.mood);

export default async function () {
  const env = hostEnv();
  const group = env.groups[0].id;
  const userC = env.users[2];
  const { a, b, userB } = await twoEngines(env);
  let c: RCIMIWEngine | undefined;
  const suffix = Date.now().toString(36);
  const blockWord = `nope${suffix}`;
  const replaceWord = `darn${suffix}`;
  try {
    c = await onlineDevice(env, userC, 'c-phone');
    const texts = (list: RCIMIWMessage[]) => list.map((m) => (m as RCIMIWTextMessage).text);
    const atA: RCIMIWMessage[] = [];
    const atB: RCIMIWMessage[] = [];
    const atC: RCIMIWMessage[] = [];
    a.setOnMessageReceivedListener((m) => atA.push(m));
    b.setOnMessageReceivedListener((m) => atB.push(m));
    c.setOnMessageReceivedListener((m) => atC.push(m));
    const blocked = recorder('onMessageBlocked');
    a.setOnMessageBlockedListener(blocked.fn);

    // ── sensitive words (app-wide: unique to this run, deleted at the end)
    await serverApi('/sensitiveword/add.json', { word: blockWord });
    await serverApi('/sensitiveword/add.json', { word: replaceWord, replaceWord: '***' });

    const privateSend = await trySend(a, PRIVATE, userB, `this has ${blockWord} in it`);
    assertEqual(privateSend.code, 0, 'a blocked send is answered like a normal one');
    const [privateInfo] = (await blocked.next('private')) as [RCIMIWBlockedMessageInfo];
    assertEqual(
      [
        privateInfo.conversationType,
        privateInfo.targetId,
        privateInfo.channelId ?? '',
        privateInfo.blockedMsgUId,
        privateInfo.blockType,
      ],
      [PRIVATE, userB, '', privateSend.message.messageUId, RCIMIWMessageBlockType.CUSTOM],
      'onMessageBlocked (private)'
    );
    const groupSend = await trySend(a, GROUP, group, `group ${blockWord} too`);
    const [groupInfo] = (await blocked.next('group')) as [RCIMIWBlockedMessageInfo];
    assertEqual(
      [groupInfo.conversationType, groupInfo.targetId, groupInfo.blockedMsgUId],
      [GROUP, group, groupSend.message.messageUId],
      'onMessageBlocked (group)'
    );
    await sendText(a, userB, `oh ${replaceWord} it`);
    await waitFor('B receives the replaced text', () => atB.length > 0);
    assertEqual(texts(atB), ['oh *** it'], 'B got only the replaced text');
    await sendText(a, group, 'after the blocked ones', GROUP);
    await waitFor('C receives the group text', () => atC.length > 0);
    assertEqual(texts(atC), ['after the blocked ones'], 'C never got the blocked group text');

    // ── a status message holding the block word reaches no member. Status messages are live
    // only, in the order sent: once the clean one sent after it is in, the other would have
    // been too.
    await trySendStatus(a, GROUP, group, `feeling ${blockWord}`);
    assertEqual(await trySendStatus(a, GROUP, group, 'calm'), 0, 'clean status send');
    for (const [at, who] of [
      [atB, 'B'],
      [atC, 'C'],
    ] as Array<[RCIMIWMessage[], string]>) {
      await waitFor(`${who} receives the clean status`, () => moods(at).includes('calm'));
      assertEqual(moods(at), ['calm'], `${who} never got the blocked status message`);
    }

    // ── group gag
    await serverApi('/group/user/gag/add.json', { userId: userB, groupId: group, minute: 10 });
    assertEqual(
      (await trySend(b, GROUP, group, 'gagged')).code,
      BLOCKED_BY_GAG,
      "the gagged member's send"
    );
    assertEqual((await trySend(a, GROUP, group, 'A still talks')).code, 0, "A's group send");
    const gaggedStatus = await trySendStatus(b, GROUP, group, 'gagged');
    assert(
      gaggedStatus === BLOCKED_BY_GAG || gaggedStatus === 0,
      `the gagged member's status send: ${gaggedStatus}`
    );
    await serverApi('/group/user/gag/rollback.json', { userId: userB, groupId: group });
    assertEqual((await trySend(b, GROUP, group, 'ungagged')).code, 0, 'send after rollback');
    assertEqual(await trySendStatus(b, GROUP, group, 'free'), 0, 'status send after rollback');
    for (const [at, who] of [
      [atA, 'A'],
      [atC, 'C'],
    ] as Array<[RCIMIWMessage[], string]>) {
      await waitFor(`${who} receives the status sent after the rollback`, () =>
        moods(at).includes('free')
      );
      assert(
        !moods(at).includes('gagged'),
        `${who} never got the gagged member's status: ${JSON.stringify(moods(at))}`
      );
    }

    // ── user ban
    const statusesOfB = recorder('onConnectionStatusChanged at B');
    b.setOnConnectionStatusChangedListener(statusesOfB.fn);
    await serverApi('/user/block.json', { userId: userB, minute: 10 });
    await statusesOfB.next('kicked', (s) => s[0] === RCIMIWConnectionStatus.CONN_USER_BLOCKED);
    let refused: number | undefined;
    assertEqual(
      await b.connect(env.tokens[userB], 0, { onConnected: (code) => (refused = code) }),
      0,
      'reconnect status'
    );
    await waitFor('the reconnect is answered', () => refused !== undefined);
    assertEqual(refused, CONN_USER_BLOCKED_CODE, 'a banned user cannot connect');
    await serverApi('/user/unblock.json', { userId: userB });
    let again: number | undefined;
    await b.connect(env.tokens[userB], 0, { onConnected: (code) => (again = code) });
    await waitFor('connected after unblock', () => again !== undefined);
    assertEqual(again, 0, 'connect after unblock');
  } finally {
    await destroyAll(a, b, c);
    await serverApi('/sensitiveword/batch/delete.json', [
      ['words', blockWord],
      ['words', replaceWord],
    ]).catch(() => undefined);
  }
}
