// sendGroupMessageToDesignatedUsers through the TS API, in a group of A, B and C: a message
// for B only reaches B (callback stages onMessageSaved / onMessageSent and the attached / sent
// listeners at A); C gets nothing. Directed messages are kept outside the cloud history: the
// group's REMOTE history at B and at C has the message to everyone sent after it, not the
// directed one. A group read receipt request on the directed message reaches B, not C. A
// non-group message is refused.
import { RCIMIWConversationType, type RCIMIWEngine, type RCIMIWMessage } from 'react-native-rcim';
import { assertParamError, recorder } from './settings-support';
import {
  BEFORE,
  GROUP,
  REMOTE,
  actionCode,
  assertEqual,
  destroyAll,
  hostEnv,
  onlineDevice,
  paceSend,
  page,
  sendText,
  sleep,
  texts,
  twoEngines,
  waitFor,
  waitForAsync,
} from './support';

export default async function () {
  const env = hostEnv();
  const group = env.groups[0].id;
  const userC = env.users[2];
  const { a, b, userB } = await twoEngines(env);
  let c: RCIMIWEngine | undefined;
  try {
    c = await onlineDevice(env, userC, 'c-phone');
    const atB: string[] = [];
    const atC: string[] = [];
    b.setOnMessageReceivedListener((m) => atB.push((m as { text?: string }).text ?? ''));
    c.setOnMessageReceivedListener((m) => atC.push((m as { text?: string }).text ?? ''));

    const attached = recorder('onGroupMessageToDesignatedUsersAttached');
    const sentListener = recorder('onGroupMessageToDesignatedUsersSent');
    a.setOnGroupMessageToDesignatedUsersAttachedListener(attached.fn);
    a.setOnGroupMessageToDesignatedUsersSentListener(sentListener.fn);
    const msg = await a.createTextMessage(GROUP, group, null, 'for B only');
    const stages: string[] = [];
    let sent: { code: number; message: RCIMIWMessage } | undefined;
    await paceSend();
    assertEqual(
      await a.sendGroupMessageToDesignatedUsers(msg, [userB], {
        onMessageSaved: (m) => stages.push(`saved ${m.messageId! > 0}`),
        onMessageSent: (code, message) => (sent = { code, message }),
      }),
      0,
      'directed send status'
    );
    const r = await waitFor('onMessageSent', () => sent);
    assertEqual(r.code, 0, 'directed send code');
    assertEqual(stages, ['saved true'], 'onMessageSaved first');
    const [attachedMessage] = await attached.next();
    assertEqual((attachedMessage as RCIMIWMessage).messageId, r.message.messageId, 'attached');
    const [code, sentMessage] = await sentListener.next();
    assertEqual(
      [code, (sentMessage as RCIMIWMessage).messageUId],
      [0, r.message.messageUId],
      'sent listener'
    );

    await waitFor('B receives it', () => atB.includes('for B only'));
    // A message to the whole group afterwards: C sees it, and nothing before it.
    await sendText(a, group, 'for everyone', GROUP);
    await waitFor('C receives the group message', () => atC.includes('for everyone'));
    assertEqual(atC, ['for everyone'], 'C never got the directed message');

    // ── cloud history: the message to everyone is there, the directed one is not, neither
    // for the member it named nor for one it did not.
    for (const [e, who] of [
      [b, 'B (named)'],
      [c, 'C (not named)'],
    ] as Array<[RCIMIWEngine, string]>) {
      const cloud = await waitForAsync(
        `${who}: the group's cloud history has the text`,
        async () => {
          const got = texts(await page(e, GROUP, group, 0, BEFORE, REMOTE, 20, `${who} REMOTE`));
          return got.includes('for everyone') && got;
        }
      );
      assertEqual(
        cloud.includes('for B only'),
        false,
        `${who}: the directed message is not in the cloud history: ${JSON.stringify(cloud)}`
      );
    }

    // ── a group read receipt request on the directed message goes to its recipients only
    const requestAtB = recorder('onGroupMessageReadReceiptRequestReceived at B');
    const requestAtC = recorder('onGroupMessageReadReceiptRequestReceived at C');
    b.setOnGroupMessageReadReceiptRequestReceivedListener(requestAtB.fn);
    c.setOnGroupMessageReadReceiptRequestReceivedListener(requestAtC.fn);
    assertEqual(
      await actionCode('sendGroupReadReceiptRequest on the directed message', (done) =>
        a.sendGroupReadReceiptRequest(r.message, {
          onGroupReadReceiptRequestSent: (code2) => done(code2),
        })
      ),
      0,
      'receipt request code'
    );
    assertEqual(
      await requestAtB.next(),
      [group, r.message.messageUId],
      'B (named) gets the receipt request'
    );
    // B has had it; C's would have come with it. A moment more for a slower inbox.
    await sleep(1500);
    assertEqual(requestAtC.calls, [], 'C (not named) gets no receipt request');

    const privateMsg = await a.createTextMessage(RCIMIWConversationType.PRIVATE, userB, null, 'x');
    assertParamError(
      await actionCode('directed private message', (done) =>
        a.sendGroupMessageToDesignatedUsers(privateMsg, [userB], {
          onMessageSent: (c2) => done(c2),
        })
      ),
      'sendGroupMessageToDesignatedUsers(PRIVATE)'
    );
  } finally {
    await destroyAll(a, b, c);
  }
}
