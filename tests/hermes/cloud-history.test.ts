// @server-args: --offline-compensation-days 0
// @offline-messages: 300
// Cloud history through getMessages (R092–R096). The runner publishes m0..m299 from B to A
// through the Server API; the server gives new devices no offline compensation (0 days), so
// every device of A starts with an empty store and must page the history from the server:
// * REMOTE, BEFORE from the newest, 20 at a time: all 300 once, newest first, no gap; AFTER
//   from 0: the oldest 20, oldest first; count 0 or 21: 1;
// * on a second fresh device, LOCAL_REMOTE the same way: the same 300 in the same order;
//   then a live message from B joins the top; a second pass with LOCAL and a third with
//   LOCAL_REMOTE while signed out (no server to ask) give the same list: it was stored.
import {
  RCIMIWMessageDirection,
  type RCIMIWEngine,
  type RCIMIWMessage,
  type RCIMIWMessageOperationPolicy,
} from 'react-native-rcim';
import {
  AFTER,
  BEFORE,
  LOCAL,
  LOCAL_REMOTE,
  PRIVATE,
  REMOTE,
  assert,
  assertEqual,
  destroyAll,
  hostEnv,
  objectCode,
  onlineDevice,
  page,
  sendText,
  signOut,
  sleep,
  texts,
  waitFor,
} from './support';

const PUBLISHED = 300;
const PAGE = 20;

/** Pages BEFORE from the newest until a short page; checks each page's own order. */
async function pageBack(
  engine: RCIMIWEngine,
  targetId: string,
  policy: RCIMIWMessageOperationPolicy,
  what: string
): Promise<RCIMIWMessage[]> {
  const all: RCIMIWMessage[] = [];
  let sentTime = 0;
  for (let n = 0; n < 100; n++) {
    const got = await page(engine, PRIVATE, targetId, sentTime, BEFORE, policy, PAGE, what);
    assert(got.length <= PAGE, `${what}: page ${n} has ${got.length} messages`);
    all.push(...got);
    if (got.length < PAGE) return all;
    sentTime = got[got.length - 1].sentTime ?? 0;
  }
  throw new Error(`${what}: more than 100 pages`);
}

/** Every message once, newest first (strictly decreasing sentTime), all with a uid. */
function checkNewestFirst(list: RCIMIWMessage[], what: string): void {
  const uids = new Set(list.map((m) => m.messageUId));
  assertEqual(uids.size, list.length, `${what}: every message once`);
  assert(!uids.has(undefined) && !uids.has(''), `${what}: every message has a uid`);
  for (let i = 1; i < list.length; i++) {
    assert(
      (list[i - 1].sentTime ?? 0) > (list[i].sentTime ?? 0),
      `${what}: sentTime decreases at ${i}`
    );
  }
}

export default async function () {
  const env = hostEnv();
  const [userA, userB] = env.users;
  const expected = Array.from({ length: PUBLISHED }, (_, i) => `m${i}`).sort();
  let phone: RCIMIWEngine | undefined;
  let tablet: RCIMIWEngine | undefined;
  let b: RCIMIWEngine | undefined;
  try {
    // ── REMOTE on a fresh device
    phone = await onlineDevice(env, userA, 'a-phone');
    await sleep(500);
    assertEqual(
      texts(await page(phone, PRIVATE, userB, 0, BEFORE, LOCAL, PAGE)),
      [],
      'no offline compensation: the fresh store is empty'
    );
    const remote = await pageBack(phone, userB, REMOTE, 'REMOTE');
    assertEqual(remote.length, PUBLISHED, 'REMOTE pass length');
    checkNewestFirst(remote, 'REMOTE pass');
    assertEqual(texts(remote).sort(), expected, 'REMOTE pass texts: m0..m299');
    for (const m of remote) {
      assertEqual(m.direction, RCIMIWMessageDirection.RECEIVE, 'direction of B’s messages');
      assertEqual(m.senderUserId, userB, 'sender of the published messages');
    }

    const oldest = await page(phone, PRIVATE, userB, 0, AFTER, REMOTE, PAGE, 'REMOTE AFTER 0');
    assertEqual(
      oldest.map((m) => m.messageUId),
      remote
        .slice(-PAGE)
        .reverse()
        .map((m) => m.messageUId),
      'AFTER 0: the oldest 20, oldest first'
    );
    for (const count of [0, PAGE + 1]) {
      assertEqual(
        await objectCode(`getMessages count ${count}`, (cb) =>
          phone!.getMessages(PRIVATE, userB, null, 0, BEFORE, REMOTE, count, cb)
        ),
        1,
        `count ${count}`
      );
    }
    await destroyAll(phone);
    phone = undefined;

    // ── LOCAL_REMOTE on another fresh device
    tablet = await onlineDevice(env, userA, 'a-tablet');
    const received: RCIMIWMessage[] = [];
    tablet.setOnMessageReceivedListener((m) => received.push(m));
    assertEqual(
      texts(await page(tablet, PRIVATE, userB, 0, BEFORE, LOCAL, PAGE)),
      [],
      'the tablet starts empty'
    );
    const first = await pageBack(tablet, userB, LOCAL_REMOTE, 'LOCAL_REMOTE');
    assertEqual(
      first.map((m) => m.messageUId),
      remote.map((m) => m.messageUId),
      'LOCAL_REMOTE pass = REMOTE pass'
    );

    // A live message joins the top of the history.
    b = await onlineDevice(env, userB, 'b-phone');
    const live = await sendText(b, userA, 'live');
    await waitFor('the tablet received the live message', () => received.length > 0);
    const withLive = [live.messageUId, ...remote.map((m) => m.messageUId)];

    const second = await pageBack(tablet, userB, LOCAL, 'LOCAL');
    assertEqual(
      second.map((m) => m.messageUId),
      withLive,
      'second pass, LOCAL: everything was stored'
    );
    checkNewestFirst(second, 'LOCAL pass');
    await signOut(tablet);
    const third = await pageBack(tablet, userB, LOCAL_REMOTE, 'LOCAL_REMOTE signed out');
    assertEqual(
      third.map((m) => m.messageUId),
      withLive,
      'third pass, LOCAL_REMOTE without a connection: served locally'
    );
  } finally {
    await destroyAll(phone, tablet, b);
  }
}
