// searchMessagesByUserId through the real stack: A and B both write in the runner's group; each
// side finds only the messages one user sent, newest first, page by page with startTime, through
// the 5.2.5 callback object and through the listener. Count 0 or 51 resolves 1 and reports
// nothing.
import { type RCIMIWMessage, type RCIMIWTextMessage } from 'react-native-rcim';
import {
  GROUP,
  assert,
  assertEqual,
  destroyAll,
  hostEnv,
  sendText,
  sleep,
  twoEngines,
  viaCallback,
  waitFor,
} from './support';

const texts = (ms: RCIMIWMessage[]) => ms.map((m) => (m as RCIMIWTextMessage).text);

export default async function () {
  const env = hostEnv();
  const group = env.groups[0];
  assert(group, 'RCIM_GROUPS holds a group');
  const { a, b, userA, userB } = await twoEngines(env);
  assert(group.members.includes(userA) && group.members.includes(userB), 'A and B are members');
  try {
    const receivedByA: RCIMIWMessage[] = [];
    const receivedByB: RCIMIWMessage[] = [];
    a.setOnMessageReceivedListener((m) => receivedByA.push(m));
    b.setOnMessageReceivedListener((m) => receivedByB.push(m));
    for (const [engine, text] of [
      [a, 'A 1'],
      [b, 'B 1'],
      [a, 'A 2'],
      [b, 'B 2'],
      [a, 'A 3'],
    ] as const) {
      await sendText(engine, group.id, text, GROUP);
    }
    await waitFor('B received A 1..3', () => receivedByB.length === 3);
    await waitFor('A received B 1..2', () => receivedByA.length === 2);

    const byUser = (
      engine: typeof a,
      userId: string,
      startTime: number,
      count: number,
      what: string
    ) =>
      viaCallback<RCIMIWMessage[]>(what, (ok, err) =>
        engine.searchMessagesByUserId(userId, GROUP, group.id, null, startTime, count, {
          onSuccess: ok,
          onError: err,
        })
      );

    // ── callback: received messages of one sender (B's side) and one's own (both sides)
    const fromA = await byUser(b, userA, 0, 50, 'B searches A');
    assertEqual(texts(fromA), ['A 3', 'A 2', 'A 1'], 'A’s messages on B, newest first');
    assertEqual(
      fromA.map((m) => [m.senderUserId, m.targetId, m.conversationType]),
      Array(3).fill([userA, group.id, GROUP]),
      'sender and conversation of the results'
    );
    assertEqual(texts(await byUser(b, userB, 0, 50, 'B searches B')), ['B 2', 'B 1'], 'own on B');
    assertEqual(texts(await byUser(a, userB, 0, 50, 'A searches B')), ['B 2', 'B 1'], 'B on A');
    assertEqual(texts(await byUser(a, userA, 0, 50, 'A searches A')), ['A 3', 'A 2', 'A 1'], 'A');
    assertEqual(texts(await byUser(b, 'nobody', 0, 50, 'unknown user')), [], 'unknown user');

    // ── paging: count, then older than the last result's sentTime
    const page1 = await byUser(b, userA, 0, 2, 'page 1');
    assertEqual(texts(page1), ['A 3', 'A 2'], 'page 1');
    const page2 = await byUser(b, userA, page1[1].sentTime as number, 2, 'page 2');
    assertEqual(texts(page2), ['A 1'], 'page 2');
    assertEqual(
      texts(await byUser(b, userA, page2[0].sentTime as number, 2, 'page 3')),
      [],
      'page 3'
    );

    // ── listener: the call's arguments echoed, then the messages
    const heard: unknown[][] = [];
    b.setOnMessagesSearchedByUserIdListener(
      (code, userId, type, targetId, channelId, startTime, count, messages) =>
        heard.push([code, userId, type, targetId, channelId, startTime, count, texts(messages)])
    );
    const start = page1[0].sentTime as number;
    assertEqual(
      await b.searchMessagesByUserId(userA, GROUP, group.id, null, start, 10),
      0,
      'listener search status'
    );
    await waitFor('onMessagesSearchedByUserId', () => heard.length > 0);
    assertEqual(
      heard,
      [[0, userA, GROUP, group.id, '', start, 10, ['A 2', 'A 1']]],
      'listener arguments'
    );

    // ── count out of 1..=50: resolves 1, neither the listener nor the callback hears of it
    let fired = 0;
    const callback = { onSuccess: () => fired++, onError: () => fired++ };
    for (const count of [0, 51]) {
      assertEqual(
        await b.searchMessagesByUserId(userA, GROUP, group.id, null, 0, count, callback),
        1,
        `count ${count}`
      );
    }
    await sleep(300);
    assertEqual(heard.length, 1, 'no listener call after rejected calls');
    assertEqual(fired, 0, 'no callback after rejected calls');
  } finally {
    await destroyAll(a, b);
  }
}
