// @server-args: --heartbeat-secs 2
// Re-join after the server restarts (R193): the server keeps no members across a restart;
// the engines reconnect and join their rooms again by themselves (onChatRoomJoined without a
// call), keep the room's local messages, and the members' messages flow again. A room left
// before the restart is not joined again, nor one left before its join's result came.
import { RCIMIWConnectionStatus } from 'react-native-rcim';
import {
  destroyMembers,
  join,
  joined,
  leave,
  localTexts,
  members,
  receivedIn,
  roomId,
  say,
  waitReceived,
  type Member,
} from './chatroom-support';
import { assertEqual, hostEnv, waitFor } from './support';
import { serverApi } from './server-api';

export default async function () {
  const env = hostEnv();
  const room = roomId(env, 'phoenix');
  const left = roomId(env, 'left');
  const all = await members(env, 0, 1, 2);
  const [a, b, c] = all;
  const statuses = new Map<Member, number[]>();
  for (const m of all) {
    const seen: number[] = [];
    statuses.set(m, seen);
    m.engine.setOnConnectionStatusChangedListener((s) => seen.push(s));
  }
  try {
    await joined(a, room, 10, true);
    await joined(b, room, 10);
    await joined(c, left, -1, true);
    assertEqual(await leave(c, left), 0, 'C leaves its room before the restart');
    // Join then leave at once: the leave wins over the join's result.
    const quick = roomId(env, 'quick');
    const joinQuick = join(c, quick, 10, true);
    const leaveQuick = leave(c, quick);
    assertEqual(await joinQuick, 0, 'C joins the quick room');
    assertEqual(await leaveQuick, 0, 'C leaves it before the join result');
    await say(a, room, 'before');
    await waitReceived(b, room, 1, 'B gets "before"');
    for (const m of all) m.log.length = 0;

    await serverApi('@server/restart', {});
    for (const m of all) {
      await waitFor(
        `${m.userId} reconnects`,
        () => statuses.get(m)!.includes(RCIMIWConnectionStatus.CONNECTED),
        30000
      );
    }
    // A and B join their room again by themselves; C does not join the room it left.
    for (const m of [a, b]) {
      await waitFor(`${m.userId} re-joins (${m.log.join(' | ')})`, () =>
        m.log.includes(`joined:0:${room}`)
      );
    }
    assertEqual(await localTexts(b, room), ['before'], 'local messages kept');
    await say(a, room, 'after');
    assertEqual(await waitReceived(b, room, 2, 'B gets "after"'), ['before', 'after'], 'B');
    await say(b, room, 'welcome back');
    assertEqual(await waitReceived(a, room, 1, 'A gets "welcome back"'), ['welcome back'], 'A');
    // C joins another room now: a re-join of the room it left would have gone first on the
    // new connection, so its join result would come before this one.
    const third = roomId(env, 'third');
    await joined(c, third, -1, true);
    assertEqual(
      c.log.filter((l) => l.startsWith('joined')),
      [`joined:0:${third}`],
      'C joined nothing again by itself'
    );
    assertEqual(receivedIn(c, left), [], 'C is in no room');
    assertEqual(await localTexts(c, quick), [], 'nothing of the quick room is kept');
  } finally {
    await destroyMembers(all);
  }
}
