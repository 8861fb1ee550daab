// @server-args: --ultragroup-typing-batch-ms 300
// Typing in an ultra group (R234–R235), the server gathering typing events for 300 ms: A types
// three times in a row in "news" and B once (callback object and onUltraGroupTypingStatusSent
// each time); C gets onUltraGroupTypingStatusChanged with batches (lists) that name A and B in
// "news", at most one entry per user and channel in a batch, and fewer entries for A than it
// sent; A gets B's typing but never its own. Typing with no channel is RCDefault's. A status
// outside RCIMIWUltraGroupTypingStatus is refused (1).
import {
  RCIMIWErrorCode,
  RCIMIWUltraGroupTypingStatus,
  type RCIMIWEngine,
  type RCIMIWUltraGroupTypingStatusInfo,
} from 'react-native-rcim';
import { recorder } from './settings-support';
import { actionCode, assert, assertEqual, hostEnv, sleep, waitFor } from './support';
import {
  RC_DEFAULT,
  createUltraGroup,
  destroyMembers,
  groupId,
  members,
} from './ultragroup-support';

const TEXT = RCIMIWUltraGroupTypingStatus.TEXT;

function type(e: RCIMIWEngine, group: string, channel: string, status = TEXT) {
  return actionCode('sendUltraGroupTypingStatus', (done) =>
    e.sendUltraGroupTypingStatus(group, channel, status, { onUltraGroupTypingStatusSent: done })
  );
}

const named = (batches: RCIMIWUltraGroupTypingStatusInfo[][], userId: string, channel: string) =>
  batches.flat().filter((x) => x.userId === userId && x.channelId === channel);

export default async function () {
  const env = hostEnv();
  const [userA, userB, userC] = env.users;
  const group = groupId(env, 'typing');
  await createUltraGroup(group, [userA, userB, userC], [{ id: 'news' }]);
  const all = await members(env, 0, 1, 2);
  const [a, b, c] = all;
  try {
    const sent = recorder('onUltraGroupTypingStatusSent');
    a.engine.setOnUltraGroupTypingStatusSentListener(sent.fn);
    for (let i = 0; i < 3; i++) {
      assertEqual(await type(a.engine, group, 'news'), 0, `A types (${i})`);
      assertEqual(await sent.next(), [0, group, 'news', TEXT], 'onUltraGroupTypingStatusSent');
    }
    assertEqual(await type(b.engine, group, 'news'), 0, 'B types');

    await waitFor(
      'C hears A and B typing in news',
      () => named(c.typing, userA, 'news').length > 0 && named(c.typing, userB, 'news').length > 0
    );
    for (const info of c.typing.flat()) {
      assertEqual(info.targetId, group, 'typing target');
      assertEqual(info.status, TEXT, 'typing status');
      assert((info.timestamp ?? 0) > 0, `typing time ${info.timestamp}`);
    }
    for (const batch of c.typing) {
      const keys = batch.map((x) => `${x.channelId}/${x.userId}`);
      assertEqual(new Set(keys).size, keys.length, 'one entry per user and channel in a batch');
    }
    // Let the last window close, then count.
    await sleep(700);
    assert(
      named(c.typing, userA, 'news').length < 3,
      `A's three typings were gathered: ${JSON.stringify(c.typing)}`
    );
    await waitFor('A hears B', () => named(a.typing, userB, 'news').length > 0);
    assertEqual(named(a.typing, userA, 'news'), [], 'A does not hear itself');

    // No channel: RCDefault.
    assertEqual(await type(b.engine, group, ''), 0, 'B types in RCDefault');
    await waitFor('C hears B in RCDefault', () => named(c.typing, userB, RC_DEFAULT).length > 0);

    assertEqual(
      await type(a.engine, group, 'news', 7 as RCIMIWUltraGroupTypingStatus),
      RCIMIWErrorCode.PARAM_ERROR,
      'an unknown typing status'
    );
  } finally {
    await destroyMembers(all);
  }
}
