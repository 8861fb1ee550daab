// Recall per the seed (R112–R115) with the server's default (anyone may recall; the "only the
// sender" setting is tested by recall.test.ts):
// * in the runner's group, B recalls A's message: onMessageRecalled(0) with a RECALL record
//   (callback and listener), A gets onRemoteMessageRecalled, every online copy is the record;
// * in a private chat, B recalls A's message too;
// * C, offline during the recall, connects afterwards: nothing it receives or stores, and
//   nothing the server's history gives it, holds the original content — only the record.
import { RCIMIWMessageType, type RCIMIWEngine, type RCIMIWMessage } from 'react-native-rcim';
import {
  BEFORE,
  GROUP,
  PRIVATE,
  REMOTE,
  assert,
  assertEqual,
  connect,
  destroyAll,
  deviceEngine,
  hostEnv,
  onlineDevice,
  page,
  sendText,
  sleep,
  viaCallback,
  waitFor,
  waitForLocalHistory,
} from './support';

const SECRET = 'the secret 机密';

export default async function () {
  const env = hostEnv();
  const group = env.groups[0];
  assert(group && group.members.length >= 3, 'RCIM_GROUPS holds a group of three');
  const [userA, userB, userC] = group.members;
  let a: RCIMIWEngine | undefined;
  let b: RCIMIWEngine | undefined;
  let c: RCIMIWEngine | undefined;
  try {
    a = await onlineDevice(env, userA, 'a');
    b = await onlineDevice(env, userB, 'b');
    const receivedByB: RCIMIWMessage[] = [];
    b.setOnMessageReceivedListener((m) => receivedByB.push(m));
    const remoteByA: RCIMIWMessage[] = [];
    a.setOnRemoteMessageRecalledListener((m) => remoteByA.push(m));
    const remoteByB: RCIMIWMessage[] = [];
    b.setOnRemoteMessageRecalledListener((m) => remoteByB.push(m));

    const sent = await sendText(a, group.id, SECRET, GROUP);
    await sendText(a, group.id, 'after the secret', GROUP);
    const privateSent = await sendText(a, userB, `${SECRET} (private)`);
    await waitFor('B received the three', () => receivedByB.length >= 3);
    const atB = receivedByB.find((m) => m.messageUId === sent.messageUId);
    const privateAtB = receivedByB.find((m) => m.messageUId === privateSent.messageUId);
    assert(atB && privateAtB, 'B has both copies');

    // ── B (not the sender) recalls A's group message
    const listenerB: Array<[number, RCIMIWMessage]> = [];
    b.setOnMessageRecalledListener((code, message) => listenerB.push([code, message]));
    const record = await viaCallback<RCIMIWMessage>('B recalls A’s group message', (ok, err) =>
      b!.recallMessage(atB, {
        onMessageRecalled: (code, message) => (code === 0 ? ok(message) : err(code)),
      })
    );
    assertEqual(record.messageType, RCIMIWMessageType.RECALL, 'B’s record messageType');
    assertEqual(record.messageUId, sent.messageUId, 'B’s record uid');
    assertEqual(record.messageId, atB.messageId, 'B’s record replaces its copy');
    await waitFor('B listener', () => listenerB.length > 0);
    assertEqual(listenerB[0][0], 0, 'B listener code');
    await waitFor('A onRemoteMessageRecalled', () =>
      remoteByA.find((m) => m.messageUId === sent.messageUId)
    );
    const byId = (engine: RCIMIWEngine, id: number) =>
      viaCallback<RCIMIWMessage>('getMessageById', (ok, err) =>
        engine.getMessageById(id, { onSuccess: ok, onError: err })
      );
    assertEqual(
      (await byId(a, sent.messageId ?? -1)).messageType,
      RCIMIWMessageType.RECALL,
      'A’s stored copy is the record'
    );
    assertEqual(remoteByB.length, 0, 'the recaller gets no remote event');

    // ── and A's private message
    const privateRecord = await viaCallback<RCIMIWMessage>('B recalls a private one', (ok, err) =>
      b!.recallMessage(privateAtB, {
        onMessageRecalled: (code, message) => (code === 0 ? ok(message) : err(code)),
      })
    );
    assertEqual(privateRecord.messageType, RCIMIWMessageType.RECALL, 'private record');
    await waitFor('A onRemoteMessageRecalled (private)', () =>
      remoteByA.find((m) => m.messageUId === privateSent.messageUId)
    );

    // ── C was offline: the original content never reaches it
    c = deviceEngine(env, 'c');
    const seenByC: RCIMIWMessage[] = [];
    c.setOnMessageReceivedListener((m) => seenByC.push(m));
    c.setOnRemoteMessageRecalledListener((m) => seenByC.push(m));
    assertEqual(await connect(c, env.tokens[userC]), userC, 'C userId');
    const local = await waitForLocalHistory(c, GROUP, group.id, 'C synced the group', (t) =>
      t.includes('after the secret')
    );
    await sleep(300);
    const leaks = (ms: RCIMIWMessage[]) =>
      ms.filter((m) => JSON.stringify(m).includes('secret 机密'));
    assertEqual(leaks(seenByC).length, 0, 'nothing C received holds the original');
    assertEqual(leaks(local).length, 0, 'nothing C stored holds the original');
    const cCopy = local.find((m) => m.messageUId === sent.messageUId);
    if (cCopy) assertEqual(cCopy.messageType, RCIMIWMessageType.RECALL, 'C’s copy is the record');
    const cloud = await page(c, GROUP, group.id, 0, BEFORE, REMOTE, 20, 'C cloud history');
    assertEqual(leaks(cloud).length, 0, 'nothing in C’s cloud history holds the original');
    const cloudCopy = cloud.find((m) => m.messageUId === sent.messageUId);
    assert(cloudCopy, 'the recalled message is in the cloud history as its record');
    assertEqual(cloudCopy.messageType, RCIMIWMessageType.RECALL, 'cloud copy is the record');
    const aCloud = await page(a, PRIVATE, userB, 0, BEFORE, REMOTE, 20, 'A private cloud history');
    assertEqual(leaks(aCloud).length, 0, 'A’s private cloud history holds the record only');
  } finally {
    await destroyAll(a, b, c);
  }
}
