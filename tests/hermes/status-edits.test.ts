// Status edits and getMessageByUId through the TS API:
// * B marks A's message READ, then LISTENED (changeMessageReceiveStatus: callback + listener);
//   the stored message follows and the conversation's unread count drops to 0;
// * A marks its sent message FAILED, then SENT again (changeMessageSentStatus); B's copy is
//   untouched (a local edit);
// * an unknown messageId answers 34204; a status outside the enum answers 1;
// * getMessageByUId in both forms: the seed's (resolves the message) and 5.2.5's (callback);
//   an unknown uid answers a not-found code.
import {
  RCIMIWReceivedStatus,
  RCIMIWSentStatus,
  type RCIMIWEngine,
  type RCIMIWMessage,
  type RCIMIWTextMessage,
} from 'react-native-rcim';
import {
  PRIVATE,
  actionCode,
  assert,
  assertEqual,
  destroyAll,
  hostEnv,
  objectCode,
  onlineDevice,
  sendText,
  viaCallback,
  waitFor,
} from './support';

const INVALID_MESSAGE_ID = 34204;
const INVALID_MESSAGE_UID = 34203;

export default async function () {
  const env = hostEnv();
  const [userA, userB] = env.users;
  let a: RCIMIWEngine | undefined;
  let b: RCIMIWEngine | undefined;
  try {
    a = await onlineDevice(env, userA, 'a');
    b = await onlineDevice(env, userB, 'b');
    const receivedByB: RCIMIWMessage[] = [];
    b.setOnMessageReceivedListener((m) => receivedByB.push(m));
    const sent = await sendText(a, userB, 'status me');
    await waitFor('B received it', () => receivedByB.length > 0);
    const got = receivedByB[0];
    const byId = (engine: RCIMIWEngine, messageId: number) =>
      viaCallback<RCIMIWMessage>('getMessageById', (ok, err) =>
        engine.getMessageById(messageId, { onSuccess: ok, onError: err })
      );
    const unread = () =>
      viaCallback<number>('getUnreadCount', (ok, err) =>
        b!.getUnreadCount(PRIVATE, userA, null, { onSuccess: ok, onError: err })
      );
    assertEqual(got.receivedStatus, RCIMIWReceivedStatus.UNREAD, 'received UNREAD');
    assertEqual(await unread(), 1, 'unread before');

    // ── received status (B)
    const receiveEvents: Array<[number, number]> = [];
    b.setOnMessageReceiveStatusChangedListener((code, messageId) =>
      receiveEvents.push([code, messageId])
    );
    const setReceived = (messageId: number, status: RCIMIWReceivedStatus) =>
      actionCode(`changeMessageReceiveStatus ${status}`, (done) =>
        b!.changeMessageReceiveStatus(messageId, status, { onMessageReceiveStatusChanged: done })
      );
    const id = got.messageId ?? -1;
    assertEqual(await setReceived(id, RCIMIWReceivedStatus.READ), 0, 'READ code');
    await waitFor('onMessageReceiveStatusChanged', () => receiveEvents.length > 0);
    assertEqual(receiveEvents[0], [0, id], 'listener arguments');
    assertEqual((await byId(b, id)).receivedStatus, RCIMIWReceivedStatus.READ, 'stored READ');
    assertEqual(await unread(), 0, 'unread after READ');
    assertEqual(await setReceived(id, RCIMIWReceivedStatus.LISTENED), 0, 'LISTENED code');
    assertEqual(
      (await byId(b, id)).receivedStatus,
      RCIMIWReceivedStatus.LISTENED,
      'stored LISTENED'
    );
    assertEqual(
      await setReceived(99_999_999, RCIMIWReceivedStatus.READ),
      INVALID_MESSAGE_ID,
      'unknown'
    );
    assertEqual(await setReceived(id, 42 as RCIMIWReceivedStatus), 1, 'status outside the enum');

    // ── sent status (A)
    const sentEvents: Array<[number, number]> = [];
    a.setOnMessageSentStatusChangedListener((code, messageId) =>
      sentEvents.push([code, messageId])
    );
    const setSent = (messageId: number, status: RCIMIWSentStatus) =>
      actionCode(`changeMessageSentStatus ${status}`, (done) =>
        a!.changeMessageSentStatus(messageId, status, { onMessageSentStatusChanged: done })
      );
    const mine = sent.messageId ?? -1;
    assertEqual(await setSent(mine, RCIMIWSentStatus.FAILED), 0, 'FAILED code');
    await waitFor('onMessageSentStatusChanged', () => sentEvents.length > 0);
    assertEqual(sentEvents[0], [0, mine], 'listener arguments');
    assertEqual((await byId(a, mine)).sentStatus, RCIMIWSentStatus.FAILED, 'stored FAILED');
    assertEqual((await byId(b, id)).sentStatus, got.sentStatus, 'B’s copy untouched');
    assertEqual(await setSent(mine, RCIMIWSentStatus.SENT), 0, 'SENT code');
    assertEqual((await byId(a, mine)).sentStatus, RCIMIWSentStatus.SENT, 'stored SENT');
    assertEqual(await setSent(99_999_999, RCIMIWSentStatus.SENT), INVALID_MESSAGE_ID, 'unknown');
    assertEqual(await setSent(mine, 42 as RCIMIWSentStatus), 1, 'status outside the enum');

    // ── getMessageByUId, both forms
    const uid = sent.messageUId ?? '';
    assert(uid !== '', 'sent message has a uid');
    const seedForm = await b.getMessageByUId(uid);
    assert(typeof seedForm === 'object', `seed form resolves the message (${String(seedForm)})`);
    assertEqual((seedForm as RCIMIWTextMessage).text, 'status me', 'seed form text');
    assertEqual(seedForm.messageId, id, 'seed form: B’s own messageId');
    const viaCb = await viaCallback<RCIMIWMessage>('getMessageByUId', (ok, err) =>
      a!.getMessageByUId(uid, { onSuccess: ok, onError: err })
    );
    assertEqual(viaCb.messageId, mine, 'callback form: A’s messageId');
    const notFound = await objectCode('getMessageByUId unknown', (cb) =>
      a!.getMessageByUId('NO-SUCH-UID', cb)
    );
    assert(
      notFound === INVALID_MESSAGE_ID || notFound === INVALID_MESSAGE_UID,
      `unknown uid: a not-found code (got ${notFound})`
    );
    assertEqual(
      await objectCode('getMessageByUId empty', (cb) => a!.getMessageByUId('', cb)),
      1,
      'empty uid'
    );
  } finally {
    await destroyAll(a, b);
  }
}
