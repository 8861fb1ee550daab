// sendGroupMessageToDesignatedUsers through the TS API, in a group of A, B and C: a message
// for B only reaches B (callback stages onMessageSaved / onMessageSent and the attached / sent
// listeners at A); C gets nothing. A non-group message is refused.
import { RCIMIWConversationType, type RCIMIWEngine, type RCIMIWMessage } from 'react-native-rcim';
import { assertParamError, recorder } from './settings-support';
import {
  GROUP,
  actionCode,
  assertEqual,
  destroyAll,
  hostEnv,
  onlineDevice,
  paceSend,
  sendText,
  twoEngines,
  waitFor,
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
