// A wrong argument type resolves the Promise with 1 (PARAM_ERROR) and fires nothing.
import {
  RCIMIWErrorCode,
  RCIMIWMessageOperationPolicy,
  RCIMIWTimeOrder,
  type RCIMIWConversationType,
  type RCIMIWMessage,
} from 'react-native-rcim';
import { PRIVATE, assertEqual, destroyAll, hostEnv, sleep, twoEngines } from './support';

export default async function () {
  const env = hostEnv();
  const { a, b, userB } = await twoEngines(env);
  try {
    const fired: string[] = [];
    a.setOnMessageAttachedListener(() => fired.push('attached'));
    a.setOnMessageSentListener(() => fired.push('sent'));
    a.setOnMessagesLoadedListener(() => fired.push('messagesLoaded'));
    a.setOnConversationsLoadedListener(() => fired.push('conversationsLoaded'));
    a.setOnUnreadCountLoadedListener(() => fired.push('unreadLoaded'));
    a.setOnUnreadCountClearedListener(() => fired.push('unreadCleared'));
    a.setOnDraftMessageSavedListener(() => fired.push('draftSaved'));
    a.setOnMessagesSearchedListener(() => fired.push('searched'));
    a.setOnUnreadCountByConversationTypesLoadedListener(() => fired.push('unreadByTypes'));
    b.setOnMessageReceivedListener(() => fired.push('B received'));
    const cb = (name: string) => ({
      onSuccess: () => fired.push(`${name}.onSuccess`),
      onError: () => fired.push(`${name}.onError`),
    });

    const PARAM = RCIMIWErrorCode.PARAM_ERROR;
    const bad = <T>(v: unknown) => v as T;

    assertEqual(
      await a.sendMessage(bad<RCIMIWMessage>(12345), {
        onMessageSaved: () => fired.push('saved'),
        onMessageSent: () => fired.push('cb sent'),
      }),
      PARAM,
      'sendMessage(number)'
    );
    assertEqual(
      await a.getMessages(
        PRIVATE,
        userB,
        null,
        0,
        RCIMIWTimeOrder.BEFORE,
        RCIMIWMessageOperationPolicy.LOCAL,
        bad<number>('20'),
        cb('getMessages')
      ),
      PARAM,
      'getMessages(count as string)'
    );
    assertEqual(
      await a.loadMessages(
        PRIVATE,
        bad<string>(42),
        null,
        0,
        RCIMIWTimeOrder.BEFORE,
        RCIMIWMessageOperationPolicy.LOCAL,
        20
      ),
      PARAM,
      'loadMessages(targetId as number)'
    );
    assertEqual(
      await a.loadConversations(bad<RCIMIWConversationType[]>('private'), null, 0, 20),
      PARAM,
      'loadConversations(types as string)'
    );
    assertEqual(
      await a.getUnreadCount(bad<RCIMIWConversationType>('1'), userB, null, cb('getUnreadCount')),
      PARAM,
      'getUnreadCount(type as string)'
    );
    assertEqual(
      await a.clearUnreadCount(PRIVATE, userB, null, bad<number>('0')),
      PARAM,
      'clearUnreadCount(timestamp as string)'
    );
    assertEqual(
      await a.createTextMessage(PRIVATE, userB, null, bad<string>(7)),
      bad<never>(PARAM),
      'createTextMessage(text as number)'
    );
    assertEqual(await a.connect(bad<string>(1), 0), PARAM, 'connect(token as number)');
    assertEqual(
      await a.saveDraftMessage(PRIVATE, userB, null, bad<string>(3), {
        onDraftMessageSaved: () => fired.push('cb draftSaved'),
      }),
      PARAM,
      'saveDraftMessage(draft as number)'
    );
    assertEqual(
      await a.searchMessages(PRIVATE, userB, null, 'x', 0, 51, cb('searchMessages')),
      PARAM,
      'searchMessages(count 51)'
    );
    assertEqual(
      await a.getUnreadCountByConversationTypes(
        [PRIVATE],
        null,
        bad<boolean>('yes'),
        cb('byTypes')
      ),
      PARAM,
      'getUnreadCountByConversationTypes(contain as string)'
    );

    await sleep(300);
    assertEqual(fired, [], 'nothing fired for rejected calls');
  } finally {
    await destroyAll(a, b);
  }
}
