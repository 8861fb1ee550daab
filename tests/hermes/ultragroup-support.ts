/**
 * Helpers of the ultra-group Hermes tests: groups and channels made through the Server API
 * (`/ultragroup/*`, `/message/ultragroup/publish.json`), connected members whose ultra-group
 * events are recorded, and the calls as promises of what their callback objects get.
 */
import {
  RCIMIWConversationType,
  RCIMIWEngine,
  RCIMIWMentionedType,
  type RCIMIWConversation,
  type RCIMIWEngineOptions,
  type RCIMIWMessageOperationPolicy,
  type RCIMIWTimeOrder,
  type RCIMIWMessage,
  type RCIMIWTextMessage,
  type RCIMIWUltraGroupTypingStatusInfo,
} from 'react-native-rcim';
import { serverApi, serverApiCall, serverApiJson } from './server-api';
import {
  BEFORE,
  LOCAL,
  actionCode,
  assert,
  assertEqual,
  connect,
  deviceEngine,
  engineOptions,
  paceSend,
  viaCallback,
  waitFor,
  type HostEnv,
} from './support';

export const ULTRA = RCIMIWConversationType.ULTRA_GROUP;
/** The default channel every ultra group has (R213); "" means it everywhere. */
export const RC_DEFAULT = 'RCDefault';

/** RongCloud's ultra-group codes (rongcloud_facts §4.6). */
export const UG = {
  NOT_IN_GROUP: 24406,
  FORBIDDEN: 24408,
  GROUP_NOT_EXIST: 24410,
  CHANNEL_NOT_EXIST: 24414,
  NOT_IN_PRIVATE_CHANNEL: 24416,
  /** Unknown uid, another channel, not the sender, recalled (modify / recall). */
  INVALID_MESSAGE_UID: 34203,
  /** Expansion on a message sent without it. */
  MESSAGE_CANT_EXPAND: 34008,
} as const;

/** An ultra group id unique to this run (group ids are global on the server). */
export function groupId(env: HostEnv, name: string): string {
  return `${name}${env.users[0]}`.replace(/[^A-Za-z0-9]/g, '');
}

export interface ChannelSpec {
  id: string;
  /** A private channel with these listed members. */
  privateUsers?: string[];
}

/**
 * Creates ultra group `id` through the Server API: `members[0]` creates it (and joins), the
 * others join, then the channels are created (private ones with their listed users).
 */
export async function createUltraGroup(
  id: string,
  members: string[],
  channels: ChannelSpec[] = []
): Promise<void> {
  await serverApi('/ultragroup/create.json', {
    userId: members[0],
    groupId: id,
    groupName: `ultra ${id}`,
  });
  for (const userId of members.slice(1)) {
    await serverApi('/ultragroup/join.json', { userId, groupId: id });
  }
  for (const c of channels) {
    await serverApi('/ultragroup/channel/create.json', {
      groupId: id,
      busChannel: c.id,
      type: c.privateUsers ? 1 : 0,
    });
    if (c.privateUsers) {
      await serverApi('/ultragroup/channel/private/users/add.json', {
        groupId: id,
        busChannel: c.id,
        userIds: c.privateUsers.join(','),
      });
    }
  }
}

export interface PublishOptions {
  /** Directed: only these members get it. */
  toUserIds?: string[];
  /** @all (`mentionedInfo` type 1 and `isMentioned`). */
  mentionAll?: boolean;
  /** @ these users (`mentionedInfo` type 2 and `isMentioned`). */
  mention?: string[];
  /** Extra fields of the JSON body (`pushContent`, `expansion`...). */
  extra?: { [k: string]: unknown };
}

/** Publishes a text into a channel through `/message/ultragroup/publish.json`; its uid. */
export async function publish(
  group: string,
  channel: string,
  fromUserId: string,
  text: string,
  options: PublishOptions = {}
): Promise<string> {
  const content: { [k: string]: unknown } = { content: text };
  let mentioned = false;
  if (options.mentionAll) {
    content.mentionedInfo = { type: 1, userIdList: [] };
    mentioned = true;
  } else if (options.mention) {
    content.mentionedInfo = { type: 2, userIdList: options.mention };
    mentioned = true;
  }
  const body: { [k: string]: unknown } = {
    fromUserId,
    toGroupIds: [group],
    objectName: 'RC:TxtMsg',
    content: JSON.stringify(content),
    busChannel: channel,
    ...options.extra,
  };
  if (mentioned) body.isMentioned = 1;
  if (options.toUserIds) body.toUserIds = options.toUserIds;
  const answer = await serverApiJson('/message/ultragroup/publish.json', body);
  const uid = answer.messageUID;
  assert(typeof uid === 'string' && uid !== '', `publish answered no messageUID: ${uid}`);
  return uid;
}

/**
 * Publishes `texts` into one channel, `concurrency` requests at a time; resolves their uids
 * in the order of `texts` (the server's order may differ within a batch: pass concurrency 1
 * when the order matters).
 */
export async function publishAll(
  group: string,
  channel: string,
  fromUserId: string,
  texts: string[],
  concurrency = 1,
  options: PublishOptions = {}
): Promise<string[]> {
  const uids: string[] = new Array(texts.length);
  let next = 0;
  const worker = async () => {
    while (next < texts.length) {
      const i = next++;
      uids[i] = await publish(group, channel, fromUserId, texts[i], options);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return uids;
}

/** A Server API call's code (not failing on refusals). */
export async function apiCode(path: string, params: { [k: string]: string | number }) {
  return (await serverApiCall(path, params)).code;
}

/** A connected user and what their engine reported about ultra groups. */
export interface UgMember {
  engine: RCIMIWEngine;
  userId: string;
  /** Ultra-group messages received (onMessageReceived), in order. */
  received: RCIMIWMessage[];
  /** onRemoteUltraGroupMessageModified lists, in order. */
  modified: RCIMIWMessage[][];
  /** onRemoteUltraGroupMessageRecalled lists. */
  recalled: RCIMIWMessage[][];
  /** onRemoteUltraGroupMessageExpansionUpdated lists. */
  expansion: RCIMIWMessage[][];
  /** onUltraGroupReadTimeReceived calls. */
  readTimes: Array<{ targetId: string; channelId: string; timestamp: number }>;
  /** onUltraGroupTypingStatusChanged lists. */
  typing: RCIMIWUltraGroupTypingStatusInfo[][];
}

/** Records the ultra-group events of `engine`. */
export function watch(engine: RCIMIWEngine, userId: string): UgMember {
  const m: UgMember = {
    engine,
    userId,
    received: [],
    modified: [],
    recalled: [],
    expansion: [],
    readTimes: [],
    typing: [],
  };
  engine.setOnMessageReceivedListener((message) => {
    if (message.conversationType === ULTRA) m.received.push(message);
  });
  engine.setOnRemoteUltraGroupMessageModifiedListener((ms) => m.modified.push(ms));
  engine.setOnRemoteUltraGroupMessageRecalledListener((ms) => m.recalled.push(ms));
  engine.setOnRemoteUltraGroupMessageExpansionUpdatedListener((ms) => m.expansion.push(ms));
  engine.setOnUltraGroupReadTimeReceivedListener((targetId, channelId, timestamp) =>
    m.readTimes.push({ targetId, channelId, timestamp })
  );
  engine.setOnUltraGroupTypingStatusChangedListener((info) => m.typing.push(info));
  return m;
}

/** Connected members for users `indexes` of the run (standalone engines). */
export async function members(env: HostEnv, ...indexes: number[]): Promise<UgMember[]> {
  const out: UgMember[] = [];
  for (const i of indexes) {
    const userId = env.users[i];
    const engine = RCIMIWEngine.createStandalone(env.appKey, engineOptions(env));
    const m = watch(engine, userId);
    out.push(m);
    assertEqual(await connect(engine, env.tokens[userId]), userId, `user ${i} connects`);
  }
  return out;
}

/** A device of user `index` (its own data directory, see `deviceEngine`), watched, connected. */
export async function device(
  env: HostEnv,
  index: number,
  name: string,
  extra: RCIMIWEngineOptions = {}
): Promise<UgMember> {
  const userId = env.users[index];
  const engine = deviceEngine(env, name, extra);
  const m = watch(engine, userId);
  assertEqual(await connect(engine, env.tokens[userId]), userId, `${name} connects`);
  return m;
}

/** Destroys members' engines, ignoring errors. */
export async function destroyMembers(ms: Array<UgMember | undefined>): Promise<void> {
  for (const m of ms) {
    try {
      if (m) await m.engine.destroy();
    } catch {
      // ignore
    }
  }
}

/** The texts of messages. */
export const texts = (ms: RCIMIWMessage[]) => ms.map((x) => (x as RCIMIWTextMessage).text);

/** The member's received texts of (group, channel). */
export const receivedIn = (m: UgMember, group: string, channel: string) =>
  texts(m.received.filter((x) => x.targetId === group && x.channelId === channel));

/** Waits until the member received `count` messages of (group, channel); returns their texts. */
export async function waitReceived(
  m: UgMember,
  group: string,
  channel: string,
  count: number,
  what: string,
  timeoutMs = 15000
) {
  await waitFor(
    `${what} (${m.userId} has ${JSON.stringify(receivedIn(m, group, channel))})`,
    () => receivedIn(m, group, channel).length >= count,
    timeoutMs
  );
  return receivedIn(m, group, channel);
}

/** Waits until the member received `text` in (group, channel); returns the channel's texts. */
export async function waitText(
  m: UgMember,
  group: string,
  channel: string,
  text: string,
  timeoutMs = 15000
) {
  await waitFor(
    `${m.userId} receives "${text}" (has ${JSON.stringify(receivedIn(m, group, channel))})`,
    () => receivedIn(m, group, channel).includes(text),
    timeoutMs
  );
  return receivedIn(m, group, channel);
}

/** Options of `say`: @-mentions, an expandable message. */
export interface SayOptions {
  mention?: string[];
  mentionAll?: boolean;
  expandable?: boolean;
}

/**
 * A text from `m` into (group, channel) — `channel` null for the default — through
 * sendMessage; resolves onMessageSent's code and message.
 */
export async function trySay(
  m: UgMember,
  group: string,
  channel: string | null,
  text: string,
  options: SayOptions = {}
): Promise<{ code: number; message: RCIMIWMessage }> {
  const msg = await m.engine.createTextMessage(ULTRA, group, channel, text);
  // A refused argument (a channel id over 20 characters) resolves its code instead.
  if (typeof msg === 'number') return { code: msg, message: {} };
  assert(msg !== null && typeof msg === 'object', 'createTextMessage resolved no message');
  if (options.mentionAll) msg.mentionedInfo = { type: RCIMIWMentionedType.ALL, userIdList: [] };
  else if (options.mention) {
    msg.mentionedInfo = { type: RCIMIWMentionedType.PART, userIdList: options.mention };
  }
  if (options.expandable) msg.expansion = {};
  let sent: { code: number; message: RCIMIWMessage } | undefined;
  await paceSend();
  const status = await m.engine.sendMessage(msg, {
    onMessageSent: (code, message) => (sent = { code, message }),
  });
  if (status !== 0) return { code: status, message: msg };
  return waitFor(`onMessageSent for "${text}"`, () => sent);
}

/** `trySay` that must succeed; resolves the sent message. */
export async function say(
  m: UgMember,
  group: string,
  channel: string | null,
  text: string,
  options: SayOptions = {}
): Promise<RCIMIWMessage> {
  const r = await trySay(m, group, channel, text, options);
  assertEqual(r.code, 0, `${m.userId} sends "${text}" into ${group}/${channel}`);
  return r.message;
}

/** One page of a channel's getMessages through its callback object. */
export function channelPage(
  engine: RCIMIWEngine,
  group: string,
  channel: string,
  sentTime: number,
  order: RCIMIWTimeOrder,
  policy: RCIMIWMessageOperationPolicy,
  count: number
): Promise<RCIMIWMessage[]> {
  return viaCallback<RCIMIWMessage[]>(`getMessages of ${group}/${channel}`, (ok, err) =>
    engine.getMessages(ULTRA, group, channel, sentTime, order, policy, count, {
      onSuccess: ok,
      onError: err,
    })
  );
}

/** The channel's local messages (getMessages LOCAL, newest first, up to `count`). */
export async function localTexts(
  m: UgMember,
  group: string,
  channel: string,
  count = 20
): Promise<Array<string | undefined>> {
  return texts(await channelPage(m.engine, group, channel, 0, BEFORE, LOCAL, count));
}

/** An object-callback getter's value (its onSuccess argument), failing on onError. */
export function get<T>(
  what: string,
  start: (cb: { onSuccess: (t: T) => void; onError: (code: number) => void }) => Promise<number>
): Promise<T> {
  return viaCallback<T>(what, (ok, err) => start({ onSuccess: ok, onError: err }));
}

/** An object-callback getter's code: its status, onError's code, or 0. */
export async function getCode<T>(
  what: string,
  start: (cb: { onSuccess: (t: T) => void; onError: (code: number) => void }) => Promise<number>
): Promise<number> {
  return actionCode(what, (done) => start({ onSuccess: () => done(0), onError: done }));
}

/** getUnreadCount of one channel conversation (R140). */
export function channelUnread(m: UgMember, group: string, channel: string) {
  return get<number>(`${m.userId} unread of ${group}/${channel}`, (cb) =>
    m.engine.getUnreadCount(ULTRA, group, channel, cb)
  );
}

/** getUltraGroupUnreadCount of one group. */
export function groupUnread(m: UgMember, group: string) {
  return get<number>(`${m.userId} getUltraGroupUnreadCount`, (cb) =>
    m.engine.getUltraGroupUnreadCount(group, cb)
  );
}

/** getUltraGroupUnreadMentionedCount of one group. */
export function groupMentions(m: UgMember, group: string) {
  return get<number>(`${m.userId} getUltraGroupUnreadMentionedCount`, (cb) =>
    m.engine.getUltraGroupUnreadMentionedCount(group, cb)
  );
}

/** getUltraGroupAllUnreadCount. */
export function allUnread(m: UgMember) {
  return get<number>(`${m.userId} getUltraGroupAllUnreadCount`, (cb) =>
    m.engine.getUltraGroupAllUnreadCount(cb)
  );
}

/** getUltraGroupAllUnreadMentionedCount. */
export function allMentions(m: UgMember) {
  return get<number>(`${m.userId} getUltraGroupAllUnreadMentionedCount`, (cb) =>
    m.engine.getUltraGroupAllUnreadMentionedCount(cb)
  );
}

/** getConversationsForAllChannel: the channel conversations of one group. */
export function channelsOf(m: UgMember, group: string) {
  return get<RCIMIWConversation[]>(`${m.userId} getConversationsForAllChannel`, (cb) =>
    m.engine.getConversationsForAllChannel(ULTRA, group, cb)
  );
}

/** The channel ids of conversations, sorted. */
export const channelIds = (cs: RCIMIWConversation[]) => cs.map((c) => c.channelId ?? '').sort();
