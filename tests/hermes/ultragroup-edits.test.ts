// Changes of sent ultra-group messages with three members A, B, C in channel "news":
// * modify (R225–R226): A edits its message (callback object and listener); B and C get
//   onRemoteUltraGroupMessageModified with the new text and store it; B editing A's message
//   is refused (34203), so is editing a recalled one; another message type is refused (1);
// * expansion (R229): B sets two keys of A's expandable message, A removes one
//   (removeUltraGroupMessageExpansionForKeys), then the other (the seed's
//   removeUltraGroupMessageExpansion), each with its callback and listener, the others get
//   onRemoteUltraGroupMessageExpansionUpdated with the whole expansion; bad keys are refused
//   (34010, as for other messages), a message sent without expansion too (34008);
// * recall both ways (R227–R228): deleteRemote false leaves a recall record on every side,
//   true deletes the message everywhere; the others get onRemoteUltraGroupMessageRecalled;
//   B recalling A's message is refused (34203); a recall through the Server API (isAdmin)
//   reaches every member, the sender included;
// * getBatchRemoteUltraGroupMessages (R220): matched (as the server has them now) and not
//   matched (a uid the channel does not have); 0 or 21 messages or two channels are refused
//   (1); the load variant answers through its listener.
import {
  RCIMIWCustomMessagePolicy,
  RCIMIWErrorCode,
  RCIMIWMessageType,
  type RCIMIWEngine,
  type RCIMIWMessage,
  type RCIMIWTextMessage,
} from 'react-native-rcim';
import { recorder } from './settings-support';
import { serverApi } from './server-api';
import { BEFORE, LOCAL, actionCode, assert, assertEqual, hostEnv, waitFor } from './support';
import {
  UG,
  ULTRA,
  createUltraGroup,
  destroyMembers,
  groupId,
  localTexts,
  members,
  say,
  waitText,
  type UgMember,
  channelPage,
} from './ultragroup-support';

const PARAM_ERROR = RCIMIWErrorCode.PARAM_ERROR;
/** Expansion keys and sizes outside the rules (as for private and group messages). */
const EXPANSION_SIZE_LIMIT_EXCEED = 34010;
const CHANNEL = 'news';

function modify(e: RCIMIWEngine, uid: string, message: RCIMIWMessage) {
  return actionCode('modifyUltraGroupMessage', (done) =>
    e.modifyUltraGroupMessage(uid, message, { onUltraGroupMessageModified: done })
  );
}

function recall(e: RCIMIWEngine, message: RCIMIWMessage, deleteRemote: boolean) {
  return actionCode(`recallUltraGroupMessage(${deleteRemote})`, (done) =>
    e.recallUltraGroupMessage(message, deleteRemote, { onUltraGroupMessageRecalled: done })
  );
}

function updateExpansion(e: RCIMIWEngine, uid: string, entries: Array<[string, string]>) {
  return actionCode('updateUltraGroupMessageExpansion', (done) =>
    e.updateUltraGroupMessageExpansion(uid, new Map(entries), {
      onUltraGroupMessageExpansionUpdated: done,
    })
  );
}

/** getBatchRemoteUltraGroupMessages: { matched, notMatched }, or the refusal's code. */
async function batch(
  e: RCIMIWEngine,
  messages: RCIMIWMessage[]
): Promise<{ matched: RCIMIWMessage[]; notMatched: RCIMIWMessage[] } | number> {
  let got: { matched: RCIMIWMessage[]; notMatched: RCIMIWMessage[] } | number | undefined;
  const status = await e.getBatchRemoteUltraGroupMessages(messages, {
    onSuccess: (matched, notMatched) => (got = { matched, notMatched }),
    onError: (code) => (got = code),
  });
  if (status !== 0) return status;
  return waitFor('getBatchRemoteUltraGroupMessages callback', () =>
    got === undefined ? undefined : { got }
  ).then((r) => r.got);
}

/** The member's copy of a message with `uid` among its remote-event lists. */
const inLists = (lists: RCIMIWMessage[][], uid: string | undefined) =>
  lists
    .flat()
    .filter((x) => x.messageUId === uid)
    .pop();

/** The member's local message with `uid` in the channel (the newest 20). */
async function localCopy(m: UgMember, group: string, uid: string | undefined) {
  const got = await channelPage(m.engine, group, CHANNEL, 0, BEFORE, LOCAL, 20);
  return got.find((x) => x.messageUId === uid);
}

const sortedExpansion = (x: RCIMIWMessage | undefined) =>
  Object.entries(x?.expansion ?? {}).sort(([k1], [k2]) => (k1 < k2 ? -1 : 1));

export default async function () {
  const env = hostEnv();
  const [userA, userB, userC] = env.users;
  const group = groupId(env, 'edits');
  await createUltraGroup(group, [userA, userB, userC], [{ id: CHANNEL }]);
  const all = await members(env, 0, 1, 2);
  const [a, b, c] = all;
  try {
    // ── modify
    const m1 = await say(a, group, CHANNEL, 'original', { expandable: true });
    const uid = m1.messageUId!;
    await waitText(b, group, CHANNEL, 'original');
    await waitText(c, group, CHANNEL, 'original');
    const modified = recorder('onUltraGroupMessageModified');
    a.engine.setOnUltraGroupMessageModifiedListener(modified.fn);
    const edited = await a.engine.createTextMessage(ULTRA, group, CHANNEL, 'edited');
    assertEqual(await modify(a.engine, uid, edited), 0, 'A modifies its message');
    assertEqual(await modified.next(), [0, uid], 'onUltraGroupMessageModified');
    for (const m of [b, c]) {
      const got = await waitFor(`${m.userId} onRemoteUltraGroupMessageModified`, () =>
        inLists(m.modified, uid)
      );
      assertEqual((got as RCIMIWTextMessage).text, 'edited', `${m.userId} gets the new text`);
      assertEqual([got.targetId, got.channelId], [group, CHANNEL], 'the edited message target');
      assertEqual(await localTexts(m, group, CHANNEL), ['edited'], `${m.userId} stores it`);
    }
    assertEqual(await localTexts(a, group, CHANNEL), ['edited'], "A's local copy");
    const bEdit = await b.engine.createTextMessage(ULTRA, group, CHANNEL, 'B edits');
    assertEqual(await modify(b.engine, uid, bEdit), UG.INVALID_MESSAGE_UID, 'only the sender');
    const custom = await a.engine.createCustomMessage(
      ULTRA,
      group,
      CHANNEL,
      RCIMIWCustomMessagePolicy.NORMAL,
      'app:card',
      new Map([['k', 'v']])
    );
    assertEqual(await modify(a.engine, uid, custom), PARAM_ERROR, 'another message type');
    assertEqual(await modify(a.engine, '', edited), PARAM_ERROR, 'an empty uid');

    // ── expansion
    const updated = recorder('onUltraGroupMessageExpansionUpdated');
    b.engine.setOnUltraGroupMessageExpansionUpdatedListener(updated.fn);
    const bCopy = b.received.find((x) => x.messageUId === uid)!;
    assertEqual(
      await updateExpansion(b.engine, bCopy.messageUId!, [
        ['k1', 'v1'],
        ['k2', 'v2'],
      ]),
      0,
      'B sets two keys'
    );
    assertEqual(
      await updated.next(),
      [
        0,
        [
          ['k1', 'v1'],
          ['k2', 'v2'],
        ],
        uid,
      ],
      'onUltraGroupMessageExpansionUpdated'
    );
    for (const m of [a, c]) {
      await waitFor(`${m.userId} sees k1 and k2`, () => {
        const got = inLists(m.expansion, uid);
        return (
          JSON.stringify(sortedExpansion(got)) ===
          JSON.stringify([
            ['k1', 'v1'],
            ['k2', 'v2'],
          ])
        );
      });
    }
    const removed = recorder('onUltraGroupMessageExpansionForKeysRemoved');
    a.engine.setOnUltraGroupMessageExpansionForKeysRemovedListener(removed.fn);
    assertEqual(
      await actionCode('removeUltraGroupMessageExpansionForKeys', (done) =>
        a.engine.removeUltraGroupMessageExpansionForKeys(uid, ['k1'], {
          onUltraGroupMessageExpansionForKeysRemoved: done,
        })
      ),
      0,
      'A removes k1'
    );
    assertEqual(
      await removed.next(),
      [0, uid, ['k1']],
      'onUltraGroupMessageExpansionForKeysRemoved'
    );
    for (const m of [b, c]) {
      await waitFor(
        `${m.userId} sees only k2`,
        () => JSON.stringify(sortedExpansion(inLists(m.expansion, uid))) === '[["k2","v2"]]'
      );
    }
    // The seed's name, answered through its (shared) listener slot.
    const seedRemoved = recorder('onUltraGroupMessageExpansionRemoved');
    a.engine.setOnUltraGroupMessageExpansionRemovedListener(seedRemoved.fn);
    assertEqual(await a.engine.removeUltraGroupMessageExpansion(uid, ['k2']), 0, 'seed remove');
    assertEqual(await seedRemoved.next(), [0, uid, ['k2']], 'its listener');
    await waitFor(
      'C sees no key left',
      () =>
        c.expansion.flat().filter((x) => x.messageUId === uid).length >= 3 &&
        sortedExpansion(inLists(c.expansion, uid)).length === 0
    );
    // A key outside [A-Za-z0-9+=_-]: refused like a private message's expansion key.
    assertEqual(
      await updateExpansion(a.engine, uid, [['bad key', 'v']]),
      EXPANSION_SIZE_LIMIT_EXCEED,
      'a key with a space'
    );
    const plain = await say(a, group, CHANNEL, 'plain');
    assertEqual(
      await updateExpansion(a.engine, plain.messageUId!, [['k', 'v']]),
      UG.MESSAGE_CANT_EXPAND,
      'a message sent without expansion'
    );

    // ── recall, keeping a recall record
    const recalledByA = recorder('onUltraGroupMessageRecalled');
    a.engine.setOnUltraGroupMessageRecalledListener(recalledByA.fn);
    const m2 = await say(a, group, CHANNEL, 'to recall');
    await waitText(b, group, CHANNEL, 'to recall');
    await waitText(c, group, CHANNEL, 'to recall');
    assertEqual(await recall(a.engine, m2, false), 0, 'A recalls, keeping a record');
    const [rCode, rMessage, rDelete] = await recalledByA.next();
    assertEqual([rCode, rDelete], [0, false], 'onUltraGroupMessageRecalled');
    assertEqual((rMessage as RCIMIWMessage).messageUId, m2.messageUId, 'the recalled message');
    for (const m of [b, c]) {
      const got = await waitFor(`${m.userId} onRemoteUltraGroupMessageRecalled`, () =>
        inLists(m.recalled, m2.messageUId)
      );
      assertEqual(got.messageType, RCIMIWMessageType.RECALL, `${m.userId} gets a recall record`);
      const local = await localCopy(m, group, m2.messageUId);
      assertEqual(local?.messageType, RCIMIWMessageType.RECALL, `${m.userId} stores the record`);
    }
    assertEqual(
      (await localCopy(a, group, m2.messageUId))?.messageType,
      RCIMIWMessageType.RECALL,
      "A's own record"
    );

    // ── recall, deleting the message
    const m3 = await say(a, group, CHANNEL, 'to delete');
    await waitText(b, group, CHANNEL, 'to delete');
    await waitText(c, group, CHANNEL, 'to delete');
    assertEqual(await recall(a.engine, m3, true), 0, 'A recalls and deletes');
    const [dCode, , dDelete] = await recalledByA.next();
    assertEqual([dCode, dDelete], [0, true], 'onUltraGroupMessageRecalled (deleteRemote)');
    for (const m of [b, c]) {
      await waitFor(`${m.userId} onRemoteUltraGroupMessageRecalled (deleted)`, () =>
        inLists(m.recalled, m3.messageUId)
      );
      assertEqual(await localCopy(m, group, m3.messageUId), undefined, `${m.userId} deleted it`);
    }
    assertEqual(await localCopy(a, group, m3.messageUId), undefined, 'A deleted it');

    // ── only the sender recalls; a recalled message cannot be edited
    const m4 = await say(a, group, CHANNEL, 'keep me');
    await waitText(b, group, CHANNEL, 'keep me');
    const bM4 = b.received.find((x) => x.messageUId === m4.messageUId)!;
    assertEqual(await recall(b.engine, bM4, false), UG.INVALID_MESSAGE_UID, 'B recalls A');
    const again = await a.engine.createTextMessage(ULTRA, group, CHANNEL, 'too late');
    assertEqual(
      await modify(a.engine, m2.messageUId!, again),
      UG.INVALID_MESSAGE_UID,
      'editing a recalled message'
    );
    assertEqual(
      (await localCopy(c, group, m4.messageUId))?.messageType,
      RCIMIWMessageType.TEXT,
      'C keeps the message B could not recall'
    );

    // ── a recall by the Server API (an admin's): every member's engine is told, the sender's
    const m5 = await say(a, group, CHANNEL, 'recalled by the api');
    await waitText(c, group, CHANNEL, 'recalled by the api');
    await serverApi('/message/recall.json', {
      fromUserId: userB,
      conversationType: 10,
      targetId: group,
      busChannel: CHANNEL,
      messageUID: m5.messageUId!,
      sentTime: m5.sentTime!,
      isAdmin: 1,
      isDelete: 0,
    });
    for (const m of [a, c]) {
      const got = await waitFor(`${m.userId} hears of the Server API's recall`, () =>
        inLists(m.recalled, m5.messageUId)
      );
      assertEqual(got.messageType, RCIMIWMessageType.RECALL, `${m.userId}: a recall record`);
    }

    // ── getBatchRemoteUltraGroupMessages: the uid of a message of another channel is not
    // found in this one.
    const elsewhere = await say(a, group, null, 'in RCDefault');
    const missing = { ...m4, messageUId: elsewhere.messageUId };
    const r = await batch(c.engine, [bCopy, m4, missing]);
    assert(typeof r === 'object', `getBatchRemoteUltraGroupMessages failed with ${r}`);
    assertEqual(
      r.matched.map((x) => x.messageUId).sort(),
      [uid, m4.messageUId].sort(),
      'matched: the messages the server has'
    );
    assertEqual(
      (r.matched.find((x) => x.messageUId === uid) as RCIMIWTextMessage).text,
      'edited',
      'as they are now'
    );
    assertEqual(
      r.notMatched.map((x) => x.messageUId),
      [elsewhere.messageUId],
      'not matched: a uid the channel does not have'
    );
    const loaded = recorder('onBatchRemoteUltraGroupMessagesLoaded');
    c.engine.setOnBatchRemoteUltraGroupMessagesLoadedListener(loaded.fn);
    assertEqual(await c.engine.loadBatchRemoteUltraGroupMessages([m4]), 0, 'load variant');
    const [lCode, lMatched, lNot] = await loaded.next();
    assertEqual(lCode, 0, 'onBatchRemoteUltraGroupMessagesLoaded code');
    assertEqual(
      (lMatched as RCIMIWMessage[]).map((x) => x.messageUId),
      [m4.messageUId],
      'listener matched'
    );
    assertEqual(lNot, [], 'listener not matched');
    assertEqual(await batch(c.engine, []), PARAM_ERROR, 'no message');
    assertEqual(await batch(c.engine, new Array(21).fill(m4)), PARAM_ERROR, '21 messages');
    const otherChannel = { ...m4, channelId: 'other' };
    assertEqual(await batch(c.engine, [m4, otherChannel]), PARAM_ERROR, 'two channels');
  } finally {
    await destroyMembers(all);
  }
}
