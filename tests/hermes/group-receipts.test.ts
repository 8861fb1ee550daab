// Group read receipts through the TS API with three members: A asks for receipts of its group
// message (callback object and listener); B and C get the request, each responds with its own
// copy of the message; A gets onGroupMessageReadReceiptResponseReceived first with B, then
// with both responders (a Map of userId -> time), and A's stored message carries them in its
// groupReadReceiptInfo while the responders' copies say they responded.
import { type RCIMIWEngine, type RCIMIWMessage } from 'react-native-rcim';
import { recorder } from './settings-support';
import {
  GROUP,
  actionCode,
  assert,
  assertEqual,
  destroyAll,
  hostEnv,
  onlineDevice,
  sendText,
  twoEngines,
  viaCallback,
  waitForAsync,
} from './support';

function byUId(e: RCIMIWEngine, uid: string) {
  return viaCallback<RCIMIWMessage>('getMessageByUId', (ok, err) =>
    e.getMessageByUId(uid, { onSuccess: ok, onError: err })
  );
}

export default async function () {
  const env = hostEnv();
  const group = env.groups[0].id;
  const userC = env.users[2];
  const { a, b, userB } = await twoEngines(env);
  let c: RCIMIWEngine | undefined;
  try {
    c = await onlineDevice(env, userC, 'c-phone');
    const message = await sendText(a, group, 'please confirm', GROUP);
    const uid = message.messageUId!;
    for (const e of [b, c]) {
      await waitForAsync('the members have the message', async () => {
        try {
          return (await byUId(e, uid)).messageUId === uid;
        } catch {
          return false;
        }
      });
    }

    const requestAtB = recorder('onGroupMessageReadReceiptRequestReceived at B');
    const requestAtC = recorder('onGroupMessageReadReceiptRequestReceived at C');
    b.setOnGroupMessageReadReceiptRequestReceivedListener(requestAtB.fn);
    c.setOnGroupMessageReadReceiptRequestReceivedListener(requestAtC.fn);
    const requestSent = recorder('onGroupReadReceiptRequestSent');
    a.setOnGroupReadReceiptRequestSentListener(requestSent.fn);
    let requestCb: RCIMIWMessage | undefined;
    assertEqual(
      await actionCode('sendGroupReadReceiptRequest', (done) =>
        a.sendGroupReadReceiptRequest(message, {
          onGroupReadReceiptRequestSent: (code, m) => {
            requestCb = m;
            done(code);
          },
        })
      ),
      0,
      'request code'
    );
    assertEqual(requestCb?.messageUId, uid, 'request callback message');
    const [listenerCode, listenerMessage] = await requestSent.next();
    assertEqual(
      [listenerCode, (listenerMessage as RCIMIWMessage).messageUId],
      [0, uid],
      'request listener'
    );
    assertEqual(await requestAtB.next(), [group, uid], 'B gets the request');
    assertEqual(await requestAtC.next(), [group, uid], 'C gets the request');

    const responses = recorder('onGroupMessageReadReceiptResponseReceived');
    a.setOnGroupMessageReadReceiptResponseReceivedListener(responses.fn);
    const responders: Array<[RCIMIWEngine, string]> = [
      [b, userB],
      [c, userC],
    ];
    for (const [e, who] of responders) {
      const copy = await byUId(e, uid);
      assertEqual(copy.groupReadReceiptInfo?.readReceiptMessage, true, `${who}: requested`);
      const sent = recorder('onGroupReadReceiptResponseSent');
      e.setOnGroupReadReceiptResponseSentListener(sent.fn);
      let answered: RCIMIWMessage[] | undefined;
      assertEqual(
        await actionCode(`${who} responds`, (done) =>
          e.sendGroupReadReceiptResponse(group, null, [copy], {
            onGroupReadReceiptResponseSent: (code, ms) => {
              answered = ms;
              done(code);
            },
          })
        ),
        0,
        `${who}: response code`
      );
      assertEqual(
        answered?.map((m) => m.messageUId),
        [uid],
        `${who}: response callback messages`
      );
      const [code, target, channel, ms] = await sent.next();
      assertEqual(
        [code, target, channel, (ms as RCIMIWMessage[]).map((m) => m.messageUId)],
        [0, group, '', [uid]],
        `${who}: response listener`
      );
      const mine = await byUId(e, uid);
      assertEqual(mine.groupReadReceiptInfo?.hasRespond, true, `${who}: hasRespond`);
    }

    const [t1, u1, first] = await responses.next('the first response');
    assertEqual([t1, u1], [group, uid], 'first response event');
    assertEqual(
      (first as Array<[string, number]>).map(([u]) => u),
      [userB],
      'first response: B'
    );
    const [, , both] = await responses.next('both responses');
    const pairs = both as Array<[string, number]>;
    assertEqual(
      pairs.map(([u]) => u),
      [userB, userC].sort(),
      'both responders'
    );
    assert(
      pairs.every(([, time]) => typeof time === 'number' && time > 0),
      'response times'
    );

    const own = await waitForAsync('A stores both responses', async () => {
      const m = await byUId(a, uid);
      const ids = Object.keys(m.groupReadReceiptInfo?.respondUserIds ?? {});
      return ids.length === 2 && m;
    });
    assertEqual(own.groupReadReceiptInfo?.readReceiptMessage, true, 'A: readReceiptMessage');
    assertEqual(
      Object.keys(own.groupReadReceiptInfo!.respondUserIds!).sort(),
      [userB, userC].sort(),
      "A's respondUserIds"
    );
  } finally {
    await destroyAll(a, b, c);
  }
}
