// @server-args: --ultragroup-channel-rate 100000
// Changes to messages a device holds reach it after a long absence (R225, R227): B's device
// holds "edit me", "recall me" and "delete me" and signs out. Through the Server API A edits
// the first, recalls the second (a recall record stays) and the third with isDelete, then
// publishes 120 more messages, so those changes are older than the newest 100 the catch-up
// fetches. When B's device connects again it still gets onRemoteUltraGroupMessageModified
// and onRemoteUltraGroupMessageRecalled for them (not onMessageReceived), and its local copies
// show the edit, the recall record and no deleted message; the new messages arrive as before
// (the newest, oldest first).
import { RCIMIWMessageType, type RCIMIWMessage, type RCIMIWTextMessage } from 'react-native-rcim';
import { serverApi } from './server-api';
import { BEFORE, LOCAL, assert, assertEqual, connect, hostEnv, signOut, waitFor } from './support';
import {
  channelPage,
  createUltraGroup,
  destroyMembers,
  device,
  groupId,
  publishAll,
  receivedIn,
  waitText,
  type UgMember,
} from './ultragroup-support';

const CHANNEL = 'held';

function recallByApi(
  group: string,
  fromUserId: string,
  uid: string,
  sentTime: number,
  del: boolean
) {
  return serverApi('/message/recall.json', {
    fromUserId,
    conversationType: 10,
    targetId: group,
    busChannel: CHANNEL,
    messageUID: uid,
    sentTime,
    isDelete: del ? 1 : 0,
  });
}

/** The event lists' copy of the message with `uid`. */
const inLists = (lists: RCIMIWMessage[][], uid: string) =>
  lists
    .flat()
    .filter((x) => x.messageUId === uid)
    .pop();

export default async function () {
  const env = hostEnv();
  const [userA, userB] = env.users;
  const group = groupId(env, 'held');
  await createUltraGroup(group, [userA, userB], [{ id: CHANNEL }]);
  let b: UgMember | undefined;
  try {
    b = await device(env, 1, 'b-held');
    const [editUid, recallUid, deleteUid] = await publishAll(group, CHANNEL, userA, [
      'edit me',
      'recall me',
      'delete me',
    ]);
    await waitText(b, group, CHANNEL, 'delete me');
    const held = new Map(b.received.map((m) => [m.messageUId, m]));
    const sentTime = (uid: string) => held.get(uid)!.sentTime!;
    await signOut(b.engine);

    // ── while B is away: the three changes, then more than 100 other changes
    await serverApi('/ultragroup/msg/modify.json', {
      groupId: group,
      fromUserId: userA,
      msgUID: editUid,
      content: JSON.stringify({ content: 'edited while away' }),
      busChannel: CHANNEL,
    });
    await recallByApi(group, userA, recallUid, sentTime(recallUid), false);
    await recallByApi(group, userA, deleteUid, sentTime(deleteUid), true);
    const later = Array.from({ length: 120 }, (_, i) => `later${i}`);
    await publishAll(group, CHANNEL, userA, later);

    // ── back
    b.received.length = 0;
    assertEqual(await connect(b.engine, env.tokens[userB]), userB, 'B connects again');
    await waitText(b, group, CHANNEL, 'later119', 20000);
    const edited = await waitFor('onRemoteUltraGroupMessageModified for "edit me"', () =>
      inLists(b!.modified, editUid)
    );
    assertEqual((edited as RCIMIWTextMessage).text, 'edited while away', 'the edited text');
    const recalled = await waitFor('onRemoteUltraGroupMessageRecalled for "recall me"', () =>
      inLists(b!.recalled, recallUid)
    );
    assertEqual(recalled.messageType, RCIMIWMessageType.RECALL, 'a recall record');
    await waitFor('onRemoteUltraGroupMessageRecalled for "delete me"', () =>
      inLists(b!.recalled, deleteUid)
    );
    const caught = receivedIn(b, group, CHANNEL);
    assert(caught.length >= 1 && caught.length <= 100, `caught up ${caught.length} (1..=100)`);
    assertEqual(caught, later.slice(-caught.length), 'only new messages are received');

    // ── what B's device shows of the held messages
    const local: RCIMIWMessage[] = await channelPage(
      b.engine,
      group,
      CHANNEL,
      sentTime(deleteUid) + 1,
      BEFORE,
      LOCAL,
      20
    );
    const byUid = new Map(local.map((m) => [m.messageUId, m]));
    assertEqual(
      (byUid.get(editUid) as RCIMIWTextMessage | undefined)?.text,
      'edited while away',
      'the local copy is edited'
    );
    assertEqual(
      byUid.get(recallUid)?.messageType,
      RCIMIWMessageType.RECALL,
      'the local copy is a recall record'
    );
    assertEqual(byUid.has(deleteUid), false, 'the message recalled with isDelete is gone');
  } finally {
    await destroyMembers([b]);
  }
}
