// Drafts, message count, first unread message, unread count by types and local search through
// the real stack (TypeScript → host object → Rust engine → SQLite with the FTS5 trigram index).
import {
  type RCIMIWConversation,
  type RCIMIWConversationType,
  type RCIMIWMessage,
  type RCIMIWTextMessage,
} from 'react-native-rcim';
import {
  PRIVATE,
  assert,
  assertEqual,
  destroyAll,
  hostEnv,
  sendText,
  twoEngines,
  viaCallback,
  waitFor,
} from './support';

const texts = (ms: RCIMIWMessage[]) => ms.map((m) => (m as RCIMIWTextMessage).text);

export default async function () {
  const env = hostEnv();
  const { a, b, userA, userB } = await twoEngines(env);
  try {
    let receivedByB = 0;
    b.setOnMessageReceivedListener(() => receivedByB++);
    const lines = ['你好世界', 'Hello World', '第三条 third'];
    for (const line of lines) await sendText(a, userB, line);
    await waitFor('B received 3 messages', () => receivedByB === 3);

    // ── message count: callback (get…) and listener (load…)
    const count = await viaCallback<number>('getMessageCount', (ok, err) =>
      b.getMessageCount(PRIVATE, userA, null, { onSuccess: ok, onError: err })
    );
    assertEqual(count, 3, 'getMessageCount');
    let counted: [number, string, number] | undefined;
    b.setOnMessageCountLoadedListener((code, _type, targetId, _ch, n) => {
      counted = [code, targetId, n];
    });
    assertEqual(await b.loadMessageCount(PRIVATE, userA, null), 0, 'loadMessageCount status');
    assertEqual(await waitFor('onMessageCountLoaded', () => counted), [0, userA, 3], 'listener');

    // ── first unread message and unread count by types
    const first = await viaCallback<RCIMIWMessage>('getFirstUnreadMessage', (ok, err) =>
      b.getFirstUnreadMessage(PRIVATE, userA, null, { onSuccess: ok, onError: err })
    );
    assertEqual((first as RCIMIWTextMessage).text, '你好世界', 'first unread message');
    let byTypes: [number, RCIMIWConversationType[], boolean, number] | undefined;
    b.setOnUnreadCountByConversationTypesLoadedListener((code, types, _ch, contain, n) => {
      byTypes = [code, types, contain, n];
    });
    assertEqual(
      await b.loadUnreadCountByConversationTypes([PRIVATE, 2], null, false),
      0,
      'loadUnreadCountByConversationTypes status'
    );
    assertEqual(
      await waitFor('onUnreadCountByConversationTypesLoaded', () => byTypes),
      [0, [PRIVATE, 2], false, 3],
      'unread count by types'
    );

    // ── search: CJK substrings of 1, 2 and 3+ characters, Latin case-insensitively
    const search = (keyword: string, startTime = 0, count = 50) =>
      viaCallback<RCIMIWMessage[]>(`searchMessages "${keyword}"`, (ok, err) =>
        b.searchMessages(PRIVATE, userA, null, keyword, startTime, count, {
          onSuccess: ok,
          onError: err,
        })
      );
    for (const keyword of ['世', '世界', '好世界', '你好世界']) {
      assertEqual(texts(await search(keyword)), ['你好世界'], `search "${keyword}"`);
    }
    assertEqual(texts(await search('WORLD')), ['Hello World'], 'search "WORLD"');
    assertEqual(texts(await search('h')), ['第三条 third', 'Hello World'], 'newest first');
    const newest = (await search('h'))[0];
    assertEqual(
      texts(await search('h', newest.sentTime as number, 1)),
      ['Hello World'],
      'search before startTime'
    );
    assertEqual(texts(await search('不存在的')), [], 'no match');
    let searched: [number, string, number, number] | undefined;
    b.setOnMessagesSearchedListener((code, _t, _id, _ch, keyword, _start, n, messages) => {
      searched = [code, keyword, n, messages.length];
    });
    assertEqual(await b.searchMessages(PRIVATE, userA, null, '好', 0, 10), 0, 'search status');
    assertEqual(await waitFor('onMessagesSearched', () => searched), [0, '好', 10, 1], 'listener');
    assertEqual(await b.searchMessages(PRIVATE, userA, null, '好', 0, 51), 1, 'count 51');
    assertEqual(await b.searchMessages(PRIVATE, userA, null, '好', 0, 0), 1, 'count 0');

    // ── drafts: a draft on a new conversation puts it on top of the list
    const carol = `${userA}-draft-peer`;
    let saved: number | undefined;
    assertEqual(
      await b.saveDraftMessage(PRIVATE, carol, null, '草稿 draft', {
        onDraftMessageSaved: (code) => (saved = code),
      }),
      0,
      'saveDraftMessage status'
    );
    await waitFor('onDraftMessageSaved', () => saved !== undefined);
    assertEqual(saved, 0, 'onDraftMessageSaved code');
    const draft = await viaCallback<string>('getDraftMessage', (ok, err) =>
      b.getDraftMessage(PRIVATE, carol, null, { onSuccess: ok, onError: err })
    );
    assertEqual(draft, '草稿 draft', 'getDraftMessage');
    const list = await viaCallback<RCIMIWConversation[]>('getConversations', (ok, err) =>
      b.getConversations([PRIVATE], null, 0, 20, { onSuccess: ok, onError: err })
    );
    assertEqual(
      list.map((c) => [c.targetId, c.draft]),
      [
        [carol, '草稿 draft'],
        [userA, ''],
      ],
      'conversation list with the draft on top'
    );
    let loadedDraft: string | undefined;
    b.setOnDraftMessageLoadedListener((code, _t, targetId, _ch, d) => {
      if (code === 0 && targetId === carol) loadedDraft = d;
    });
    let cleared: number | undefined;
    assertEqual(
      await b.clearDraftMessage(PRIVATE, carol, null, {
        onDraftMessageCleared: (code) => (cleared = code),
      }),
      0,
      'clearDraftMessage status'
    );
    await waitFor('onDraftMessageCleared', () => cleared !== undefined);
    assertEqual(cleared, 0, 'onDraftMessageCleared code');
    assertEqual(await b.loadDraftMessage(PRIVATE, carol, null), 0, 'loadDraftMessage status');
    await waitFor('onDraftMessageLoaded', () => loadedDraft !== undefined);
    assertEqual(loadedDraft, '', 'draft after clear');
    const after = await viaCallback<RCIMIWConversation[]>('getConversations again', (ok, err) =>
      b.getConversations([PRIVATE], null, 0, 20, { onSuccess: ok, onError: err })
    );
    assertEqual(
      after.map((c) => c.targetId),
      [userA],
      'draft-only conversation gone'
    );

    // A's side: its own sent messages are searchable too.
    const mine = await viaCallback<RCIMIWMessage[]>('A search', (ok, err) =>
      a.searchMessages(PRIVATE, userB, null, '三条', 0, 20, { onSuccess: ok, onError: err })
    );
    assertEqual(texts(mine), ['第三条 third'], 'A finds its sent message');
    assert(mine[0].messageId !== undefined, 'search results are stored messages');
  } finally {
    await destroyAll(a, b);
  }
}
