// Private read receipts through the TS API: A sends two messages to B, B sends a read receipt
// up to the first one (callback object and listener), A gets onPrivateReadReceiptReceived and
// only its first message becomes READ.
import { RCIMIWSentStatus, type RCIMIWMessage } from 'react-native-rcim';
import {
  assertEqual,
  destroyAll,
  hostEnv,
  sendText,
  twoEngines,
  viaCallback,
  waitFor,
} from './support';

export default async function () {
  const env = hostEnv();
  const { a, b, userA, userB } = await twoEngines(env);
  try {
    const receivedByB: RCIMIWMessage[] = [];
    const receiptsByA: Array<{ targetId: string; channelId: string; timestamp: number }> = [];
    const receiptsByB: unknown[] = [];
    const sentByB: Array<{ code: number; targetId: string; timestamp: number }> = [];
    b.setOnMessageReceivedListener((m) => receivedByB.push(m));
    a.setOnPrivateReadReceiptReceivedListener((targetId, channelId, timestamp) =>
      receiptsByA.push({ targetId, channelId, timestamp })
    );
    b.setOnPrivateReadReceiptReceivedListener((...args) => receiptsByB.push(args));
    b.setOnPrivateReadReceiptMessageSentListener((code, targetId, _channelId, timestamp) =>
      sentByB.push({ code, targetId, timestamp })
    );

    const first = await sendText(a, userB, 'one');
    const second = await sendText(a, userB, 'two');
    await waitFor('B received both', () => receivedByB.length >= 2);

    const firstTime = first.sentTime ?? 0;
    let code: number | undefined;
    assertEqual(
      await b.sendPrivateReadReceiptMessage(userA, null, firstTime, {
        onPrivateReadReceiptMessageSent: (c) => (code = c),
      }),
      0,
      'sendPrivateReadReceiptMessage status'
    );
    await waitFor('B onPrivateReadReceiptMessageSent', () => code !== undefined);
    assertEqual(code, 0, 'receipt callback code');
    await waitFor('B listener', () => sentByB.length > 0);
    assertEqual(sentByB[0], { code: 0, targetId: userA, timestamp: firstTime }, 'B listener');

    await waitFor('A onPrivateReadReceiptReceived', () => receiptsByA.length > 0);
    assertEqual(receiptsByA[0].targetId, userB, 'receipt targetId (the reader)');
    assertEqual(receiptsByA[0].timestamp, firstTime, 'receipt timestamp');

    const status = async (m: RCIMIWMessage) =>
      (
        await viaCallback<RCIMIWMessage>('A getMessageById', (ok, err) =>
          a.getMessageById(m.messageId ?? -1, { onSuccess: ok, onError: err })
        )
      ).sentStatus;
    assertEqual(await status(first), RCIMIWSentStatus.READ, 'first message READ');
    assertEqual(await status(second), RCIMIWSentStatus.SENT, 'second message still SENT');
    assertEqual(receiptsByB.length, 0, 'the reader gets no receipt event');
  } finally {
    await destroyAll(a, b);
  }
}
