'use strict';
/**
 * The mock's core: the shared in-memory state (engines, one local store per appKey|userId,
 * tokens, scripted replies, recorded calls) and the helpers every area uses: event emission,
 * the local store (messages, derived conversations and unread counts), delivery of a message
 * to another user's engines, and the outbox of state-changing operations (run at once while
 * online, queued while the connection is down, refused without a live session).
 */
const {
  Code,
  ConversationType,
  Direction,
  MentionedType,
  MessageType,
  PushNotificationLevel,
  ReceivedStatus,
  SentStatus,
  isCounted,
  isStored,
} = require('./constants');

const clone = (v) => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));
const convKey = (type, targetId, channelId) => `${type}|${targetId}|${channelId || ''}`;

/**
 * A conversation's time in the list (ms), as the engine's sort time: its last message's, or
 * a later draft's, or when a setting created it without messages.
 */
function listTime(st, c) {
  const key = convKey(c.conversationType, c.targetId, c.channelId);
  return Math.max(
    c.lastMessage ? c.lastMessage.sentTime : 0,
    st.draftTimes.get(key) || 0,
    st.settingTimes.get(key) || 0
  );
}

/** `c` as the engine reports it: with its list time as `operationTime`. */
const reported = (st, c) => (c ? { ...c, operationTime: listTime(st, c) } : c);

/** The named arguments `names` ("a b c") of `a`, missing ones as null (event args echo them). */
function pick(a, names) {
  const o = {};
  for (const n of names.split(' ')) o[n] = a[n] === undefined ? null : a[n];
  return o;
}

/** A new (unsent) message of `messageType` for the conversation of create args `a`. */
function draftMessage(a, messageType, fields) {
  return {
    conversationType: a.type,
    messageType,
    targetId: a.targetId,
    channelId: a.channelId || '',
    direction: Direction.SEND,
    sentStatus: SentStatus.SENDING,
    receivedStatus: ReceivedStatus.UNREAD,
    ...fields,
  };
}

/** The same method entry under its deprecated `load…` name and its 5.2.5 `get…` name. */
const loadAndGet = (name, entry) => ({ [`load${name}`]: entry, [`get${name}`]: entry });

/** Creates a fresh state and the helpers bound to it. */
function createCore() {
  const s = {
    nextHandle: 1,
    engines: new Map(), // handle -> engine
    // appKey|userId -> { messages: [], conversations: Map, draftTimes: Map, settingTimes: Map,
    // outbox: [] }
    stores: new Map(),
    tokens: new Map(), // token -> userId
    invalidTokens: new Set(),
    replies: new Map(), // method -> [code, ...] scripted replies
    nextMessageId: 1,
    nextUId: 1,
    lastTime: 0,
    calls: [],
    // media uploads/downloads in flight: key -> transfer (see startTransfer)
    transfers: new Map(),
    // downloads cancelled midway: key -> steps already fetched (a new download resumes there)
    partialDownloads: new Map(),
    holdTransfers: false,
    nextFileId: 1,
    // the server setting "only the sender may recall" (RCIMMock.setRecallOnlySender)
    recallOnlySender: false,
  };

  /** A strictly increasing clock (ms). */
  const now = () => {
    s.lastTime = Math.max(Date.now(), s.lastTime + 1);
    return s.lastTime;
  };

  function store(appKey, userId) {
    const key = `${appKey}|${userId}`;
    let st = s.stores.get(key);
    if (!st) {
      // draftTimes: conversation key -> when its draft was saved (orders the list).
      // settingTimes: conversation key -> when a pin or level created it (orders it while it
      // has no message).
      // outbox: queued operations, in call order (the engine's persisted outbox).
      st = {
        userId,
        messages: [],
        conversations: new Map(),
        draftTimes: new Map(),
        settingTimes: new Map(),
        outbox: [],
      };
      s.stores.set(key, st);
    }
    return st;
  }

  const engineStore = (engine) => store(engine.appKey, engine.userId);

  /** Live, connected engines logged in as `userId` of `appKey`. */
  function* connectedEngines(appKey, userId) {
    for (const e of s.engines.values()) {
      if (e.alive && e.connected && e.appKey === appKey && e.userId === userId) yield e;
    }
  }

  /**
   * Queues an event for `engine`'s listener (a microtask later, like the host object).
   * `eventIds`: further calls it answers (a cancel ends its own call and the cancelled one).
   */
  function emit(engine, name, args, eventId, eventIds) {
    // Serialized now: the event shows the state at the time it happened.
    const event = { name, args };
    if (eventId !== undefined && eventId !== null) event.eventId = eventId;
    const more = (eventIds || []).filter((x) => x !== undefined && x !== null);
    if (more.length) event.eventIds = more;
    const json = JSON.stringify(event);
    Promise.resolve().then(() => {
      if (engine.alive && engine.listener) engine.listener(json);
    });
  }

  /** The conversation `m` belongs to, created on first use. */
  function conversationOf(st, m) {
    const key = convKey(m.conversationType, m.targetId, m.channelId);
    let c = st.conversations.get(key);
    if (!c) {
      c = {
        conversationType: m.conversationType,
        targetId: m.targetId,
        channelId: m.channelId || '',
        unreadCount: 0,
        mentionedCount: 0,
        top: false,
        draft: '',
        notificationLevel: PushNotificationLevel.NONE,
        firstUnreadMsgSendTime: 0,
      };
      st.conversations.set(key, c);
    }
    return c;
  }

  function messagesOf(st, type, targetId, channelId) {
    const key = convKey(type, targetId, channelId);
    return st.messages.filter((m) => convKey(m.conversationType, m.targetId, m.channelId) === key);
  }

  const isUnread = (m) =>
    m.direction === Direction.RECEIVE && m.receivedStatus === ReceivedStatus.UNREAD && isCounted(m);

  /**
   * Whether a received group message @-mentions `userId`: everyone (type ALL) or a list
   * (type PART) that holds them. Only group and ultra-group messages count.
   */
  function mentions(m, userId) {
    const info = m.mentionedInfo;
    if (!info) return false;
    if (![ConversationType.GROUP, ConversationType.ULTRA_GROUP].includes(m.conversationType)) {
      return false;
    }
    if (m.direction !== Direction.RECEIVE) return false;
    if (info.type === MentionedType.ALL) return true;
    return (
      info.type === MentionedType.PART &&
      Array.isArray(info.userIdList) &&
      info.userIdList.includes(userId)
    );
  }

  /** Unread messages of the store's user that @-mention them. */
  const isUnreadMention = (st, m) => isUnread(m) && mentions(m, st.userId);

  /** Recomputes a conversation's unread and mention counts, first unread time, last message. */
  function refreshConversation(st, c) {
    const msgs = messagesOf(st, c.conversationType, c.targetId, c.channelId);
    const unread = msgs.filter(isUnread);
    c.unreadCount = unread.length;
    c.mentionedCount = unread.filter((m) => mentions(m, st.userId)).length;
    c.firstUnreadMsgSendTime = unread.length ? unread[0].sentTime : 0;
    c.lastMessage = msgs.length ? clone(msgs[msgs.length - 1]) : undefined;
  }

  function storeMessage(st, m) {
    st.messages.push(m);
    // Chatroom messages make no conversation (no list entry, no unread count).
    if (m.conversationType === ConversationType.CHATROOM) return m;
    const c = conversationOf(st, m);
    refreshConversation(st, c);
    return m;
  }

  /**
   * The local record of an outgoing message: the stored one when `message` was attached
   * before (a resend of the same object), else a new one, stored unless its type is not
   * (a COMMAND, a custom COMMAND/STATUS message: no messageId).
   */
  function attach(e, message) {
    const st = engineStore(e);
    let m = message.messageId ? st.messages.find((x) => x.messageId === message.messageId) : null;
    if (m) return m;
    m = {
      ...clone(message),
      senderUserId: e.userId,
      direction: Direction.SEND,
      sentStatus: SentStatus.SENDING,
      sentTime: now(),
    };
    if (m.channelId === undefined || m.channelId === null) m.channelId = '';
    // An ultra-group message without a channel is in the default channel (R213).
    if (m.conversationType === ConversationType.ULTRA_GROUP && m.channelId === '') {
      m.channelId = 'RCDefault';
    }
    if (isStored(m)) {
      m.messageId = s.nextMessageId++;
      storeMessage(st, m);
    }
    return m;
  }

  /** Stores an incoming message for `userId` and tells that user's connected engines. */
  function receive(appKey, userId, message, extra = {}) {
    const st = store(appKey, userId);
    const m = {
      ...clone(message),
      messageId: s.nextMessageId++,
      messageUId: message.messageUId || `MOCK-${s.nextUId++}`,
      direction: Direction.RECEIVE,
      sentStatus: SentStatus.SENT,
      receivedStatus: ReceivedStatus.UNREAD,
      sentTime: message.sentTime || now(),
      receivedTime: now(),
      offLine: !!extra.offline,
    };
    if (m.messageType === undefined) m.messageType = MessageType.TEXT;
    if (m.channelId === undefined) m.channelId = '';
    if (m.senderUserId === undefined) m.senderUserId = m.targetId;
    if (isStored(m)) storeMessage(st, m);
    else delete m.messageId;
    for (const e of connectedEngines(appKey, userId)) {
      emit(e, 'onMessageReceived', {
        message: m,
        left: extra.left || 0,
        offline: !!extra.offline,
        hasPackage: !!extra.hasPackage,
      });
    }
    return clone(m);
  }

  /**
   * Delivers a sent message: to the peer (private), or to every other live user (group), or
   * only to `only` (a directed group message).
   */
  function deliver(sender, message, only) {
    const recipients = [];
    if (message.conversationType === ConversationType.CHATROOM) {
      const room = chatrooms.roomOf(sender.appKey, message.targetId);
      if (room) recipients.push(...[...room.members.keys()].filter((u) => u !== sender.userId));
    } else if (only) {
      recipients.push(...only.filter((u) => u !== sender.userId));
    } else if (message.conversationType === ConversationType.PRIVATE) {
      recipients.push(message.targetId);
    } else {
      for (const e of s.engines.values()) {
        if (e.alive && e.userId && e.userId !== sender.userId && e.appKey === sender.appKey) {
          recipients.push(e.userId);
        }
      }
    }
    for (const userId of new Set(recipients)) {
      receive(sender.appKey, userId, {
        ...clone(message),
        targetId:
          message.conversationType === ConversationType.PRIVATE ? sender.userId : message.targetId,
        senderUserId: sender.userId,
      });
    }
  }

  /**
   * Chatrooms by `appKey|roomId`: `{ id, members: Map(userId -> join time), entries:
   * Map(key -> { value, owner, deleteWhenLeft }), history: [message] }` (areas/chatroom.js).
   */
  const chatrooms = {
    rooms: new Map(),
    roomOf: (appKey, roomId) => chatrooms.rooms.get(`${appKey}|${roomId}`),
    /** Connected engines of the room's members. */
    *membersEngines(appKey, room) {
      for (const userId of room.members.keys()) yield* connectedEngines(appKey, userId);
    },
    /** Deletes `e`'s user's local messages of a room. */
    clearLocal(e, roomId) {
      const st = engineStore(e);
      st.messages = st.messages.filter(
        (m) => !(m.conversationType === ConversationType.CHATROOM && m.targetId === roomId)
      );
    },
    /** Deletes `e`'s user's local messages of every room (a session starts or ends). */
    clearAllLocal(e) {
      const st = engineStore(e);
      st.messages = st.messages.filter((m) => m.conversationType !== ConversationType.CHATROOM);
    },
    /** `e`'s user leaves `room`: local messages, `deleteWhenLeft` entries, member event. */
    leaveRoom(e, room) {
      room.members.delete(e.userId);
      chatrooms.clearLocal(e, room.id);
      const removed = {};
      for (const [key, entry] of [...room.entries]) {
        if (entry.owner === e.userId && entry.deleteWhenLeft) {
          room.entries.delete(key);
          removed[key] = entry.value;
        }
      }
      for (const other of chatrooms.membersEngines(e.appKey, room)) {
        if (Object.keys(removed).length) {
          emit(other, 'onChatRoomEntriesChanged', {
            operationType: 1,
            roomId: room.id,
            entries: removed,
          });
        }
        emit(other, 'onChatRoomMemberChanged', {
          targetId: room.id,
          actions: [{ userId: e.userId, actionType: 2 }],
        });
      }
    },
    /** A chatroom send: 23406 unless the sender is a member; kept in the room's history. */
    accept(e, m) {
      const room = chatrooms.roomOf(e.appKey, m.targetId);
      if (!room || !room.members.has(e.userId)) return 23406;
      room.history.push(clone(m));
      return 0;
    },
    /** Destroys a room (Server API): its members get the status and lose its messages. */
    destroy(appKey, roomId, status) {
      const room = chatrooms.roomOf(appKey, roomId);
      if (!room) return false;
      chatrooms.rooms.delete(`${appKey}|${roomId}`);
      for (const userId of room.members.keys()) {
        for (const e of connectedEngines(appKey, userId)) {
          chatrooms.clearLocal(e, roomId);
          emit(e, 'onChatRoomStatusChanged', { targetId: roomId, status });
        }
      }
      return true;
    },
  };

  /**
   * Runs a state-changing operation (an area entry marked `queued`), as the engine does:
   * argument errors first (`entry.check`), then 33001 without a live session (never connected,
   * signed out, kicked...). `entry.prepare` runs at once (a send is stored and attached);
   * `entry.run` runs now when online, else when the status is CONNECTED again.
   */
  function operate(e, entry, a, id) {
    const bad = entry.check ? entry.check(e, a) : 0;
    if (bad) return bad;
    if (!e.connected) return Code.CLIENT_NOT_INIT;
    const prepared = entry.prepare ? entry.prepare(e, a, id) : undefined;
    const job = { handle: e.handle, entry, args: a, eventId: id, prepared };
    if (e.online) entry.run(e, a, id, prepared);
    else engineStore(e).outbox.push(job);
    return 0;
  }

  /**
   * `e` is online: runs its queued operations in call order; with `orphans`, also those left
   * by an ended session of its user (they report to the listener only).
   */
  function flushOutbox(e, orphans) {
    const st = engineStore(e);
    const due = st.outbox.filter((j) => j.handle === e.handle || (orphans && j.handle === null));
    st.outbox = st.outbox.filter((j) => !due.includes(j));
    for (const j of due) j.entry.run(e, j.args, j.eventId, j.prepared);
  }

  /**
   * Ends `e`'s session. With a `code` (refused, kicked, timed out) its queued sends fail with
   * it; everything else it queued stays for the next connect of the user and then reports to
   * the listener only (the engine reloads it from disk without the calls' callbacks).
   */
  function endSession(e, code) {
    const live = e.connected;
    e.connected = false;
    e.online = false;
    if (!live || !e.userId) return;
    // Like the engine: no local chatroom message outlives its session (R186, R201).
    chatrooms.clearAllLocal(e);
    const st = engineStore(e);
    for (const j of [...st.outbox]) {
      if (j.handle !== e.handle) continue;
      if (code && j.entry.fail) {
        st.outbox.splice(st.outbox.indexOf(j), 1);
        j.entry.fail(e, j.args, j.eventId, j.prepared, code);
      } else {
        j.handle = null;
        j.eventId = null;
      }
    }
  }

  return {
    s,
    now,
    operate,
    flushOutbox,
    endSession,
    store,
    engineStore,
    connectedEngines,
    emit,
    conversationOf,
    messagesOf,
    isUnread,
    isUnreadMention,
    refreshConversation,
    storeMessage,
    attach,
    receive,
    deliver,
    chatrooms,
  };
}

module.exports = {
  clone,
  convKey,
  createCore,
  draftMessage,
  listTime,
  loadAndGet,
  pick,
  reported,
};
