// Clearing ultra-group history (R221–R224), A writing to B: 3 messages in "news", 2 in
// RCDefault.
// * clearUltraGroupMessages LOCAL up to the 2nd news message: B keeps the 3rd locally, the
//   server still has all 3 (REMOTE page); callback object and listener;
// * REMOTE up to the 3rd: B's server history of news is empty, A's is not (only B's history);
// * the seed's clearRemoteUltraGroupMessages on RCDefault, with its listener: B's server
//   history of RCDefault is empty;
// * clearUltraGroupMessagesForAllChannel: B has no local message in any channel; callback
//   object and listener;
// * a negative timestamp or an unknown policy is refused (1).
import {
  RCIMIWErrorCode,
  RCIMIWMessageOperationPolicy,
  type RCIMIWMessage,
} from 'react-native-rcim';
import { recorder } from './settings-support';
import { BEFORE, LOCAL, LOCAL_REMOTE, REMOTE, actionCode, assertEqual, hostEnv } from './support';
import {
  RC_DEFAULT,
  createUltraGroup,
  destroyMembers,
  groupId,
  localTexts,
  members,
  say,
  texts,
  waitReceived,
  type UgMember,
  channelPage,
} from './ultragroup-support';

const PARAM_ERROR = RCIMIWErrorCode.PARAM_ERROR;

function clear(
  m: UgMember,
  group: string,
  channel: string,
  timestamp: number,
  policy: RCIMIWMessageOperationPolicy
) {
  return actionCode(`clearUltraGroupMessages(${channel}, ${policy})`, (done) =>
    m.engine.clearUltraGroupMessages(group, channel, timestamp, policy, {
      onUltraGroupMessagesCleared: done,
    })
  );
}

async function remoteTexts(m: UgMember, group: string, channel: string) {
  const got: RCIMIWMessage[] = await channelPage(m.engine, group, channel, 0, BEFORE, REMOTE, 20);
  return texts(got);
}

export default async function () {
  const env = hostEnv();
  const [userA, userB] = env.users;
  const group = groupId(env, 'clear');
  await createUltraGroup(group, [userA, userB], [{ id: 'news' }]);
  const all = await members(env, 0, 1);
  const [a, b] = all;
  try {
    const news: RCIMIWMessage[] = [];
    for (const t of ['n1', 'n2', 'n3']) news.push(await say(a, group, 'news', t));
    for (const t of ['d1', 'd2']) await say(a, group, null, t);
    await waitReceived(b, group, 'news', 3, 'B gets news');
    await waitReceived(b, group, RC_DEFAULT, 2, 'B gets RCDefault');

    // ── LOCAL
    const cleared = recorder('onUltraGroupMessagesCleared');
    b.engine.setOnUltraGroupMessagesClearedListener(cleared.fn);
    const LOCAL_POLICY = RCIMIWMessageOperationPolicy.LOCAL;
    const REMOTE_POLICY = RCIMIWMessageOperationPolicy.REMOTE;
    assertEqual(await clear(b, group, 'news', news[1].sentTime!, LOCAL_POLICY), 0, 'LOCAL');
    assertEqual(
      await cleared.next(),
      [0, group, 'news', news[1].sentTime, LOCAL_POLICY],
      'onUltraGroupMessagesCleared'
    );
    assertEqual(await localTexts(b, group, 'news'), ['n3'], 'B keeps n3 locally');
    assertEqual(await remoteTexts(b, group, 'news'), ['n3', 'n2', 'n1'], 'the server has all');

    // ── REMOTE (only B's history)
    assertEqual(await clear(b, group, 'news', news[2].sentTime!, REMOTE_POLICY), 0, 'REMOTE');
    assertEqual(
      await cleared.next(),
      [0, group, 'news', news[2].sentTime, REMOTE_POLICY],
      'onUltraGroupMessagesCleared (REMOTE)'
    );
    assertEqual(await remoteTexts(b, group, 'news'), [], "B's server history of news");
    assertEqual(await remoteTexts(a, group, 'news'), ['n3', 'n2', 'n1'], "A's is untouched");

    // ── the seed's clearRemoteUltraGroupMessages
    const remoteCleared = recorder('onRemoteUltraGroupMessagesCleared');
    b.engine.setOnRemoteUltraGroupMessagesClearedListener(remoteCleared.fn);
    const now = Date.now() + 1000;
    assertEqual(
      await b.engine.clearRemoteUltraGroupMessages(group, RC_DEFAULT, now),
      0,
      'clearRemoteUltraGroupMessages status'
    );
    assertEqual(
      await remoteCleared.next(),
      [0, group, RC_DEFAULT, now],
      'onRemoteUltraGroupMessagesCleared'
    );
    assertEqual(await remoteTexts(b, group, RC_DEFAULT), [], "B's server history of RCDefault");
    assertEqual(await localTexts(b, group, RC_DEFAULT), ['d2', 'd1'], 'local copies stay');

    // ── every channel, locally
    const allCleared = recorder('onUltraGroupMessagesClearedForAllChannel');
    b.engine.setOnUltraGroupMessagesClearedForAllChannelListener(allCleared.fn);
    assertEqual(
      await actionCode('clearUltraGroupMessagesForAllChannel', (done) =>
        b.engine.clearUltraGroupMessagesForAllChannel(group, now, {
          onUltraGroupMessagesClearedForAllChannel: done,
        })
      ),
      0,
      'clearUltraGroupMessagesForAllChannel'
    );
    assertEqual(await allCleared.next(), [0, group, now], 'its listener');
    for (const ch of ['news', RC_DEFAULT]) {
      assertEqual(await localTexts(b, group, ch), [], `B has nothing local in ${ch}`);
    }
    // Nothing comes back from the server either.
    const refill = await channelPage(b.engine, group, 'news', 0, BEFORE, LOCAL_REMOTE, 20);
    assertEqual(texts(refill), [], 'LOCAL_REMOTE after clearing both');
    assertEqual(
      texts(await channelPage(a.engine, group, RC_DEFAULT, 0, BEFORE, LOCAL, 20)),
      ['d2', 'd1'],
      "A's local messages are untouched"
    );

    // ── refusals
    assertEqual(await clear(b, group, 'news', -1, LOCAL_POLICY), PARAM_ERROR, 'timestamp -1');
    assertEqual(
      await clear(b, group, 'news', 0, 9 as RCIMIWMessageOperationPolicy),
      PARAM_ERROR,
      'policy 9'
    );
    assertEqual(
      await b.engine.clearUltraGroupMessagesForAllChannel(group, -5),
      PARAM_ERROR,
      'for all channels, timestamp -5'
    );
  } finally {
    await destroyMembers(all);
  }
}
