// searchMessagesByTimeRange and searchConversations (R116–R118) through the TS API, over
// texts A sent to B, to C and to the group:
// * time range + offset paging: pages of 2 make up every match once, in one order; a range
//   cut at two sent times keeps exactly the matches between them (inclusive);
// * CJK keywords of one character and of three or more match substrings (R116: any length),
//   on the sender's side and on the receiver's;
// * the listener echoes the call's arguments; count 0 or 51: 1;
// * searchConversations counts the matches per conversation, limited by conversation types
//   and message types.
import {
  RCIMIWMessageType,
  type RCIMIWEngine,
  type RCIMIWMessage,
  type RCIMIWSearchConversationResult,
} from 'react-native-rcim';
import {
  GROUP,
  PRIVATE,
  assert,
  assertEqual,
  destroyAll,
  hostEnv,
  objectCode,
  onlineDevice,
  sendText,
  texts,
  viaCallback,
  waitFor,
} from './support';

export default async function () {
  const env = hostEnv();
  const group = env.groups[0];
  assert(group, 'RCIM_GROUPS holds a group');
  const [userA, userB, userC] = env.users;
  let a: RCIMIWEngine | undefined;
  let b: RCIMIWEngine | undefined;
  try {
    a = await onlineDevice(env, userA, 'a');
    b = await onlineDevice(env, userB, 'b');
    const receivedByB: RCIMIWMessage[] = [];
    b.setOnMessageReceivedListener((m) => receivedByB.push(m));

    const lines = ['你好世界', 'hello world', '世界和平', '新的世界', '天', 'other'];
    const sent: { [text: string]: RCIMIWMessage } = {};
    for (const line of lines) sent[line] = await sendText(a, userB, line);
    await sendText(a, userC, '世界 for C');
    await sendText(a, group.id, '群里的世界', GROUP);
    await waitFor('B received the private texts and the group one', () => receivedByB.length >= 7);

    const byTime = (
      engine: RCIMIWEngine,
      target: string,
      keyword: string,
      startTime: number,
      endTime: number,
      offset: number,
      count: number
    ) =>
      viaCallback<RCIMIWMessage[]>(`search "${keyword}" offset ${offset}`, (ok, err) =>
        engine.searchMessagesByTimeRange(
          PRIVATE,
          target,
          null,
          keyword,
          startTime,
          endTime,
          offset,
          count,
          { onSuccess: ok, onError: err }
        )
      );
    const end = Date.now() + 60_000;

    // ── paging with offset: every match once, in one order (by sent time)
    for (const [engine, target, side] of [
      [a, userB, 'sender'],
      [b, userA, 'receiver'],
    ] as const) {
      const pages: RCIMIWMessage[] = [];
      for (let offset = 0; offset < 10; offset += 2) {
        const got = await byTime(engine, target, '世界', 0, end, offset, 2);
        assert(got.length <= 2, `${side}: page of at most 2`);
        pages.push(...got);
        if (got.length < 2) break;
      }
      assertEqual(
        texts(pages).sort(),
        ['世界和平', '你好世界', '新的世界'].sort(),
        `${side}: the pages hold every match once`
      );
      const times = pages.map((m) => m.sentTime ?? 0);
      const down = times.every((t, i) => i === 0 || times[i - 1] > t);
      const up = times.every((t, i) => i === 0 || times[i - 1] < t);
      assert(down || up, `${side}: the pages keep one order by sent time (${times})`);
      assertEqual(
        (await byTime(engine, target, '世界', 0, end, 3, 2)).length,
        0,
        `${side}: offset past the matches`
      );
    }

    // ── time range (inclusive bounds)
    const from = sent['世界和平'].sentTime ?? 0;
    const to = sent['新的世界'].sentTime ?? 0;
    assertEqual(
      texts(await byTime(b, userA, '世界', from, to, 0, 50)).sort(),
      ['世界和平', '新的世界'].sort(),
      'matches within [from, to]'
    );
    assertEqual(
      texts(await byTime(b, userA, '世界', from + 1, to - 1, 0, 50)),
      [],
      'nothing strictly inside'
    );

    // ── CJK keywords of any length, and a keyword with a space
    assertEqual(texts(await byTime(b, userA, '天', 0, end, 0, 50)), ['天'], 'one CJK character');
    assertEqual(
      texts(await byTime(b, userA, '世', 0, end, 0, 50)).length,
      3,
      'one CJK character inside words'
    );
    assertEqual(
      texts(await byTime(a, userB, '世界和', 0, end, 0, 50)),
      ['世界和平'],
      'three CJK characters'
    );
    assertEqual(
      texts(await byTime(b, userA, '你好世界', 0, end, 0, 50)),
      ['你好世界'],
      'four CJK characters (the whole text)'
    );
    assertEqual(
      texts(await byTime(b, userA, 'lo wo', 0, end, 0, 50)),
      ['hello world'],
      'latin with a space'
    );

    // ── listener and count bounds
    const heard: unknown[][] = [];
    b.setOnMessagesSearchedByTimeRangeListener(
      (code, type, targetId, _channelId, keyword, startTime, endTime, offset, count, messages) =>
        heard.push([
          code,
          type,
          targetId,
          keyword,
          startTime,
          endTime,
          offset,
          count,
          messages.length,
        ])
    );
    assertEqual(
      await b.searchMessagesByTimeRange(PRIVATE, userA, null, '平', 0, end, 0, 5),
      0,
      'status'
    );
    await waitFor('onMessagesSearchedByTimeRange', () => heard.length > 0);
    assertEqual(heard[0], [0, PRIVATE, userA, '平', 0, end, 0, 5, 1], 'listener arguments');
    for (const count of [0, 51]) {
      assertEqual(
        await objectCode(`count ${count}`, (cb) =>
          b!.searchMessagesByTimeRange(PRIVATE, userA, null, '世', 0, end, 0, count, cb)
        ),
        1,
        `count ${count}`
      );
    }

    // ── searchConversations (A: B 3 matches, C 1, the group 1)
    const search = (types: number[], messageTypes: RCIMIWMessageType[], keyword: string) =>
      viaCallback<RCIMIWSearchConversationResult[]>(`searchConversations ${keyword}`, (ok, err) =>
        a!.searchConversations(types, null, messageTypes, keyword, { onSuccess: ok, onError: err })
      );
    const summary = (rs: RCIMIWSearchConversationResult[]) =>
      rs
        .map((r) => [r.conversation?.conversationType, r.conversation?.targetId, r.count])
        .sort((x, y) => String(x[1]).localeCompare(String(y[1])));
    const expected = [
      [PRIVATE, userB, 3],
      [PRIVATE, userC, 1],
      [GROUP, group.id, 1],
    ].sort((x, y) => String(x[1]).localeCompare(String(y[1])));
    assertEqual(
      summary(await search([PRIVATE, GROUP], [RCIMIWMessageType.TEXT], '世界')),
      expected,
      'matches per conversation'
    );
    assertEqual(
      summary(await search([GROUP], [RCIMIWMessageType.TEXT], '世界')),
      [[GROUP, group.id, 1]],
      'group conversations only'
    );
    assertEqual(
      await search([PRIVATE, GROUP], [RCIMIWMessageType.IMAGE], '世界'),
      [],
      'no image matches'
    );
    assertEqual(
      summary(await search([PRIVATE], [RCIMIWMessageType.TEXT], '天')),
      [[PRIVATE, userB, 1]],
      'one CJK character across conversations'
    );
    const conversationsHeard: unknown[][] = [];
    a.setOnConversationsSearchedListener((code, types, _channelId, messageTypes, keyword, rs) =>
      conversationsHeard.push([code, types, messageTypes, keyword, rs.length])
    );
    assertEqual(
      await a.searchConversations([PRIVATE], null, [RCIMIWMessageType.TEXT], '平'),
      0,
      'searchConversations status'
    );
    await waitFor('onConversationsSearched', () => conversationsHeard.length > 0);
    assertEqual(
      conversationsHeard[0],
      [0, [PRIVATE], [RCIMIWMessageType.TEXT], '平', 1],
      'onConversationsSearched arguments'
    );
  } finally {
    await destroyAll(a, b);
  }
}
