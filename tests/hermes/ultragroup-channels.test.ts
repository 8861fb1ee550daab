// Ultra groups and their channels with three members (A creates the group, B and C join, D is
// no member), made through the Server API: a public channel "news", a private channel "staff"
// listing A and B, and RCDefault. Messages stay in their channel (a message without a channel
// is in RCDefault); the private channel reaches only its listed members; a Server API publish
// reaches the members, a directed one only its users. Each channel is its own conversation
// (getConversationsForAllChannel, loadConversationsForAllChannel) with its own unread and
// mention counts, summed per group and over all groups (get and load variants). The server's
// codes reach sendMessage, typing and history: 24416 not listed, 24414 no such channel, 24406
// no member, 24410 no such group, 24408 muted (a user in a channel, a whole channel with an
// allow list, through the Server API).
// "Nothing more arrives" is checked against a later message (a marker) that does arrive.
import { RCIMIWUltraGroupTypingStatus, type RCIMIWMessage } from 'react-native-rcim';
import { recorder } from './settings-support';
import { serverApi } from './server-api';
import { BEFORE, REMOTE, actionCode, assert, assertEqual, hostEnv } from './support';
import {
  RC_DEFAULT,
  UG,
  ULTRA,
  allMentions,
  allUnread,
  channelIds,
  channelUnread,
  channelsOf,
  createUltraGroup,
  destroyMembers,
  get,
  getCode,
  groupId,
  groupMentions,
  groupUnread,
  members,
  publish,
  receivedIn,
  say,
  trySay,
  waitReceived,
  waitText,
  channelPage,
} from './ultragroup-support';

export default async function () {
  const env = hostEnv();
  const [userA, userB, userC] = env.users;
  const group = groupId(env, 'chan');
  await createUltraGroup(
    group,
    [userA, userB, userC],
    [{ id: 'news' }, { id: 'staff', privateUsers: [userA, userB] }]
  );
  const all = await members(env, 0, 1, 2, 3);
  const [a, b, c, d] = all;
  try {
    // ── a message per channel, with its channel
    const n1 = await say(a, group, 'news', 'news 1');
    assertEqual(n1.conversationType, ULTRA, 'sent type');
    assertEqual([n1.targetId, n1.channelId], [group, 'news'], 'sent target and channel');
    assert(!!n1.messageUId, 'the sent message has a uid');
    for (const m of [b, c]) {
      assertEqual(await waitReceived(m, group, 'news', 1, 'news 1'), ['news 1'], m.userId);
      const got = m.received[0];
      assertEqual(
        [got.conversationType, got.targetId, got.channelId, got.senderUserId, got.messageUId],
        [ULTRA, group, 'news', userA, n1.messageUId],
        `${m.userId} receives news 1`
      );
    }
    // No channel: the default channel, named "RCDefault" (R213).
    const d1 = await say(a, group, null, 'default 1');
    assertEqual(d1.channelId, RC_DEFAULT, 'a message without a channel is in RCDefault');
    await waitReceived(b, group, RC_DEFAULT, 1, 'B gets default 1');
    await waitReceived(c, group, RC_DEFAULT, 1, 'C gets default 1');

    // ── the private channel reaches its listed members only
    await say(a, group, 'staff', 'staff 1');
    assertEqual(await waitReceived(b, group, 'staff', 1, 'B gets staff 1'), ['staff 1'], 'B');
    await say(a, group, 'news', 'news 2');
    await waitReceived(c, group, 'news', 2, 'C gets news 2');
    assertEqual(receivedIn(c, group, 'staff'), [], 'C is not listed in the private channel');
    assertEqual(a.received.length, 0, 'the sender does not get its own messages');

    // ── Server API publishes: to the members; directed ones to their users only
    await publish(group, 'news', userB, 'from the api');
    assertEqual(
      await waitReceived(a, group, 'news', 1, 'A gets the publish'),
      ['from the api'],
      'A receives the Server API message'
    );
    await publish(group, 'news', userA, 'only for C', { toUserIds: [userC] });
    await publish(group, 'news', userA, 'news marker');
    await waitText(b, group, 'news', 'news marker');
    assert(!receivedIn(b, group, 'news').includes('only for C'), 'B does not get a message for C');
    assertEqual(
      await waitReceived(c, group, 'news', 5, 'C gets its directed message and the marker'),
      ['news 1', 'news 2', 'from the api', 'only for C', 'news marker'],
      "C's news"
    );
    assertEqual(d.received, [], 'D (no member) receives nothing');

    // ── each channel is a conversation (R140)
    assertEqual(
      channelIds(await channelsOf(b, group)),
      [RC_DEFAULT, 'news', 'staff'],
      "B's channel conversations"
    );
    const cChannels = await channelsOf(c, group);
    assertEqual(channelIds(cChannels), [RC_DEFAULT, 'news'], "C's channel conversations");
    const cNews = cChannels.find((x) => x.channelId === 'news')!;
    assertEqual(cNews.conversationType, ULTRA, 'conversation type');
    assertEqual(cNews.targetId, group, 'conversation target');
    assertEqual(cNews.unreadCount, 5, "C's unread count of news");
    assertEqual(
      (cNews.lastMessage as { text?: string } | undefined)?.text,
      'news marker',
      'last message of news'
    );
    const loaded = recorder('onConversationsLoadedForAllChannel');
    c.engine.setOnConversationsLoadedForAllChannelListener(loaded.fn);
    assertEqual(await c.engine.loadConversationsForAllChannel(ULTRA, group), 0, 'load status');
    const [code, type, target, list] = await loaded.next();
    assertEqual([code, type, target], [0, ULTRA, group], 'onConversationsLoadedForAllChannel');
    assertEqual(
      channelIds(list as typeof cChannels),
      [RC_DEFAULT, 'news'],
      'loaded channel conversations'
    );

    // ── unread counts per channel, per group, over all groups
    assertEqual(await channelUnread(c, group, 'news'), 5, 'C unread of news');
    assertEqual(await channelUnread(c, group, RC_DEFAULT), 1, 'C unread of RCDefault');
    assertEqual(await groupUnread(c, group), 6, 'C unread of the group');
    assertEqual(await allUnread(c), 6, 'C unread of all groups');
    // Mentions: B in news, then everyone in RCDefault.
    await say(a, group, 'news', '@B look', { mention: [userB] });
    await waitReceived(c, group, 'news', 6, 'C gets the mention of B');
    await waitText(b, group, 'news', '@B look');
    assertEqual(await groupMentions(b, group), 1, 'B mentions');
    assertEqual(await groupMentions(c, group), 0, 'C is not mentioned');
    await say(a, group, null, '@all hello', { mentionAll: true });
    await waitReceived(c, group, RC_DEFAULT, 2, 'C gets @all');
    await waitReceived(b, group, RC_DEFAULT, 2, 'B gets @all');
    assertEqual(await groupMentions(b, group), 2, 'B mentions after @all');
    assertEqual(await allMentions(b), 2, 'B mentions of all groups');
    assertEqual(await groupMentions(c, group), 1, 'C mentions after @all');
    assertEqual(
      await get<number>('B getUnreadMentionedCount of news', (cb) =>
        b.engine.getUnreadMentionedCount(ULTRA, group, 'news', cb)
      ),
      1,
      "B's mentions in news only"
    );
    // The load variants answer through their listeners.
    const unreadLoaded = recorder('onUltraGroupUnreadCountLoaded');
    const mentionLoaded = recorder('onUltraGroupUnreadMentionedCountLoaded');
    const allLoaded = recorder('onUltraGroupAllUnreadCountLoaded');
    const allMentionLoaded = recorder('onUltraGroupAllUnreadMentionedCountLoaded');
    c.engine.setOnUltraGroupUnreadCountLoadedListener(unreadLoaded.fn);
    c.engine.setOnUltraGroupUnreadMentionedCountLoadedListener(mentionLoaded.fn);
    c.engine.setOnUltraGroupAllUnreadCountLoadedListener(allLoaded.fn);
    c.engine.setOnUltraGroupAllUnreadMentionedCountLoadedListener(allMentionLoaded.fn);
    assertEqual(await c.engine.loadUltraGroupUnreadCount(group), 0, 'loadUltraGroupUnreadCount');
    assertEqual(await unreadLoaded.next(), [0, group, 8], 'onUltraGroupUnreadCountLoaded');
    assertEqual(await c.engine.loadUltraGroupUnreadMentionedCount(group), 0, 'load mentions');
    assertEqual(
      await mentionLoaded.next(),
      [0, group, 1],
      'onUltraGroupUnreadMentionedCountLoaded'
    );
    assertEqual(await c.engine.loadUltraGroupAllUnreadCount(), 0, 'loadUltraGroupAllUnreadCount');
    assertEqual(await allLoaded.next(), [0, 8], 'onUltraGroupAllUnreadCountLoaded');
    assertEqual(await c.engine.loadUltraGroupAllUnreadMentionedCount(), 0, 'load all mentions');
    assertEqual(await allMentionLoaded.next(), [0, 1], 'onUltraGroupAllUnreadMentionedCountLoaded');
    // The getters also fire the listeners.
    assertEqual(await groupUnread(c, group), 8, 'getUltraGroupUnreadCount');
    assertEqual(await unreadLoaded.next(), [0, group, 8], 'listener of the getter');

    // ── the server's codes
    assertEqual(
      (await trySay(c, group, 'staff', 'not listed')).code,
      UG.NOT_IN_PRIVATE_CHANNEL,
      'C sends into the private channel'
    );
    assertEqual(
      (await trySay(a, group, 'nochannel', 'nowhere')).code,
      UG.CHANNEL_NOT_EXIST,
      'a channel that does not exist'
    );
    assertEqual(
      (await trySay(d, group, 'news', 'no member')).code,
      UG.NOT_IN_GROUP,
      'D is no member'
    );
    assertEqual(
      (await trySay(a, `${group}x`, 'news', 'no group')).code,
      UG.GROUP_NOT_EXIST,
      'a group that does not exist'
    );
    assertEqual(
      await actionCode('C types in staff', (done) =>
        c.engine.sendUltraGroupTypingStatus(group, 'staff', RCIMIWUltraGroupTypingStatus.TEXT, {
          onUltraGroupTypingStatusSent: done,
        })
      ),
      UG.NOT_IN_PRIVATE_CHANNEL,
      'typing in a private channel C is not listed in'
    );
    assertEqual(
      await getCode<RCIMIWMessage[]>("C reads staff's history", (cb) =>
        c.engine.getMessages(ULTRA, group, 'staff', 0, BEFORE, REMOTE, 10, cb)
      ),
      UG.NOT_IN_PRIVATE_CHANNEL,
      "the private channel's history for C"
    );
    assertEqual(
      (await channelPage(a.engine, group, 'staff', 0, BEFORE, REMOTE, 10)).length,
      1,
      "the private channel's history for A"
    );

    // ── mutes through the Server API
    await serverApi('/ultragroup/userbanned/add.json', {
      groupId: group,
      userIds: userC,
      busChannel: 'news',
    });
    assertEqual((await trySay(c, group, 'news', 'muted')).code, UG.FORBIDDEN, 'C muted in news');
    await say(c, group, null, 'C in RCDefault');
    await serverApi('/ultragroup/userbanned/del.json', {
      groupId: group,
      userIds: userC,
      busChannel: 'news',
    });
    await say(c, group, 'news', 'C unmuted');
    // The whole channel muted, B on its allow list.
    await serverApi('/ultragroup/globalbanned/set.json', {
      groupId: group,
      busChannel: 'news',
      status: 'true',
    });
    await serverApi('/ultragroup/banned/whitelist/add.json', {
      groupId: group,
      userIds: userB,
      busChannel: 'news',
    });
    assertEqual((await trySay(a, group, 'news', 'all muted')).code, UG.FORBIDDEN, 'A muted');
    await say(b, group, 'news', 'B is allowed');
    await serverApi('/ultragroup/globalbanned/set.json', {
      groupId: group,
      busChannel: 'news',
      status: 'false',
    });
    await say(a, group, 'news', 'A again');
    // Nothing refused was delivered: C's news ends with what was sent.
    assertEqual(
      (await waitReceived(c, group, 'news', 8, 'C gets the last ones')).slice(-2),
      ['B is allowed', 'A again'],
      'C receives the allowed messages only'
    );
  } finally {
    await destroyMembers(all);
  }
}
