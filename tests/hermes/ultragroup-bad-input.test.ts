// Argument refusals of the ultra-group methods (1, at once or through the callback object) and
// the server's codes for calls that are well formed but not allowed: a channel id of more than
// 20 characters, an empty group id, another conversation type (R218), empty lists and maps,
// a message of another conversation; the default level of an unknown channel (24414), of a
// group the user is not in (24406).
import {
  RCIMIWErrorCode,
  RCIMIWPushNotificationLevel,
  RCIMIWUltraGroupTypingStatus,
  type RCIMIWConversation,
  type RCIMIWMessage,
} from 'react-native-rcim';
import { PRIVATE, actionCode, assertEqual, hostEnv } from './support';
import {
  UG,
  ULTRA,
  createUltraGroup,
  destroyMembers,
  getCode,
  groupId,
  members,
  say,
  trySay,
} from './ultragroup-support';

const PARAM_ERROR = RCIMIWErrorCode.PARAM_ERROR;
const LONG = 'c'.repeat(21);

export default async function () {
  const env = hostEnv();
  const [userA, userB] = env.users;
  const group = groupId(env, 'bad');
  await createUltraGroup(group, [userA, userB], [{ id: 'news' }]);
  const all = await members(env, 0, 3);
  const [a, d] = all;
  try {
    const e = a.engine;
    const sent = await say(a, group, 'news', 'hello');
    const uid = sent.messageUId!;
    const privateMessage = await e.createTextMessage(PRIVATE, userB, null, 'not ultra');
    const refusals: Array<[string, Promise<number>]> = [
      [
        'getConversationsForAllChannel(PRIVATE)',
        getCode<RCIMIWConversation[]>('x', (cb) =>
          e.getConversationsForAllChannel(PRIVATE, group, cb)
        ),
      ],
      [
        'getConversationsForAllChannel("")',
        getCode<RCIMIWConversation[]>('x', (cb) => e.getConversationsForAllChannel(ULTRA, '', cb)),
      ],
      ['loadConversationsForAllChannel(PRIVATE)', e.loadConversationsForAllChannel(PRIVATE, group)],
      [
        'getUltraGroupUnreadCount("")',
        getCode<number>('x', (cb) => e.getUltraGroupUnreadCount('', cb)),
      ],
      [
        'getUltraGroupUnreadMentionedCount(number)',
        getCode<number>('x', (cb) =>
          e.getUltraGroupUnreadMentionedCount(5 as unknown as string, cb)
        ),
      ],
      [
        'syncUltraGroupReadStatus(long channel)',
        actionCode('x', (done) =>
          e.syncUltraGroupReadStatus(group, LONG, 0, { onUltraGroupReadStatusSynced: done })
        ),
      ],
      [
        'syncUltraGroupReadStatus("")',
        actionCode('x', (done) =>
          e.syncUltraGroupReadStatus('', 'news', 0, { onUltraGroupReadStatusSynced: done })
        ),
      ],
      [
        'sendUltraGroupTypingStatus("")',
        actionCode('x', (done) =>
          e.sendUltraGroupTypingStatus('', 'news', RCIMIWUltraGroupTypingStatus.TEXT, {
            onUltraGroupTypingStatusSent: done,
          })
        ),
      ],
      [
        'clearUltraGroupMessages(long channel)',
        actionCode('x', (done) =>
          e.clearUltraGroupMessages(group, LONG, 0, 0, { onUltraGroupMessagesCleared: done })
        ),
      ],
      [
        'clearUltraGroupMessagesForAllChannel("")',
        actionCode('x', (done) =>
          e.clearUltraGroupMessagesForAllChannel('', 0, {
            onUltraGroupMessagesClearedForAllChannel: done,
          })
        ),
      ],
      ['clearRemoteUltraGroupMessages("")', e.clearRemoteUltraGroupMessages('', 'news', 0)],
      [
        'recallUltraGroupMessage(a private message)',
        actionCode('x', (done) =>
          e.recallUltraGroupMessage(privateMessage, false, { onUltraGroupMessageRecalled: done })
        ),
      ],
      [
        'updateUltraGroupMessageExpansion(empty map)',
        actionCode('x', (done) =>
          e.updateUltraGroupMessageExpansion(uid, new Map(), {
            onUltraGroupMessageExpansionUpdated: done,
          })
        ),
      ],
      [
        'removeUltraGroupMessageExpansionForKeys([])',
        actionCode('x', (done) =>
          e.removeUltraGroupMessageExpansionForKeys(uid, [], {
            onUltraGroupMessageExpansionForKeysRemoved: done,
          })
        ),
      ],
      ['removeUltraGroupMessageExpansion("")', e.removeUltraGroupMessageExpansion('', ['k'])],
      [
        'getBatchRemoteUltraGroupMessages(a private message)',
        actionCode('x', (done) =>
          e.getBatchRemoteUltraGroupMessages([privateMessage as RCIMIWMessage], {
            onSuccess: () => done(0),
            onError: done,
          })
        ),
      ],
      [
        'changeUltraGroupDefaultNotificationLevel("")',
        actionCode('x', (done) =>
          e.changeUltraGroupDefaultNotificationLevel('', RCIMIWPushNotificationLevel.BLOCKED, {
            onUltraGroupDefaultNotificationLevelChanged: done,
          })
        ),
      ],
      [
        'getUltraGroupChannelDefaultNotificationLevel(long channel)',
        getCode<number>('x', (cb) =>
          e.getUltraGroupChannelDefaultNotificationLevel(group, LONG, cb)
        ),
      ],
      ['loadUltraGroupDefaultNotificationLevel("")', e.loadUltraGroupDefaultNotificationLevel('')],
    ];
    for (const [what, code] of refusals) assertEqual(await code, PARAM_ERROR, what);
    assertEqual(
      (await trySay(a, group, LONG, 'long channel')).code,
      PARAM_ERROR,
      'send, long channel'
    );

    // Well formed, refused by the server.
    assertEqual(
      await actionCode('level of an unknown channel', (done) =>
        e.changeUltraGroupChannelDefaultNotificationLevel(
          group,
          'nochannel',
          RCIMIWPushNotificationLevel.BLOCKED,
          { onUltraGroupChannelDefaultNotificationLevelChanged: done }
        )
      ),
      UG.CHANNEL_NOT_EXIST,
      'changeUltraGroupChannelDefaultNotificationLevel(unknown channel)'
    );
    assertEqual(
      await getCode<number>('D reads the group default', (cb) =>
        d.engine.getUltraGroupDefaultNotificationLevel(group, cb)
      ),
      UG.NOT_IN_GROUP,
      'getUltraGroupDefaultNotificationLevel by no member'
    );
    assertEqual(
      await actionCode('D syncs', (done) =>
        d.engine.syncUltraGroupReadStatus(group, 'news', 0, { onUltraGroupReadStatusSynced: done })
      ),
      UG.NOT_IN_GROUP,
      'syncUltraGroupReadStatus by no member'
    );
  } finally {
    await destroyMembers(all);
  }
}
