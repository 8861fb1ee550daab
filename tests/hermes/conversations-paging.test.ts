// The conversation list through the TS API: 120 private conversations (inserted locally, one
// message each, distinct times) with 7 of them pinned, paged 50 at a time (startTime = the
// last conversation's sentTime): each conversation comes exactly once, the pinned ones first,
// each block newest first. removeConversations by types removes the conversations and their
// messages (callback object and listener). Chatroom is refused by the unread and
// do-not-disturb methods that do not support it.
import {
  RCIMIWConversationType,
  RCIMIWMessageDirection,
  RCIMIWMessageType,
  RCIMIWPushNotificationLevel,
  type RCIMIWConversation,
  type RCIMIWEngine,
  type RCIMIWTextMessage,
} from 'react-native-rcim';
import { assertParamError, recorder } from './settings-support';
import {
  GROUP,
  PRIVATE,
  actionCode,
  assert,
  assertEqual,
  destroyAll,
  hostEnv,
  objectCode,
  onlineDevice,
  sleep,
  viaCallback,
} from './support';

const { CHATROOM, SYSTEM } = RCIMIWConversationType;
const TOTAL = 120;
const PINNED = [3, 17, 40, 58, 77, 96, 119];
const PAGE = 50;

const target = (i: number) => `p${String(i).padStart(3, '0')}`;

function conversations(
  e: RCIMIWEngine,
  types: RCIMIWConversationType[],
  startTime = 0,
  count = PAGE
) {
  return viaCallback<RCIMIWConversation[]>('getConversations', (ok, err) =>
    e.getConversations(types, null, startTime, count, { onSuccess: ok, onError: err })
  );
}

/** Inserts one incoming text per conversation (all or nothing per batch). */
async function insert(e: RCIMIWEngine, messages: RCIMIWTextMessage[]): Promise<void> {
  for (let i = 0; i < messages.length; i += 40) {
    const code = await actionCode('insertMessages', (done) =>
      e.insertMessages(messages.slice(i, i + 40), { onMessagesInserted: (c) => done(c) })
    );
    assertEqual(code, 0, `insertMessages batch ${i / 40}`);
  }
}

/** The status of a `load…` call, or the code of its result event. */
async function loadCode(
  start: () => Promise<number>,
  listener: ReturnType<typeof recorder>
): Promise<number> {
  const status = await start();
  if (status !== 0) return status;
  return (await listener.next())[0] as number;
}

export default async function () {
  const env = hostEnv();
  const userA = env.users[0];
  let a: RCIMIWEngine | undefined;
  try {
    a = await onlineDevice(env, userA, 'a-list');
    const base = Date.now() - 3_600_000;
    const text = (type: RCIMIWConversationType, targetId: string, sentTime: number) =>
      ({
        conversationType: type,
        targetId,
        messageType: RCIMIWMessageType.TEXT,
        text: `hello ${targetId}`,
        direction: RCIMIWMessageDirection.RECEIVE,
        senderUserId: targetId,
        sentTime,
      }) as RCIMIWTextMessage;
    // Conversation i's message is older as i grows.
    await insert(
      a,
      Array.from({ length: TOTAL }, (_, i) => text(PRIVATE, target(i), base - i * 1000))
    );
    for (const i of PINNED) {
      assertEqual(
        await actionCode(`pin ${target(i)}`, (done) =>
          a!.changeConversationTopStatus(PRIVATE, target(i), null, true, {
            onConversationTopStatusChanged: done,
          })
        ),
        0,
        `pin ${target(i)}`
      );
      await sleep(50);
    }

    // ── paging
    const seen: RCIMIWConversation[] = [];
    let startTime = 0;
    for (let pages = 0; pages < 10; pages++) {
      const page = await conversations(a, [PRIVATE], startTime);
      assert(page.length <= PAGE, `page of ${page.length}`);
      seen.push(...page);
      if (page.length < PAGE) break;
      startTime = page[page.length - 1].lastMessage?.sentTime ?? 0;
      assert(startTime > 0, 'the last conversation of a page has a sentTime');
    }
    const ids = seen.map((c) => c.targetId!);
    const expected = [
      ...PINNED.map(target),
      ...Array.from({ length: TOTAL }, (_, i) => i)
        .filter((i) => !PINNED.includes(i))
        .map(target),
    ];
    assertEqual(new Set(ids).size, ids.length, 'no conversation twice');
    assertEqual(ids.length, TOTAL, 'every conversation once');
    assertEqual(ids, expected, 'pinned first, each block newest first');
    assertEqual(
      seen.map((c) => Boolean(c.top)),
      expected.map((_, i) => i < PINNED.length),
      'top flags'
    );

    // ── chatroom refusals
    const unreadLoaded = recorder('onUnreadCountLoaded');
    a.setOnUnreadCountLoadedListener(unreadLoaded.fn);
    assertParamError(
      await loadCode(() => a!.loadUnreadCount(CHATROOM, 'room', null), unreadLoaded),
      'loadUnreadCount(CHATROOM)'
    );
    assertParamError(
      await objectCode('getUnreadCount(CHATROOM)', (cb) =>
        a!.getUnreadCount(CHATROOM, 'room', null, cb)
      ),
      'getUnreadCount(CHATROOM)'
    );
    assertParamError(
      await actionCode('clearUnreadCount(CHATROOM)', (done) =>
        a!.clearUnreadCount(CHATROOM, 'room', null, 0, { onUnreadCountCleared: done })
      ),
      'clearUnreadCount(CHATROOM)'
    );
    const blockedLoaded = recorder('onBlockedConversationsLoaded');
    a.setOnBlockedConversationsLoadedListener(blockedLoaded.fn);
    assertParamError(
      await loadCode(() => a!.loadBlockedConversations([PRIVATE, CHATROOM], null), blockedLoaded),
      'loadBlockedConversations([PRIVATE, CHATROOM])'
    );
    assertParamError(
      await objectCode('getBlockedConversations([CHATROOM])', (cb) =>
        a!.getBlockedConversations([CHATROOM], null, cb)
      ),
      'getBlockedConversations([CHATROOM])'
    );
    assertParamError(
      await actionCode('changeConversationTypeNotificationLevel(CHATROOM)', (done) =>
        a!.changeConversationTypeNotificationLevel(CHATROOM, RCIMIWPushNotificationLevel.BLOCKED, {
          onConversationTypeNotificationLevelChanged: done,
        })
      ),
      'changeConversationTypeNotificationLevel(CHATROOM)'
    );

    // ── removeConversations by types
    await insert(a, [text(GROUP, 'g-list', base + 1000), text(SYSTEM, 's-list', base + 2000)]);
    const removed = recorder('onConversationsRemoved');
    a.setOnConversationsRemovedListener(removed.fn);
    assertEqual(
      await actionCode('removeConversations([PRIVATE])', (done) =>
        a!.removeConversations([PRIVATE], null, { onConversationsRemoved: done })
      ),
      0,
      'removeConversations code'
    );
    assertEqual(await removed.next(), [0, [PRIVATE], ''], 'onConversationsRemoved listener');
    const left = await conversations(a, [PRIVATE, GROUP, SYSTEM]);
    assertEqual(
      left.map((c) => c.targetId).sort(),
      ['g-list', 's-list'],
      'only the group and system conversations are left'
    );
    const count = await viaCallback<number>('getMessageCount', (ok, err) =>
      a!.getMessageCount(PRIVATE, target(0), null, { onSuccess: ok, onError: err })
    );
    assertEqual(count, 0, "a removed conversation's messages are deleted");
    assertEqual(
      await actionCode('removeConversations([GROUP, SYSTEM])', (done) =>
        a!.removeConversations([GROUP, SYSTEM], null, { onConversationsRemoved: done })
      ),
      0,
      'removing the rest'
    );
    assertEqual(await conversations(a, [PRIVATE, GROUP, SYSTEM]), [], 'no conversation left');
  } finally {
    await destroyAll(a);
  }
}
