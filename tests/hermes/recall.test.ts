// @server-args: --recall-only-sender
// Recall through the TS API, on a server set to "only the sender may recall" (RongCloud's
// ticket option; by default anyone may, see recall-by-others.test.ts): A sends to B, B
// recalling A's message fails with 25107, A recalls
// it (callback object and listener: a RECALL record), B gets onRemoteMessageRecalled, B's
// stored message is the recall record and its unread count goes back to 0.
import {
  RCIMIWMessageType,
  type RCIMIWMessage,
  type RCIMIWRecallNotificationMessage,
} from 'react-native-rcim';
import {
  PRIVATE,
  assert,
  assertEqual,
  destroyAll,
  hostEnv,
  sendText,
  twoEngines,
  viaCallback,
  waitFor,
} from './support';

const RECALL_USER_INVALID = 25107;

export default async function () {
  const env = hostEnv();
  const { a, b, userA, userB } = await twoEngines(env);
  try {
    const receivedByB: RCIMIWMessage[] = [];
    const remoteByB: RCIMIWMessage[] = [];
    const remoteByA: RCIMIWMessage[] = [];
    const listenerA: Array<{ code: number; message: RCIMIWMessage }> = [];
    b.setOnMessageReceivedListener((m) => receivedByB.push(m));
    b.setOnRemoteMessageRecalledListener((m) => remoteByB.push(m));
    a.setOnRemoteMessageRecalledListener((m) => remoteByA.push(m));
    a.setOnMessageRecalledListener((code, message) => listenerA.push({ code, message }));

    const sent = await sendText(a, userB, 'take this back');
    await waitFor('B onMessageReceived', () => receivedByB.length > 0);
    const got = receivedByB[0];
    assertEqual(got.messageUId, sent.messageUId, 'received messageUId');
    const unread = () =>
      viaCallback<number>('B getUnreadCount', (ok, err) =>
        b.getUnreadCount(PRIVATE, userA, null, { onSuccess: ok, onError: err })
      );
    assertEqual(await unread(), 1, 'B unread before the recall');

    // Only the sender may recall (the server's setting).
    let refused: { code: number; message: RCIMIWMessage } | undefined;
    const status = await b.recallMessage(got, {
      onMessageRecalled: (code, message) => (refused = { code, message }),
    });
    assertEqual(status, 0, 'B recallMessage status');
    const r = await waitFor('B onMessageRecalled', () => refused);
    assertEqual(r.code, RECALL_USER_INVALID, 'B recall code');
    assertEqual(r.message.messageType, RCIMIWMessageType.TEXT, 'B message unchanged');

    let done: { code: number; message: RCIMIWMessage } | undefined;
    assertEqual(
      await a.recallMessage(sent, {
        onMessageRecalled: (code, message) => (done = { code, message }),
      }),
      0,
      'A recallMessage status'
    );
    const d = await waitFor('A onMessageRecalled', () => done);
    assertEqual(d.code, 0, 'A recall code');
    const record = d.message as RCIMIWRecallNotificationMessage;
    assertEqual(record.messageType, RCIMIWMessageType.RECALL, 'A record messageType');
    assertEqual(record.messageId, sent.messageId, 'A record messageId');
    assertEqual(record.messageUId, sent.messageUId, 'A record messageUId');
    assertEqual(record.recallTime, sent.sentTime, 'A record recallTime');
    assert((record.recallActionTime ?? 0) >= (sent.sentTime ?? 0), 'A record recallActionTime');
    assertEqual(record.admin, false, 'A record admin');
    assertEqual(record.deleted, false, 'A record deleted');
    await waitFor('A listener onMessageRecalled', () => listenerA.length > 0);
    assertEqual(listenerA[0].code, 0, 'A listener code');

    await waitFor('B onRemoteMessageRecalled', () => remoteByB.length > 0);
    const remote = remoteByB[0] as RCIMIWRecallNotificationMessage;
    assertEqual(remote.messageType, RCIMIWMessageType.RECALL, 'B remote messageType');
    assertEqual(remote.messageId, got.messageId, 'B remote messageId');
    assertEqual(remote.messageUId, sent.messageUId, 'B remote messageUId');

    const stored = await viaCallback<RCIMIWMessage>('B getMessageById', (ok, err) =>
      b.getMessageById(got.messageId ?? -1, { onSuccess: ok, onError: err })
    );
    assertEqual(stored.messageType, RCIMIWMessageType.RECALL, 'B stored messageType');
    assertEqual(await unread(), 0, 'B unread after the recall');
    assertEqual(remoteByA.length, 0, 'A never gets onRemoteMessageRecalled');
  } finally {
    await destroyAll(a, b);
  }
}
