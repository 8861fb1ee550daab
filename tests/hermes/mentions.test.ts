// Mentions (R129–R131) through the TS API, in the runner's group of A, B and C:
// * A sends "@B" (PART [B]), "@all" (ALL), a plain text and "@C" (PART [C]); mentionedInfo
//   (type, userIdList, mentionedContent), `extra` (R070) reach the receivers (`pushOptions` do not, R069);
// * B's conversation has unreadCount 4 and mentionedCount 2 (C's: 2, A's own: 0); the
//   unread-mentioned count and messages agree, through callbacks and listeners;
// * a recalled mention stops counting; reading the conversation (clearUnreadCount) clears
//   both; a private message's mentionedInfo never counts.
import {
  RCIMIWMentionedType,
  type RCIMIWConversation,
  type RCIMIWEngine,
  type RCIMIWMessage,
  type RCIMIWTextMessage,
} from 'react-native-rcim';
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
  texts,
  viaCallback,
  waitFor,
  waitForAsync,
} from './support';

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
    c = await onlineDevice(env, userC, 'c');
    const receivedByB: RCIMIWMessage[] = [];
    const receivedByC: RCIMIWMessage[] = [];
    b.setOnMessageReceivedListener((m) => receivedByB.push(m));
    c.setOnMessageReceivedListener((m) => receivedByC.push(m));

    const mention = async (
      text: string,
      type: RCIMIWMentionedType,
      userIdList: string[],
      extra?: string
    ) => {
      const m = await a!.createTextMessage(GROUP, group.id, null, text);
      m.mentionedInfo = { type, userIdList, mentionedContent: `${text} (push)` };
      if (extra !== undefined) {
        m.extra = extra;
        m.pushOptions = { pushData: `data: ${extra}`, pushTitle: 'title' };
      }
      await paceSend();
      return viaCallback<RCIMIWMessage>(`send ${text}`, (ok, err) =>
        a!.sendMessage(m, { onMessageSent: (code, sent) => (code === 0 ? ok(sent) : err(code)) })
      );
    };
    await mention('@B', RCIMIWMentionedType.PART, [userB], 'extra for B');
    const all = await mention('@all', RCIMIWMentionedType.ALL, []);
    await sendText(a, group.id, 'plain', GROUP);
    await mention('@C', RCIMIWMentionedType.PART, [userC]);
    const gotAll = (ms: RCIMIWMessage[]) => () =>
      ms.some((m) => (m as RCIMIWTextMessage).text === '@C');
    await waitFor('B received the 4', gotAll(receivedByB));
    await waitFor('C received the 4', gotAll(receivedByC));

    const atB = receivedByB[0] as RCIMIWTextMessage;
    assertEqual(atB.text, '@B', 'first message at B');
    const info = atB.mentionedInfo;
    assertEqual(
      [info?.type, info?.userIdList, info?.mentionedContent],
      [RCIMIWMentionedType.PART, [userB], '@B (push)'],
      'mentionedInfo at B (API shape: PART = 1)'
    );
    assertEqual(atB.extra, 'extra for B', 'extra reaches the receiver (R070)');
    assertEqual(atB.pushOptions, undefined, 'only the sender sees pushOptions (R069)');
    assertEqual(
      receivedByB[1].mentionedInfo?.type,
      RCIMIWMentionedType.ALL,
      'ALL = 0 at the receiver'
    );

    const conversation = (engine: RCIMIWEngine, what: string) =>
      viaCallback<RCIMIWConversation>(what, (ok, err) =>
        engine.getConversation(GROUP, group.id, null, { onSuccess: ok, onError: err })
      );
    const convB = await conversation(b, 'B getConversation');
    assertEqual([convB.unreadCount, convB.mentionedCount], [4, 2], 'B unread and mentioned');
    assertEqual((await conversation(c, 'C getConversation')).mentionedCount, 2, 'C mentioned');
    assertEqual((await conversation(a, 'A getConversation')).mentionedCount, 0, 'A (sender)');
    const listB = await viaCallback<RCIMIWConversation[]>('B getConversations', (ok, err) =>
      b!.getConversations([GROUP], null, 0, 20, { onSuccess: ok, onError: err })
    );
    assertEqual(listB[0]?.mentionedCount, 2, 'mentionedCount in the conversation list');

    const mentionedCount = (engine: RCIMIWEngine) =>
      viaCallback<number>('getUnreadMentionedCount', (ok, err) =>
        engine.getUnreadMentionedCount(GROUP, group.id, null, { onSuccess: ok, onError: err })
      );
    const mentionedMessages = (engine: RCIMIWEngine) =>
      viaCallback<RCIMIWMessage[]>('getUnreadMentionedMessages', (ok, err) =>
        engine.getUnreadMentionedMessages(GROUP, group.id, null, { onSuccess: ok, onError: err })
      );
    assertEqual(await mentionedCount(b), 2, 'B unread-mentioned count');
    assertEqual(texts(await mentionedMessages(b)).sort(), ['@B', '@all'], 'B mentioned messages');
    assertEqual(texts(await mentionedMessages(c)).sort(), ['@C', '@all'], 'C mentioned messages');

    // The deprecated load… twins answer through the listeners.
    const loadedCount: Array<[number, string, number]> = [];
    b.setOnUnreadMentionedCountLoadedListener((code, _type, targetId, _channelId, count) =>
      loadedCount.push([code, targetId, count])
    );
    assertEqual(await b.loadUnreadMentionedCount(GROUP, group.id, null), 0, 'load status');
    await waitFor('onUnreadMentionedCountLoaded', () => loadedCount.length > 0);
    assertEqual(loadedCount[0], [0, group.id, 2], 'onUnreadMentionedCountLoaded');
    const loadedMessages: Array<[number, string, number]> = [];
    b.setOnUnreadMentionedMessagesLoadedListener((code, _type, targetId, _channelId, messages) =>
      loadedMessages.push([code, targetId, messages.length])
    );
    assertEqual(await b.loadUnreadMentionedMessages(GROUP, group.id, null), 0, 'load status');
    await waitFor('onUnreadMentionedMessagesLoaded', () => loadedMessages.length > 0);
    assertEqual(loadedMessages[0], [0, group.id, 2], 'onUnreadMentionedMessagesLoaded');

    // A recalled mention stops counting.
    let recalled: number | undefined;
    assertEqual(
      await a.recallMessage(all, { onMessageRecalled: (code) => (recalled = code) }),
      0,
      'recall status'
    );
    await waitFor('onMessageRecalled', () => recalled !== undefined);
    assertEqual(recalled, 0, 'recall code');
    await waitForAsync('B mention count after the recall', async () => {
      const conv = await conversation(b!, 'B getConversation after recall');
      return conv.mentionedCount === 1 && conv.unreadCount === 3;
    });
    assertEqual(await mentionedCount(b), 1, 'B unread-mentioned count after the recall');

    // Reading clears them.
    let cleared: number | undefined;
    assertEqual(
      await b.clearUnreadCount(GROUP, group.id, null, 0, {
        onUnreadCountCleared: (code) => (cleared = code),
      }),
      0,
      'clearUnreadCount status'
    );
    await waitFor('onUnreadCountCleared', () => cleared !== undefined);
    const read = await conversation(b, 'B getConversation after reading');
    assertEqual([read.unreadCount, read.mentionedCount], [0, 0], 'B after reading');
    assertEqual(await mentionedCount(b), 0, 'B unread-mentioned count after reading');
    assertEqual(await mentionedMessages(b), [], 'no unread mentioned messages after reading');

    // Only group messages count (R129).
    const p = await a.createTextMessage(PRIVATE, userB, null, 'private @');
    p.mentionedInfo = { type: RCIMIWMentionedType.ALL, userIdList: [] };
    await paceSend();
    await viaCallback<RCIMIWMessage>('send private @', (ok, err) =>
      a!.sendMessage(p, { onMessageSent: (code, sent) => (code === 0 ? ok(sent) : err(code)) })
    );
    await waitFor('B received the private one', () =>
      receivedByB.find((m) => (m as RCIMIWTextMessage).text === 'private @')
    );
    const privateConv = await viaCallback<RCIMIWConversation>('B private', (ok, err) =>
      b!.getConversation(PRIVATE, userA, null, { onSuccess: ok, onError: err })
    );
    assertEqual(
      [privateConv.unreadCount, privateConv.mentionedCount],
      [1, 0],
      'a private mention does not count'
    );
  } finally {
    await destroyAll(a, b, c);
  }
}
