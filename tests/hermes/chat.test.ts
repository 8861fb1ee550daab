// Two engines chat: A's onMessageAttached then onMessageSent (with the right message objects),
// B's onMessageReceived with the text.
import {
  RCIMIWMessageDirection,
  RCIMIWMessageType,
  RCIMIWSentStatus,
  type RCIMIWMessage,
  type RCIMIWTextMessage,
} from 'react-native-rcim';
import { PRIVATE, assert, assertEqual, destroyAll, hostEnv, twoEngines, waitFor } from './support';

export default async function () {
  const env = hostEnv();
  const { a, b, userA, userB } = await twoEngines(env);
  try {
    const events: string[] = [];
    let attached: RCIMIWMessage | undefined;
    let sent: { code: number; message: RCIMIWMessage } | undefined;
    const received: Array<{
      m: RCIMIWMessage;
      left: number;
      offline: boolean;
      hasPackage: boolean;
    }> = [];
    a.setOnMessageAttachedListener((m) => {
      events.push('attached');
      attached = m;
    });
    a.setOnMessageSentListener((code, m) => {
      events.push('sent');
      sent = { code, message: m };
    });
    b.setOnMessageReceivedListener((m, left, offline, hasPackage) => {
      received.push({ m, left, offline, hasPackage });
    });

    const cbEvents: string[] = [];
    const text = await a.createTextMessage(PRIVATE, userB, null, 'hello from A');
    assertEqual(text.text, 'hello from A', 'created text');
    assertEqual(text.messageType, RCIMIWMessageType.TEXT, 'created messageType');
    assertEqual(text.conversationType, PRIVATE, 'created conversationType');
    assertEqual(text.targetId, userB, 'created targetId');

    const status = await a.sendMessage(text, {
      onMessageSaved: () => cbEvents.push('saved'),
      onMessageSent: (code) => cbEvents.push(`sent:${code}`),
    });
    assertEqual(status, 0, 'sendMessage status');

    await waitFor('A onMessageSent', () => sent);
    assertEqual(events, ['attached', 'sent'], 'A listener order');
    await waitFor('callback onMessageSent', () => cbEvents.length === 2);
    assertEqual(cbEvents, ['saved', 'sent:0'], 'callback order');

    assert(attached, 'attached message');
    const att = attached as RCIMIWTextMessage;
    assertEqual(att.text, 'hello from A', 'attached text');
    assertEqual(att.targetId, userB, 'attached targetId');
    assertEqual(att.conversationType, PRIVATE, 'attached conversationType');
    assertEqual(att.direction, RCIMIWMessageDirection.SEND, 'attached direction');
    assert(
      typeof att.messageId === 'number' && att.messageId > 0,
      `attached messageId ${att.messageId}`
    );

    assert(sent, 'sent');
    const s = sent.message as RCIMIWTextMessage;
    assertEqual(sent.code, 0, 'onMessageSent code');
    assertEqual(s.sentStatus, RCIMIWSentStatus.SENT, 'sent sentStatus');
    assert(typeof s.messageUId === 'string' && s.messageUId.length > 0, 'sent messageUId set');
    assertEqual(s.messageId, att.messageId, 'sent messageId = attached messageId');
    assertEqual(s.text, 'hello from A', 'sent text');
    assertEqual(s.senderUserId, userA, 'sent senderUserId');
    assert(typeof s.sentTime === 'number' && s.sentTime > 0, 'sent sentTime');

    await waitFor('B onMessageReceived', () => received.length > 0);
    const r = received[0].m as RCIMIWTextMessage;
    assertEqual(r.text, 'hello from A', 'received text');
    assertEqual(r.messageType, RCIMIWMessageType.TEXT, 'received messageType');
    assertEqual(r.conversationType, PRIVATE, 'received conversationType');
    assertEqual(r.targetId, userA, 'received targetId (the peer)');
    assertEqual(r.senderUserId, userA, 'received senderUserId');
    assertEqual(r.direction, RCIMIWMessageDirection.RECEIVE, 'received direction');
    assertEqual(r.messageUId, s.messageUId, 'received messageUId = sent messageUId');
    assertEqual(received[0].left, 0, 'received left');
    assertEqual(received[0].hasPackage, false, 'received hasPackage');

    // and back: B answers, A receives
    const back: string[] = [];
    a.setOnMessageReceivedListener((m) => back.push((m as RCIMIWTextMessage).text ?? ''));
    const reply = await b.createTextMessage(PRIVATE, userA, null, 'hi A, B here');
    assertEqual(await b.sendMessage(reply), 0, 'B sendMessage status');
    await waitFor('A onMessageReceived', () => back.length > 0);
    assertEqual(back, ['hi A, B here'], 'A received');
  } finally {
    await destroyAll(a, b);
  }
}
