// Group chat through the TS API: the runner creates a group of the first three users via
// /group/create.json (RCIM_GROUPS). A and B (members) chat in it; the list shows the group with
// unread 1 for the receiver and 0 for the sender; a non-member's send fails with 22406.
import {
  RCIMIWEngine,
  RCIMIWMessageDirection,
  RCIMIWSentStatus,
  type RCIMIWConversation,
  type RCIMIWMessage,
  type RCIMIWTextMessage,
} from 'react-native-rcim';
import {
  GROUP,
  assert,
  assertEqual,
  connect,
  destroyAll,
  engineOptions,
  hostEnv,
  sendText,
  twoEngines,
  viaCallback,
  waitFor,
} from './support';

const NOT_IN_GROUP = 22406;

export default async function () {
  const env = hostEnv();
  const group = env.groups[0];
  assert(group, 'RCIM_GROUPS holds a group');
  const { a, b, userA, userB } = await twoEngines(env);
  assert(group.members.includes(userA) && group.members.includes(userB), 'A and B are members');
  let outsider: RCIMIWEngine | undefined;
  try {
    const receivedByB: RCIMIWMessage[] = [];
    const receivedByA: RCIMIWMessage[] = [];
    b.setOnMessageReceivedListener((m) => receivedByB.push(m));
    a.setOnMessageReceivedListener((m) => receivedByA.push(m));

    const sent = (await sendText(a, group.id, 'hello group', GROUP)) as RCIMIWTextMessage;
    assertEqual(sent.conversationType, GROUP, 'sent conversationType');
    assertEqual(sent.targetId, group.id, 'sent targetId');
    assertEqual(sent.sentStatus, RCIMIWSentStatus.SENT, 'sent sentStatus');

    await waitFor('B onMessageReceived', () => receivedByB.length > 0);
    const r = receivedByB[0] as RCIMIWTextMessage;
    assertEqual(r.text, 'hello group', 'received text');
    assertEqual(r.conversationType, GROUP, 'received conversationType');
    assertEqual(r.targetId, group.id, 'received targetId (the group)');
    assertEqual(r.senderUserId, userA, 'received senderUserId');
    assertEqual(r.direction, RCIMIWMessageDirection.RECEIVE, 'received direction');
    assertEqual(r.messageUId, sent.messageUId, 'received messageUId');

    const list = async (engine: RCIMIWEngine, what: string) =>
      viaCallback<RCIMIWConversation[]>(what, (ok, err) =>
        engine.getConversations([GROUP], null, 0, 20, { onSuccess: ok, onError: err })
      );
    const bList = await list(b, 'B getConversations');
    assertEqual(bList.length, 1, 'B group conversations');
    assertEqual(bList[0].targetId, group.id, 'B conversation targetId');
    assertEqual(bList[0].unreadCount, 1, 'B unread');
    const aList = await list(a, 'A getConversations');
    assertEqual(aList.length, 1, 'A group conversations');
    assertEqual(aList[0].unreadCount, 0, 'A unread');

    // B answers in the group; A receives it (and never its own message).
    await sendText(b, group.id, 'hi all, B here', GROUP);
    await waitFor('A onMessageReceived', () => receivedByA.length > 0);
    assertEqual(
      receivedByA.map((m) => [(m as RCIMIWTextMessage).text, m.targetId, m.senderUserId]),
      [['hi all, B here', group.id, userB]],
      'A received'
    );

    // A non-member cannot send to the group.
    const stranger = env.users.find((u) => !group.members.includes(u));
    assert(stranger, 'a user outside the group');
    outsider = RCIMIWEngine.createStandalone(env.appKey, engineOptions(env));
    await connect(outsider, env.tokens[stranger]);
    const msg = await outsider.createTextMessage(GROUP, group.id, null, 'let me in');
    let failed: { code: number; message: RCIMIWMessage } | undefined;
    const status = await outsider.sendMessage(msg, {
      onMessageSent: (code, message) => (failed = { code, message }),
    });
    assertEqual(status, 0, 'outsider sendMessage status');
    const f = await waitFor('outsider onMessageSent', () => failed);
    assertEqual(f.code, NOT_IN_GROUP, 'outsider onMessageSent code');
    assertEqual(f.message.sentStatus, RCIMIWSentStatus.FAILED, 'outsider sentStatus');
  } finally {
    await destroyAll(outsider, a, b);
  }
}
