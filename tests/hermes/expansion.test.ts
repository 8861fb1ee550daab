// Message expansion through the TS API (R065, R066, R123–R128), A on a phone and a tablet
// (one mobile device online at a time) and B:
// * `expansion` set before sending travels with the message (B and A's tablet get it);
// * A's phone updates it: callback + listener (the Map of the call), B online gets
//   onRemoteMessageExpansionUpdated with only the changed pairs (a Map) and the message with
//   the whole expansion; the phone itself gets no remote event;
// * A's phone removes a key while B is offline: B gets onRemoteMessageExpansionForKeyRemoved
//   when it comes back; A's tablet, offline during both changes, gets both remote events;
// * limits: key over 32 characters or outside [A-Za-z0-9+=_-], value over 4096, more than 20
//   per update, more than 300 on the message: 34010; a message sent without expansion: 34008;
//   an unknown uid: 1 (not stored locally) or 34203 (unknown to the server); nothing to set: 1.
import { type RCIMIWEngine, type RCIMIWMessage, type RCIMIWTextMessage } from 'react-native-rcim';
import {
  PRIVATE,
  actionCode,
  assert,
  assertEqual,
  connect,
  destroyAll,
  deviceEngine,
  hostEnv,
  objectCode,
  onlineDevice,
  paceSend,
  viaCallback,
  waitFor,
  waitForAsync,
  type HostEnv,
} from './support';

const SIZE_LIMIT = 34010;
const CANT_EXPAND = 34008;
const INVALID_UID = 34203;

type Pairs = Array<[string, string]>;
const sorted = (m: Map<string, string> | { [k: string]: string } | undefined): Pairs =>
  (m instanceof Map ? [...m.entries()] : Object.entries(m ?? {})).sort(([x], [y]) =>
    x < y ? -1 : x > y ? 1 : 0
  );

interface Remote {
  updated: Array<{ expansion: Map<string, string>; message: RCIMIWMessage }>;
  removed: Array<{ message: RCIMIWMessage; keys: string[] }>;
}

/** A device whose remote-expansion listeners are set before it connects (offline sync). */
async function deviceWithListeners(env: HostEnv, userId: string, name: string) {
  const engine = deviceEngine(env, name);
  const remote: Remote = { updated: [], removed: [] };
  engine.setOnRemoteMessageExpansionUpdatedListener((expansion, message) =>
    remote.updated.push({ expansion, message })
  );
  engine.setOnRemoteMessageExpansionForKeyRemovedListener((message, keys) =>
    remote.removed.push({ message, keys })
  );
  try {
    assertEqual(await connect(engine, env.tokens[userId]), userId, `${name} userId`);
  } catch (e) {
    await destroyAll(engine);
    throw e;
  }
  return { engine, remote };
}

async function send(engine: RCIMIWEngine, message: RCIMIWMessage): Promise<RCIMIWMessage> {
  await paceSend();
  return viaCallback<RCIMIWMessage>('sendMessage', (ok, err) =>
    engine.sendMessage(message, {
      onMessageSent: (code, m) => (code === 0 ? ok(m) : err(code)),
    })
  );
}

const byUId = (engine: RCIMIWEngine, uid: string) =>
  viaCallback<RCIMIWMessage>('getMessageByUId', (ok, err) =>
    engine.getMessageByUId(uid, { onSuccess: ok, onError: err })
  );

export default async function () {
  const env = hostEnv();
  const [userA, userB] = env.users;
  let phone: RCIMIWEngine | undefined;
  let tablet: RCIMIWEngine | undefined;
  let b: RCIMIWEngine | undefined;
  try {
    // ── expansion set before sending travels with the message
    const p = await deviceWithListeners(env, userA, 'a-phone');
    phone = p.engine;
    const bDevice = await deviceWithListeners(env, userB, 'b-phone');
    b = bDevice.engine;
    const receivedByB: RCIMIWMessage[] = [];
    b.setOnMessageReceivedListener((m) => receivedByB.push(m));

    const draft = await phone.createTextMessage(PRIVATE, userB, null, 'expand me');
    draft.expansion = { k1: 'v1' };
    const sent = await send(phone, draft);
    const uid = sent.messageUId ?? '';
    assert(uid !== '', 'sent message has a uid');
    assertEqual(sorted(sent.expansion), [['k1', 'v1']], 'sender’s expansion');
    const plain = await send(
      phone,
      await phone.createTextMessage(PRIVATE, userB, null, 'no expansion')
    );
    await waitFor('B received both', () => receivedByB.length >= 2);
    const got = receivedByB.find((m) => m.messageUId === uid) as RCIMIWTextMessage;
    assertEqual(got?.text, 'expand me', 'B received the message');
    assertEqual(sorted(got.expansion), [['k1', 'v1']], 'B received the expansion');

    // A's tablet gets the message too, then goes offline.
    await destroyAll(phone);
    phone = undefined;
    tablet = await onlineDevice(env, userA, 'a-tablet');
    const onTablet = await waitForAsync('the tablet synced the message', async () => {
      const code = await objectCode('tablet getMessageByUId', (cb) =>
        tablet!.getMessageByUId(uid, cb)
      );
      return code === 0;
    });
    assert(onTablet, 'tablet has the message');
    assertEqual(sorted((await byUId(tablet, uid)).expansion), [['k1', 'v1']], 'tablet copy');
    await destroyAll(tablet);
    tablet = undefined;

    // ── update from the phone; B is online
    const p2 = await deviceWithListeners(env, userA, 'a-phone');
    phone = p2.engine;
    const updatedByListener: Array<[number, string, Pairs]> = [];
    phone.setOnMessageExpansionUpdatedListener((code, messageUId, expansion) =>
      updatedByListener.push([code, messageUId, sorted(expansion)])
    );
    const change = new Map([
      ['k1', 'v1b'],
      ['k2', 'v2'],
    ]);
    assertEqual(
      await actionCode('updateMessageExpansion', (done) =>
        phone!.updateMessageExpansion(uid, change, { onMessageExpansionUpdated: done })
      ),
      0,
      'update code'
    );
    await waitFor('onMessageExpansionUpdated listener', () => updatedByListener.length > 0);
    assertEqual(updatedByListener[0], [0, uid, sorted(change)], 'listener arguments');
    await waitFor('B onRemoteMessageExpansionUpdated', () => bDevice.remote.updated.length > 0);
    const atB = bDevice.remote.updated[0];
    assert(atB.expansion instanceof Map, 'the remote expansion is a Map');
    assertEqual(sorted(atB.expansion), sorted(change), 'B gets the changed pairs');
    assertEqual(atB.message.messageUId, uid, 'B remote message uid');
    assertEqual(
      sorted(atB.message.expansion),
      [
        ['k1', 'v1b'],
        ['k2', 'v2'],
      ],
      'B remote message: the whole expansion'
    );
    assertEqual(
      sorted((await byUId(b, uid)).expansion),
      sorted(change),
      'B stored expansion after the update'
    );
    assertEqual(
      sorted((await byUId(phone, uid)).expansion),
      sorted(change),
      'phone stored expansion after the update'
    );

    // ── removal from the phone while B is offline
    await destroyAll(b);
    b = undefined;
    const removedByListener: Array<[number, string, string[]]> = [];
    phone.setOnMessageExpansionForKeysRemovedListener((code, messageUId, keys) =>
      removedByListener.push([code, messageUId, keys])
    );
    assertEqual(
      await actionCode('removeMessageExpansionForKeys', (done) =>
        phone!.removeMessageExpansionForKeys(uid, ['k1'], {
          onMessageExpansionForKeysRemoved: done,
        })
      ),
      0,
      'remove code'
    );
    await waitFor('onMessageExpansionForKeysRemoved listener', () => removedByListener.length > 0);
    assertEqual(removedByListener[0], [0, uid, ['k1']], 'remove listener arguments');
    assertEqual(sorted((await byUId(phone, uid)).expansion), [['k2', 'v2']], 'phone after remove');
    assertEqual(p2.remote.updated.length + p2.remote.removed.length, 0, 'no remote event on phone');

    const b2 = await deviceWithListeners(env, userB, 'b-phone');
    b = b2.engine;
    await waitFor('B (back) onRemoteMessageExpansionForKeyRemoved', () => b2.remote.removed.length);
    assertEqual(b2.remote.removed[0].keys, ['k1'], 'B removed keys');
    assertEqual(b2.remote.removed[0].message.messageUId, uid, 'B removed message uid');
    assertEqual(sorted((await byUId(b, uid)).expansion), [['k2', 'v2']], 'B after the removal');

    // ── the tablet was offline during both changes
    await destroyAll(phone);
    phone = undefined;
    const t = await deviceWithListeners(env, userA, 'a-tablet');
    tablet = t.engine;
    await waitFor('tablet remote update', () => t.remote.updated.length > 0);
    await waitFor('tablet remote removal', () => t.remote.removed.length > 0);
    assertEqual(sorted(t.remote.updated[0].expansion), sorted(change), 'tablet changed pairs');
    assertEqual(t.remote.removed[0].keys, ['k1'], 'tablet removed keys');
    assertEqual(sorted((await byUId(tablet, uid)).expansion), [['k2', 'v2']], 'tablet copy');

    // ── limits (R066, R127), from the tablet
    const codeOf = (what: string, pairs: Map<string, string>, target = uid) =>
      actionCode(what, (done) =>
        tablet!.updateMessageExpansion(target, pairs, { onMessageExpansionUpdated: done })
      );
    const one = (k: string, v = 'v') => new Map([[k, v]]);
    assertEqual(await codeOf('key of 33', one('k'.repeat(33))), SIZE_LIMIT, 'key of 33');
    assertEqual(await codeOf('key of 32', one('K'.repeat(32))), 0, 'key of 32');
    assertEqual(await codeOf('CJK key', one('键')), SIZE_LIMIT, 'key outside the alphabet');
    assertEqual(await codeOf('key with space', one('a b')), SIZE_LIMIT, 'key with a space');
    assertEqual(await codeOf('key +=_-', one('a+=_-9')), 0, 'key with + = _ -');
    assertEqual(await codeOf('value of 4097', one('big', 'x'.repeat(4097))), SIZE_LIMIT, '4097');
    assertEqual(await codeOf('value of 4096', one('big', '值'.repeat(4096))), 0, 'value of 4096');
    const many = (n: number, prefix: string) =>
      new Map(Array.from({ length: n }, (_, i): [string, string] => [`${prefix}${i}`, 'v']));
    assertEqual(await codeOf('21 pairs', many(21, 'x')), SIZE_LIMIT, '21 pairs in one update');
    // k2, K*32, a+=_-9, big: 4 keys; 14 updates of 20 make 284; 17 more is 301.
    for (let i = 0; i < 14; i++) {
      assertEqual(await codeOf(`20 pairs #${i}`, many(20, `p${i}_`)), 0, `20 pairs #${i}`);
    }
    assertEqual(await codeOf('301 keys', many(17, 'q')), SIZE_LIMIT, '301 keys on the message');
    assertEqual(await codeOf('300 keys', many(16, 'q')), 0, '300 keys on the message');
    assertEqual(
      await codeOf('not expandable', one('k'), plain.messageUId ?? ''),
      CANT_EXPAND,
      'message sent without expansion'
    );
    // The engine looks the message up locally first (1 when it holds no such uid); the
    // server answers 34203 for a uid it does not know.
    const unknown = await codeOf('unknown uid', one('k'), 'NO-SUCH-UID');
    assert(unknown === 1 || unknown === INVALID_UID, `unknown uid: 1 or 34203 (got ${unknown})`);
    assertEqual(await codeOf('nothing to set', new Map()), 1, 'empty update');
    assertEqual(
      Object.keys((await byUId(tablet, uid)).expansion ?? {}).length,
      300,
      'the message holds 300 keys'
    );
  } finally {
    await destroyAll(phone, tablet, b);
  }
}
