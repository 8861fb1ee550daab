// Typing status through the TS API: A types in the private conversation with B; B's
// onTypingStatusChanged fires with A (and what A types), then with an empty list once A has
// been quiet for 6 s. A, the typer, gets nothing; nothing is stored.
import { type RCIMIWTypingStatus } from 'react-native-rcim';
import { recorder } from './settings-support';
import {
  PRIVATE,
  assert,
  assertEqual,
  destroyAll,
  hostEnv,
  twoEngines,
  viaCallback,
} from './support';

export default async function () {
  const env = hostEnv();
  const { a, b, userA, userB } = await twoEngines(env);
  try {
    const atB = recorder('onTypingStatusChanged at B');
    b.setOnTypingStatusChangedListener(atB.fn);
    const atA = recorder('onTypingStatusChanged at A');
    a.setOnTypingStatusChangedListener(atA.fn);

    const started = Date.now();
    assertEqual(await a.sendTypingStatus(PRIVATE, userB, null, 'RC:TxtMsg'), 0, 'typing status');
    const [type, targetId, channelId, typing] = await atB.next('A typing');
    assertEqual([type, targetId, channelId], [PRIVATE, userA, ''], 'conversation of the event');
    const list = typing as RCIMIWTypingStatus[];
    assertEqual(
      list.map((t) => [t.userId, t.contentType]),
      [[userA, 'RC:TxtMsg']],
      'the typing users'
    );
    assert((list[0].sentTime ?? 0) > 0, `typing sentTime ${list[0].sentTime}`);

    const [, expiredTarget, , after] = await atB.next('A stopped typing', () => true, 12000);
    const quietFor = Date.now() - started;
    assertEqual([expiredTarget, after], [userA, []], 'empty list after the expiry');
    assert(quietFor >= 5500, `the typer expired after ${quietFor} ms (expected about 6 s)`);

    assertEqual(atA.calls, [], 'the typer gets no typing event');
    const count = await viaCallback<number>('message count', (ok, err) =>
      b.getMessageCount(PRIVATE, userA, null, { onSuccess: ok, onError: err })
    );
    assertEqual(count, 0, 'typing is not stored');
  } finally {
    await destroyAll(a, b);
  }
}
