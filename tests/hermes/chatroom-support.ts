/**
 * Helpers of the chatroom Hermes tests: connected members whose chatroom events are
 * recorded, and the calls as promises of their result codes.
 */
import {
  RCIMIWConversationType,
  RCIMIWEngine,
  RCIMIWMessageOperationPolicy,
  RCIMIWTimeOrder,
  type RCIMIWMessage,
  type RCIMIWTextMessage,
} from 'react-native-rcim';
import {
  actionCode,
  assertEqual,
  connect,
  engineOptions,
  sendText,
  viaCallback,
  waitFor,
  type HostEnv,
} from './support';

export const CHATROOM = RCIMIWConversationType.CHATROOM;

/** A connected user and what their engine reported about chatrooms. */
export interface Member {
  engine: RCIMIWEngine;
  userId: string;
  /** Chatroom messages received (onMessageReceived), in order. */
  received: RCIMIWMessage[];
  /** The other chatroom events as short strings, in order (see `watch`). */
  log: string[];
}

/** A room id unique to this run (room ids are global on the server). */
export function roomId(env: HostEnv, name: string): string {
  return `${name}-${env.users[0]}`;
}

/** Records the chatroom events of `engine` into a Member. */
export function watch(engine: RCIMIWEngine, userId: string): Member {
  const m: Member = { engine, userId, received: [], log: [] };
  engine.setOnMessageReceivedListener((message) => {
    if (message.conversationType === CHATROOM) m.received.push(message);
  });
  engine.setOnChatRoomJoiningListener((room) => m.log.push(`joining:${room}`));
  engine.setOnChatRoomJoinedListener((code, room) => m.log.push(`joined:${code}:${room}`));
  engine.setOnChatRoomLeftListener((code, room) => m.log.push(`left:${code}:${room}`));
  engine.setOnChatRoomEntriesSyncedListener((room) => m.log.push(`synced:${room}`));
  engine.setOnChatRoomEntriesChangedListener((op, room, entries) =>
    m.log.push(`entries:${op}:${room}:${JSON.stringify(sorted(entries))}`)
  );
  engine.setOnChatRoomMemberChangedListener((room, actions) => {
    for (const a of actions) m.log.push(`member:${room}:${a.userId}:${a.actionType}`);
  });
  engine.setOnChatRoomStatusChangedListener((room, status) =>
    m.log.push(`status:${room}:${status}`)
  );
  return m;
}

/** A Map (or plain object) as a plain object with sorted keys. */
export function sorted(entries: Map<string, unknown> | { [k: string]: unknown }): object {
  const pairs = entries instanceof Map ? [...entries.entries()] : Object.entries(entries);
  return Object.fromEntries(pairs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Connected members for users `indexes` of the run (standalone engines). */
export async function members(env: HostEnv, ...indexes: number[]): Promise<Member[]> {
  const out: Member[] = [];
  for (const i of indexes) {
    const userId = env.users[i];
    const engine = RCIMIWEngine.createStandalone(env.appKey, engineOptions(env));
    out.push(watch(engine, userId));
    assertEqual(await connect(engine, env.tokens[userId]), userId, `user ${i} connects`);
  }
  return out;
}

/** joinChatRoom's code (the call's status when it is refused at once). */
export function join(m: Member, room: string, count: number, autoCreate = false): Promise<number> {
  return actionCode(`${m.userId} joins ${room}`, (done) =>
    m.engine.joinChatRoom(room, count, autoCreate, { onChatRoomJoined: (code) => done(code) })
  );
}

/** joinChatRoom that must succeed. */
export async function joined(m: Member, room: string, count: number, autoCreate = false) {
  assertEqual(await join(m, room, count, autoCreate), 0, `${m.userId} joins ${room}`);
}

/** leaveChatRoom's code. */
export function leave(m: Member, room: string): Promise<number> {
  return actionCode(`${m.userId} leaves ${room}`, (done) =>
    m.engine.leaveChatRoom(room, { onChatRoomLeft: (code) => done(code) })
  );
}

/** A text into a chatroom, waiting for onMessageSent 0. */
export function say(m: Member, room: string, text: string): Promise<RCIMIWMessage> {
  return sendText(m.engine, room, text, CHATROOM);
}

/** The texts of messages. */
export const texts = (ms: RCIMIWMessage[]) => ms.map((x) => (x as RCIMIWTextMessage).text);

/** The member's received texts of `room`. */
export const receivedIn = (m: Member, room: string) =>
  texts(m.received.filter((x) => x.targetId === room));

/** Waits until the member received `count` messages of `room`; returns their texts. */
export async function waitReceived(m: Member, room: string, count: number, what: string) {
  await waitFor(what, () => receivedIn(m, room).length >= count);
  return receivedIn(m, room);
}

/** The room's local messages (getMessages LOCAL, newest first, up to 20). */
export function localTexts(m: Member, room: string): Promise<Array<string | undefined>> {
  return viaCallback<RCIMIWMessage[]>(`${m.userId} local ${room}`, (ok, err) =>
    m.engine.getMessages(
      CHATROOM,
      room,
      null,
      0,
      RCIMIWTimeOrder.BEFORE,
      RCIMIWMessageOperationPolicy.LOCAL,
      20,
      { onSuccess: ok, onError: err }
    )
  ).then(texts);
}

/** Waits until `m.log` holds `line`. */
export function waitLog(m: Member, line: string, timeoutMs = 15000): Promise<unknown> {
  return waitFor(
    `${m.userId} log "${line}" (log: ${m.log.join(' | ')})`,
    () => m.log.includes(line),
    timeoutMs
  );
}

/** addChatRoomEntry's code. */
export function addEntry(
  m: Member,
  room: string,
  key: string,
  value: string,
  deleteWhenLeft = false,
  overwrite = false
): Promise<number> {
  return actionCode(`${m.userId} sets ${key}`, (done) =>
    m.engine.addChatRoomEntry(room, key, value, deleteWhenLeft, overwrite, {
      onChatRoomEntryAdded: done,
    })
  );
}

/** removeChatRoomEntry's code. */
export function removeEntry(m: Member, room: string, key: string, force = false): Promise<number> {
  return actionCode(`${m.userId} removes ${key}`, (done) =>
    m.engine.removeChatRoomEntry(room, key, force, { onChatRoomEntryRemoved: done })
  );
}

/** addChatRoomEntries' code and failed keys (the call's status and {} when refused at once). */
export async function addEntries(
  m: Member,
  room: string,
  entries: { [k: string]: string },
  deleteWhenLeft = false,
  overwrite = false
): Promise<{ code: number; errors: object }> {
  let got: { code: number; errors: object } | undefined;
  const status = await m.engine.addChatRoomEntries(
    room,
    new Map(Object.entries(entries)),
    deleteWhenLeft,
    overwrite,
    {
      onChatRoomEntriesAdded: (code, errors) =>
        (got = { code, errors: sorted(errors as unknown as { [k: string]: number }) }),
    }
  );
  if (status !== 0) return { code: status, errors: {} };
  return waitFor(`${m.userId} sets ${Object.keys(entries).length} entries`, () => got);
}

/** getChatRoomAllEntries: the entries, or the error code. */
export async function allEntries(m: Member, room: string): Promise<object | number> {
  let got: object | number | undefined;
  const status = await m.engine.getChatRoomAllEntries(room, {
    onSuccess: (t) => (got = sorted(t as unknown as { [k: string]: string })),
    onError: (code) => (got = code),
  });
  if (status !== 0) return status;
  return waitFor(`${m.userId} reads ${room}'s entries`, () => got);
}

/**
 * Users 0 and 1 of the run as members A and B of the new room `name` (A creates it, both join
 * without history); runs `body` with them and destroys their engines after, whatever happens.
 */
export async function inRoomOfTwo(
  env: HostEnv,
  name: string,
  body: (room: string, a: Member, b: Member) => Promise<void>
): Promise<void> {
  const room = roomId(env, name);
  const all = await members(env, 0, 1);
  const [a, b] = all;
  try {
    await joined(a, room, -1, true);
    await joined(b, room, -1);
    await body(room, a, b);
  } finally {
    await destroyMembers(all);
  }
}

/** Destroys engines, ignoring errors. */
export async function destroyMembers(ms: Member[]): Promise<void> {
  for (const m of ms) {
    try {
      await m.engine.destroy();
    } catch {
      // ignore
    }
  }
}
