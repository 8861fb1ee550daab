// Insert, delete and clear through the TS API (R099–R111), with A on two devices (a phone and
// a tablet: one mobile device online at a time) and B:
// * insertMessage / insertMessages store local messages only (outgoing sent by default;
//   all or nothing: one non-storable message refuses the batch); the peer and A's other
//   device never see them; deleteLocalMessages removes them (getMessageById then 34204);
// * deleteMessages removes a message locally and from A's cloud history; A's tablet, offline
//   meanwhile, deletes it when it syncs; B keeps its copy (local and cloud);
// * clearMessages: R111 bounds (timestamp above the last message, or negative: 1); LOCAL clears
//   the phone only, LOCAL_REMOTE also A's cloud history and A's tablet; B's history stays.
import {
  RCIMIWMessageDirection,
  RCIMIWMessageType,
  RCIMIWSentStatus,
  type RCIMIWCommandMessage,
  type RCIMIWConversationType,
  type RCIMIWEngine,
  type RCIMIWMessage,
  type RCIMIWTextMessage,
} from 'react-native-rcim';
import {
  BEFORE,
  LOCAL,
  LOCAL_REMOTE,
  PRIVATE,
  REMOTE,
  actionCode,
  assert,
  assertEqual,
  connect,
  destroyAll,
  deviceEngine,
  hostEnv,
  objectCode,
  onlineDevice,
  page,
  sendText,
  texts,
  viaCallback,
  waitFor,
  waitForLocalHistory,
} from './support';

const INVALID_MESSAGE_ID = 34204;

export default async function () {
  const env = hostEnv();
  const [userA, userB] = env.users;
  let phone: RCIMIWEngine | undefined;
  let tablet: RCIMIWEngine | undefined;
  let b: RCIMIWEngine | undefined;
  try {
    phone = await onlineDevice(env, userA, 'a-phone');
    b = deviceEngine(env, 'b-phone');
    const receivedByB: RCIMIWMessage[] = [];
    b.setOnMessageReceivedListener((m) => receivedByB.push(m));
    assertEqual(await connect(b, env.tokens[userB]), userB, 'B userId');

    // ── insertMessage: an outgoing sent message by default (R101), listener and callback
    const insertedByListener: Array<{ code: number; message: RCIMIWMessage }> = [];
    phone.setOnMessageInsertedListener((code, message) =>
      insertedByListener.push({ code, message })
    );
    const draft = await phone.createTextMessage(PRIVATE, userB, null, 'inserted out');
    const out = await viaCallback<RCIMIWMessage>('insertMessage', (ok, err) =>
      phone!.insertMessage(draft, {
        onMessageInserted: (code, message) => (code === 0 ? ok(message) : err(code)),
      })
    );
    assert((out.messageId ?? 0) > 0, 'inserted message has a messageId');
    assertEqual(out.direction, RCIMIWMessageDirection.SEND, 'inserted direction (default)');
    assertEqual(out.sentStatus, RCIMIWSentStatus.SENT, 'inserted sentStatus (default)');
    assertEqual((out as RCIMIWTextMessage).text, 'inserted out', 'inserted text');
    await waitFor('onMessageInserted listener', () => insertedByListener.length > 0);
    assertEqual(insertedByListener[0].code, 0, 'listener code');
    assertEqual(insertedByListener[0].message.messageId, out.messageId, 'listener messageId');

    const incomingTime = Date.now() - 60_000;
    const incoming = await viaCallback<RCIMIWMessage>('insertMessage (incoming)', (ok, err) =>
      phone!.insertMessage(
        {
          ...draft,
          text: 'inserted in',
          direction: RCIMIWMessageDirection.RECEIVE,
          sentTime: incomingTime,
        } as RCIMIWTextMessage,
        { onMessageInserted: (code, message) => (code === 0 ? ok(message) : err(code)) }
      )
    );
    assertEqual(incoming.direction, RCIMIWMessageDirection.RECEIVE, 'incoming direction');
    assertEqual(incoming.sentTime, incomingTime, 'incoming sentTime kept (R100)');

    // ── insertMessages: all or nothing (R103); null entries are dropped by the TS layer
    const text = (t: string) => ({ ...draft, text: t }) as RCIMIWTextMessage;
    const command: RCIMIWCommandMessage = {
      conversationType: PRIVATE,
      targetId: userB,
      messageType: RCIMIWMessageType.COMMAND,
      name: 'not-storable',
      data: '{}',
    };
    const refused = await actionCode('insertMessages (one not storable)', (done) =>
      phone!.insertMessages([text('batch refused'), command], {
        onMessagesInserted: (code) => done(code),
      })
    );
    assert(refused !== 0, `a batch with a COMMAND message is refused (got ${refused})`);
    const batch = await viaCallback<RCIMIWMessage[]>('insertMessages', (ok, err) =>
      phone!.insertMessages([text('batch 1'), null as unknown as RCIMIWMessage, text('batch 2')], {
        onMessagesInserted: (code, messages) => (code === 0 ? ok(messages) : err(code)),
      })
    );
    assertEqual(texts(batch), ['batch 1', 'batch 2'], 'inserted batch');
    assert(
      batch.every((m) => (m.messageId ?? 0) > 0),
      'every inserted message has a messageId'
    );
    const local = texts(await page(phone, PRIVATE, userB, 0, BEFORE, LOCAL, 20));
    assert(!local.includes('batch refused'), 'nothing of the refused batch was stored');
    for (const t of ['inserted out', 'inserted in', 'batch 1', 'batch 2']) {
      assert(local.includes(t), `local history holds "${t}"`);
    }

    // ── deleteLocalMessages (R109): gone locally, listener and callback
    const deletedByListener: number[] = [];
    phone.setOnLocalMessagesDeletedListener((code, messages) =>
      deletedByListener.push(code, messages.length)
    );
    const deleted = await viaCallback<RCIMIWMessage[]>('deleteLocalMessages', (ok, err) =>
      phone!.deleteLocalMessages([out, incoming, ...batch], {
        onLocalMessagesDeleted: (code, messages) => (code === 0 ? ok(messages) : err(code)),
      })
    );
    assertEqual(deleted.length, 4, 'deleted messages echoed');
    await waitFor('onLocalMessagesDeleted listener', () => deletedByListener.length > 0);
    assertEqual(deletedByListener, [0, 4], 'listener code and count');
    assertEqual(
      await objectCode('getMessageById after delete', (cb) =>
        phone!.getMessageById(out.messageId ?? -1, cb)
      ),
      INVALID_MESSAGE_ID,
      'deleted message is unknown'
    );
    assertEqual(
      texts(await page(phone, PRIVATE, userB, 0, BEFORE, LOCAL, 20)),
      [],
      'nothing left locally'
    );

    // ── real messages, on every device of A (the tablet syncs them while the phone is off)
    const sent: { [text: string]: RCIMIWMessage } = {};
    const lines = ['d1', 'd2', 'd3', 'c1', 'c2', 'c3', 'c4'];
    for (const line of lines) sent[line] = await sendText(phone, userB, line);
    await waitFor('B received the 7 texts', () => receivedByB.length >= lines.length);
    const newestFirst = [...lines].reverse();
    await destroyAll(phone);
    phone = undefined;
    tablet = await onlineDevice(env, userA, 'a-tablet');
    await waitForLocalHistory(tablet, PRIVATE, userB, 'the tablet synced the 7 texts', (t) =>
      newestFirst.every((x) => t.includes(x))
    );
    const onTablet = texts(await page(tablet, PRIVATE, userB, 0, BEFORE, LOCAL, 20));
    assert(!onTablet.some((t) => t?.startsWith('inserted') || t?.startsWith('batch')), 'R102');
    await destroyAll(tablet);
    tablet = undefined;

    // ── deleteMessages (R110): local + A's cloud history; B keeps its copies
    phone = await onlineDevice(env, userA, 'a-phone');
    const deletedEvents: Array<[number, RCIMIWConversationType, string, number]> = [];
    phone.setOnMessagesDeletedListener((code, type, targetId, _channelId, messages) =>
      deletedEvents.push([code, type, targetId, messages.length])
    );
    assertEqual(
      await actionCode('deleteMessages', (done) =>
        phone!.deleteMessages(PRIVATE, userB, null, [sent.d2], { onMessagesDeleted: done })
      ),
      0,
      'onMessagesDeleted code'
    );
    await waitFor('onMessagesDeleted listener', () => deletedEvents.length > 0);
    assertEqual(deletedEvents[0], [0, PRIVATE, userB, 1], 'listener arguments');
    const withoutD2 = newestFirst.filter((t) => t !== 'd2');
    assertEqual(
      texts(await page(phone, PRIVATE, userB, 0, BEFORE, LOCAL, 20)),
      withoutD2,
      'A local history without d2'
    );
    assertEqual(
      texts(await page(phone, PRIVATE, userB, 0, BEFORE, REMOTE, 20)),
      withoutD2,
      'A cloud history without d2'
    );
    assertEqual(
      texts(await page(b, PRIVATE, userA, 0, BEFORE, REMOTE, 20)),
      newestFirst,
      'B cloud history keeps d2'
    );
    assertEqual(
      texts(await page(b, PRIVATE, userA, 0, BEFORE, LOCAL, 20)),
      newestFirst,
      'B local history keeps d2'
    );

    // ── clearMessages: R111 bounds
    const last = sent.c4.sentTime ?? 0;
    const clearCode = (timestamp: number, policy = LOCAL) =>
      actionCode(`clearMessages(${timestamp})`, (done) =>
        phone!.clearMessages(PRIVATE, userB, null, timestamp, policy, {
          onMessagesCleared: done,
        })
      );
    assertEqual(await clearCode(last + 1), 1, 'timestamp after the last message');
    assertEqual(await clearCode(-1), 1, 'negative timestamp');

    // LOCAL: the phone only; A's cloud history keeps everything
    const clearedEvents: Array<[number, string, number]> = [];
    phone.setOnMessagesClearedListener((code, _type, targetId, _channelId, timestamp) =>
      clearedEvents.push([code, targetId, timestamp])
    );
    assertEqual(await clearCode(sent.c1.sentTime ?? 0), 0, 'LOCAL clear code');
    await waitFor('onMessagesCleared listener', () => clearedEvents.length > 0);
    assertEqual(clearedEvents[0], [0, userB, sent.c1.sentTime ?? 0], 'listener arguments');
    assertEqual(
      texts(await page(phone, PRIVATE, userB, 0, BEFORE, LOCAL, 20)),
      ['c4', 'c3', 'c2'],
      'A local history after the LOCAL clear'
    );
    assertEqual(
      texts(await page(phone, PRIVATE, userB, 0, BEFORE, REMOTE, 20)),
      withoutD2,
      'A cloud history after the LOCAL clear'
    );

    // LOCAL_REMOTE: the phone, A's cloud history and A's tablet; not B
    assertEqual(await clearCode(sent.c3.sentTime ?? 0, LOCAL_REMOTE), 0, 'LOCAL_REMOTE clear');
    assertEqual(
      texts(await page(phone, PRIVATE, userB, 0, BEFORE, LOCAL, 20)),
      ['c4'],
      'A local history after the LOCAL_REMOTE clear'
    );
    assertEqual(
      texts(await page(phone, PRIVATE, userB, 0, BEFORE, REMOTE, 20)),
      ['c4'],
      'A cloud history after the LOCAL_REMOTE clear'
    );
    assertEqual(
      texts(await page(b, PRIVATE, userA, 0, BEFORE, REMOTE, 20)),
      newestFirst,
      'B cloud history untouched by A’s clear'
    );
    await destroyAll(phone);
    phone = undefined;

    // ── the tablet, offline meanwhile, follows the deletion and the remote clear
    tablet = await onlineDevice(env, userA, 'a-tablet');
    await waitForLocalHistory(
      tablet,
      PRIVATE,
      userB,
      'the tablet applied the deletion and the clear',
      (t) => t.length === 1 && t[0] === 'c4'
    );
    assertEqual(
      receivedByB.map((m) => (m as RCIMIWTextMessage).text),
      lines,
      'B received the sent texts only (never an inserted one)'
    );
  } finally {
    await destroyAll(phone, tablet, b);
  }
}
