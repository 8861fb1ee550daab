'use strict';
/**
 * In-memory stand-in for the RCIM native bridge (`global.__rcimBridge`, docs/bridge.md),
 * for Jest tests of apps and of this package. It speaks the same JSON protocol as the real
 * host object and keeps one local store per (appKey, userId); engines of different users
 * in the same test process can chat with each other (private and group messages).
 *
 * It implements the methods of the current engine round: connect, disconnect,
 * changeLogLevel, createTextMessage, sendMessage, load/getMessages, getMessageById,
 * load/getConversations, load/getConversation, removeConversation, load/getUnreadCount,
 * load/getTotalUnreadCount, load/getUnreadCountByConversationTypes, clearUnreadCount,
 * load/getMessageCount, load/getFirstUnreadMessage, saveDraftMessage, load/getDraftMessage,
 * clearDraftMessage, searchMessages (case-insensitive substring of text messages),
 * recallMessage (sender only; every copy becomes a RECALL record, other users get
 * onRemoteMessageRecalled), sendPrivateReadReceiptMessage (the peer's sent messages up to the
 * timestamp become READ and it gets onPrivateReadReceiptReceived),
 * changeConversationTopStatus / changeConversationNotificationLevel (creating the
 * conversation; the user's other connected engines get onConversationTopStatusSynced),
 * load/getConversationTopStatus, load/getTopConversations,
 * load/getConversationNotificationLevel, load/getBlockedConversations. Other
 * methods resolve 3 (NATIVE_OPERATION_ERROR) unless scripted with `RCIMMock.setReply`.
 */

// Official numeric values (RCIMDefines.ts of the 5.2.5 wrapper).
const ConnectionStatus = { CONNECTED: 1, CONNECTING: 2, TOKEN_INCORRECT: 5, SIGN_OUT: 7 };
const ConversationType = { PRIVATE: 1, GROUP: 2, CHATROOM: 3, SYSTEM: 4, ULTRA_GROUP: 5 };
const MessageType = { TEXT: 2, RECALL: 8, COMMAND: 10, COMMAND_NOTIFICATION: 11 };
const SentStatus = { SENDING: 0, FAILED: 1, SENT: 2, READ: 4 };
const ReceivedStatus = { UNREAD: 0, READ: 1 };
const Direction = { SEND: 0, RECEIVE: 1 };
const TimeOrder = { BEFORE: 0, AFTER: 1 };
// ALL_MESSAGE (0) is the default level of a conversation, as in the engine.
const PushNotificationLevel = { ALL_MESSAGE: 0, NONE: 1 };
// Do-not-disturb levels (MENTION, MENTION_USERS, MENTION_ALL, BLOCKED): left out of
// getUnreadCountByConversationTypes unless `contain`.
const isMuted = (level) => level >= 2 && level <= 5;
const Code = {
  SUCCESS: 0,
  PARAM_ERROR: 1,
  ENGINE_DESTROYED: 2,
  NATIVE_OPERATION_ERROR: 3,
  CONNECTION_UNAVAILABLE: 30002,
  TOKEN_INCORRECT: 31004,
  RECALL_PARAMETER_INVALID: 25101,
  RECALL_USER_INVALID: 25107,
};
const typesOk = (types) =>
  types.length > 0 && types.every((t) => Number.isInteger(t) && t >= 1 && t <= 5);

const NOT_COUNTED = new Set([
  MessageType.RECALL,
  MessageType.COMMAND,
  MessageType.COMMAND_NOTIFICATION,
]);

// Parameter types per method, checked like the engine does (PARAM_ERROR = 1).
const conv = { type: 'number', targetId: 'string', channelId: 'string?' };
const history = {
  ...conv,
  sentTime: 'number',
  order: 'number',
  policy: 'number',
  count: 'count20',
};
const list = {
  conversationTypes: 'array',
  channelId: 'string?',
  startTime: 'number',
  count: 'count50',
};
const byTypes = { conversationTypes: 'array', channelId: 'string?', contain: 'boolean' };
const SPECS = {
  connect: { token: 'string', timeout: 'number' },
  disconnect: { receivePush: 'boolean' },
  changeLogLevel: { level: 'number' },
  createTextMessage: { ...conv, text: 'string' },
  sendMessage: { message: 'object' },
  loadMessages: history,
  getMessages: history,
  getMessageById: { messageId: 'number' },
  loadConversations: list,
  getConversations: list,
  loadConversation: conv,
  getConversation: conv,
  removeConversation: conv,
  loadUnreadCount: conv,
  getUnreadCount: conv,
  loadTotalUnreadCount: { channelId: 'string?' },
  getTotalUnreadCount: { channelId: 'string?' },
  clearUnreadCount: { ...conv, timestamp: 'number' },
  loadUnreadCountByConversationTypes: byTypes,
  getUnreadCountByConversationTypes: byTypes,
  loadMessageCount: conv,
  getMessageCount: conv,
  loadFirstUnreadMessage: conv,
  getFirstUnreadMessage: conv,
  saveDraftMessage: { ...conv, draft: 'string' },
  loadDraftMessage: conv,
  getDraftMessage: conv,
  clearDraftMessage: conv,
  searchMessages: { ...conv, keyword: 'string', startTime: 'number', count: 'count50' },
  recallMessage: { message: 'object' },
  sendPrivateReadReceiptMessage: { targetId: 'string', channelId: 'string?', timestamp: 'number' },
  changeConversationTopStatus: { ...conv, top: 'boolean' },
  loadConversationTopStatus: conv,
  getConversationTopStatus: conv,
  loadTopConversations: { conversationTypes: 'array', channelId: 'string?' },
  getTopConversations: { conversationTypes: 'array', channelId: 'string?' },
  changeConversationNotificationLevel: { ...conv, level: 'number' },
  loadConversationNotificationLevel: conv,
  getConversationNotificationLevel: conv,
  loadBlockedConversations: { conversationTypes: 'array', channelId: 'string?' },
  getBlockedConversations: { conversationTypes: 'array', channelId: 'string?' },
};

function typeOk(kind, v) {
  switch (kind) {
    case 'string':
      return typeof v === 'string';
    case 'string?':
      return v === null || v === undefined || typeof v === 'string';
    case 'number':
      return typeof v === 'number' && Number.isFinite(v);
    case 'boolean':
      return typeof v === 'boolean';
    case 'object':
      return v !== null && typeof v === 'object' && !Array.isArray(v);
    case 'array':
      return Array.isArray(v);
    case 'count20':
      return typeof v === 'number' && v > 0 && v <= 20;
    case 'count50':
      return typeof v === 'number' && v > 0 && v <= 50;
    default:
      return true;
  }
}

const clone = (v) => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));
const convKey = (type, targetId, channelId) => `${type}|${targetId}|${channelId || ''}`;

function createFakeBridge() {
  const s = {
    nextHandle: 1,
    engines: new Map(), // handle -> engine
    stores: new Map(), // appKey|userId -> { messages: [], conversations: Map }
    tokens: new Map(), // token -> userId
    invalidTokens: new Set(),
    replies: new Map(), // method -> [code, ...] scripted replies
    nextMessageId: 1,
    nextUId: 1,
    lastTime: 0,
    calls: [],
  };

  const now = () => {
    s.lastTime = Math.max(Date.now(), s.lastTime + 1);
    return s.lastTime;
  };

  function store(appKey, userId) {
    const key = `${appKey}|${userId}`;
    let st = s.stores.get(key);
    if (!st) {
      // draftTimes: conversation key -> when its draft was saved (orders the list).
      st = { messages: [], conversations: new Map(), draftTimes: new Map() };
      s.stores.set(key, st);
    }
    return st;
  }

  function emit(engine, name, args, eventId) {
    // Serialized now: the event shows the state at the time it happened.
    const event = { name, args };
    if (eventId !== undefined && eventId !== null) event.eventId = eventId;
    const json = JSON.stringify(event);
    Promise.resolve().then(() => {
      if (engine.alive && engine.listener) engine.listener(json);
    });
  }

  function engineStore(engine) {
    return store(engine.appKey, engine.userId);
  }

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
        notificationLevel: PushNotificationLevel.ALL_MESSAGE,
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
    m.direction === Direction.RECEIVE &&
    m.receivedStatus === ReceivedStatus.UNREAD &&
    !NOT_COUNTED.has(m.messageType);

  function refreshConversation(st, c) {
    const msgs = messagesOf(st, c.conversationType, c.targetId, c.channelId);
    const unread = msgs.filter(isUnread);
    c.unreadCount = unread.length;
    c.firstUnreadMsgSendTime = unread.length ? unread[0].sentTime : 0;
    c.lastMessage = msgs.length ? clone(msgs[msgs.length - 1]) : undefined;
  }

  function storeMessage(st, m) {
    st.messages.push(m);
    const c = conversationOf(st, m);
    refreshConversation(st, c);
    return m;
  }

  function deliver(sender, message) {
    const recipients = [];
    if (message.conversationType === ConversationType.PRIVATE) {
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
    if (m.messageType !== MessageType.COMMAND) storeMessage(st, m);
    for (const e of s.engines.values()) {
      if (e.alive && e.connected && e.appKey === appKey && e.userId === userId) {
        emit(e, 'onMessageReceived', {
          message: m,
          left: extra.left || 0,
          offline: !!extra.offline,
          hasPackage: !!extra.hasPackage,
        });
      }
    }
    return clone(m);
  }

  const handlers = {
    connect(e, a, id) {
      const invalid =
        s.invalidTokens.has(a.token) || a.token === '' || a.token.startsWith('invalid');
      emit(e, 'onConnectionStatusChanged', { status: ConnectionStatus.CONNECTING });
      if (invalid) {
        emit(e, 'onConnectionStatusChanged', { status: ConnectionStatus.TOKEN_INCORRECT });
        emit(e, 'onConnected', { code: Code.TOKEN_INCORRECT, userId: '' }, id);
        return 0;
      }
      e.userId = s.tokens.get(a.token) || a.token;
      e.connected = true;
      store(e.appKey, e.userId);
      emit(e, 'onDatabaseOpened', { code: 0 }, id);
      emit(e, 'onConnected', { code: 0, userId: e.userId }, id);
      emit(e, 'onConnectionStatusChanged', { status: ConnectionStatus.CONNECTED });
      return 0;
    },
    disconnect(e) {
      e.connected = false;
      emit(e, 'onConnectionStatusChanged', { status: ConnectionStatus.SIGN_OUT });
      return 0;
    },
    changeLogLevel() {
      return 0;
    },
    createTextMessage(e, a) {
      return {
        code: 0,
        value: {
          conversationType: a.type,
          messageType: MessageType.TEXT,
          targetId: a.targetId,
          channelId: a.channelId || '',
          direction: Direction.SEND,
          sentStatus: SentStatus.SENDING,
          receivedStatus: ReceivedStatus.UNREAD,
          text: a.text,
        },
      };
    },
    sendMessage(e, a, id) {
      const st = engineStore(e);
      let m = a.message.messageId
        ? st.messages.find((x) => x.messageId === a.message.messageId)
        : null;
      if (!m) {
        m = {
          ...clone(a.message),
          messageId: s.nextMessageId++,
          senderUserId: e.userId,
          direction: Direction.SEND,
          sentStatus: SentStatus.SENDING,
          sentTime: now(),
        };
        if (m.channelId === undefined || m.channelId === null) m.channelId = '';
        storeMessage(st, m);
      }
      emit(e, 'onMessageAttached', { message: m }, id);
      if (!e.connected) {
        m.sentStatus = SentStatus.FAILED;
        emit(e, 'onMessageSent', { code: Code.CONNECTION_UNAVAILABLE, message: m }, id);
        return 0;
      }
      m.sentStatus = SentStatus.SENT;
      m.messageUId = m.messageUId || `MOCK-${s.nextUId++}`;
      refreshConversation(st, conversationOf(st, m));
      emit(e, 'onMessageSent', { code: 0, message: m }, id);
      deliver(e, m);
      return 0;
    },
    loadMessages(e, a, id) {
      const st = engineStore(e);
      const key = convKey(a.type, a.targetId, a.channelId);
      let msgs = st.messages.filter(
        (m) => convKey(m.conversationType, m.targetId, m.channelId) === key
      );
      if (a.order === TimeOrder.AFTER) {
        msgs = msgs.filter((m) => m.sentTime > a.sentTime).slice(0, a.count);
      } else {
        const ref = a.sentTime > 0 ? a.sentTime : Infinity;
        msgs = msgs
          .filter((m) => m.sentTime < ref)
          .reverse()
          .slice(0, a.count);
      }
      emit(
        e,
        'onMessagesLoaded',
        { code: 0, ...pick(a, 'type targetId channelId sentTime order'), messages: msgs },
        id
      );
      return 0;
    },
    getMessageById(e, a) {
      const m = engineStore(e).messages.find((x) => x.messageId === a.messageId);
      return { code: 0, value: m ? clone(m) : null };
    },
    loadConversations(e, a, id) {
      const st = engineStore(e);
      const types = new Set(a.conversationTypes);
      let list = [...st.conversations.values()].filter(
        (c) => types.has(c.conversationType) && (c.lastMessage || c.draft || c.top)
      );
      const time = (c) =>
        Math.max(
          c.lastMessage ? c.lastMessage.sentTime : 0,
          st.draftTimes.get(convKey(c.conversationType, c.targetId, c.channelId)) || 0
        );
      if (a.startTime > 0) list = list.filter((c) => time(c) < a.startTime);
      list.sort((x, y) => Number(y.top) - Number(x.top) || time(y) - time(x));
      emit(
        e,
        'onConversationsLoaded',
        {
          code: 0,
          ...pick(a, 'conversationTypes channelId startTime count'),
          conversations: list.slice(0, a.count),
        },
        id
      );
      return 0;
    },
    loadConversation(e, a, id) {
      const c = engineStore(e).conversations.get(convKey(a.type, a.targetId, a.channelId));
      emit(
        e,
        'onConversationLoaded',
        { code: 0, ...pick(a, 'type targetId channelId'), conversation: c || null },
        id
      );
      return 0;
    },
    removeConversation(e, a, id) {
      engineStore(e).conversations.delete(convKey(a.type, a.targetId, a.channelId));
      emit(e, 'onConversationRemoved', { code: 0, ...pick(a, 'type targetId channelId') }, id);
      return 0;
    },
    loadUnreadCount(e, a, id) {
      const c = engineStore(e).conversations.get(convKey(a.type, a.targetId, a.channelId));
      emit(
        e,
        'onUnreadCountLoaded',
        { code: 0, ...pick(a, 'type targetId channelId'), count: c ? c.unreadCount : 0 },
        id
      );
      return 0;
    },
    loadTotalUnreadCount(e, a, id) {
      let count = 0;
      for (const c of engineStore(e).conversations.values()) {
        if (c.conversationType !== ConversationType.CHATROOM) count += c.unreadCount;
      }
      emit(e, 'onTotalUnreadCountLoaded', { code: 0, channelId: a.channelId, count }, id);
      return 0;
    },
    clearUnreadCount(e, a, id) {
      const st = engineStore(e);
      const key = convKey(a.type, a.targetId, a.channelId);
      for (const m of st.messages) {
        if (convKey(m.conversationType, m.targetId, m.channelId) !== key) continue;
        if (a.timestamp === 0 || m.sentTime <= a.timestamp) m.receivedStatus = ReceivedStatus.READ;
      }
      const c = st.conversations.get(key);
      if (c) refreshConversation(st, c);
      emit(
        e,
        'onUnreadCountCleared',
        { code: 0, ...pick(a, 'type targetId channelId timestamp') },
        id
      );
      return 0;
    },
    loadUnreadCountByConversationTypes(e, a, id) {
      const types = a.conversationTypes;
      if (!types.length || !types.every((t) => Number.isInteger(t) && t >= 1 && t <= 5)) {
        return Code.PARAM_ERROR;
      }
      let count = 0;
      for (const c of engineStore(e).conversations.values()) {
        if (!types.includes(c.conversationType) || c.conversationType === ConversationType.CHATROOM)
          continue;
        if (c.channelId !== (a.channelId || '')) continue;
        if (!a.contain && isMuted(c.notificationLevel)) continue;
        count += c.unreadCount;
      }
      emit(
        e,
        'onUnreadCountByConversationTypesLoaded',
        { code: 0, ...pick(a, 'conversationTypes channelId contain'), count },
        id
      );
      return 0;
    },
    loadMessageCount(e, a, id) {
      const count = messagesOf(engineStore(e), a.type, a.targetId, a.channelId).length;
      emit(
        e,
        'onMessageCountLoaded',
        { code: 0, ...pick(a, 'type targetId channelId'), count },
        id
      );
      return 0;
    },
    loadFirstUnreadMessage(e, a, id) {
      const first = messagesOf(engineStore(e), a.type, a.targetId, a.channelId)
        .filter(isUnread)
        .sort((x, y) => x.sentTime - y.sentTime)[0];
      emit(
        e,
        'onFirstUnreadMessageLoaded',
        { code: 0, ...pick(a, 'type targetId channelId'), message: first || null },
        id
      );
      return 0;
    },
    saveDraftMessage(e, a, id) {
      const st = engineStore(e);
      const key = convKey(a.type, a.targetId, a.channelId);
      if (a.draft === '') {
        clearDraft(st, key);
      } else {
        const c = conversationOf(st, {
          conversationType: a.type,
          targetId: a.targetId,
          channelId: a.channelId,
        });
        c.draft = a.draft;
        st.draftTimes.set(key, now());
      }
      emit(e, 'onDraftMessageSaved', { code: 0, ...pick(a, 'type targetId channelId draft') }, id);
      return 0;
    },
    loadDraftMessage(e, a, id) {
      const c = engineStore(e).conversations.get(convKey(a.type, a.targetId, a.channelId));
      emit(
        e,
        'onDraftMessageLoaded',
        { code: 0, ...pick(a, 'type targetId channelId'), draft: c ? c.draft : '' },
        id
      );
      return 0;
    },
    clearDraftMessage(e, a, id) {
      clearDraft(engineStore(e), convKey(a.type, a.targetId, a.channelId));
      emit(e, 'onDraftMessageCleared', { code: 0, ...pick(a, 'type targetId channelId') }, id);
      return 0;
    },
    searchMessages(e, a, id) {
      if (a.keyword === '' || a.type === ConversationType.CHATROOM) return Code.PARAM_ERROR;
      const needle = a.keyword.toLowerCase();
      const messages = messagesOf(engineStore(e), a.type, a.targetId, a.channelId)
        .filter(
          (m) =>
            typeof m.text === 'string' &&
            m.text.toLowerCase().includes(needle) &&
            (a.startTime <= 0 || m.sentTime < a.startTime)
        )
        .sort((x, y) => y.sentTime - x.sentTime)
        .slice(0, a.count);
      emit(
        e,
        'onMessagesSearched',
        { code: 0, ...pick(a, 'type targetId channelId keyword startTime count'), messages },
        id
      );
      return 0;
    },
    recallMessage(e, a, id) {
      const uid = a.message.messageUId;
      const mine = uid && engineStore(e).messages.find((m) => m.messageUId === uid);
      let code = 0;
      if (!e.connected) code = Code.CONNECTION_UNAVAILABLE;
      else if (!mine) code = Code.RECALL_PARAMETER_INVALID;
      else if (mine.senderUserId !== e.userId) code = Code.RECALL_USER_INVALID;
      if (code !== 0) {
        emit(e, 'onMessageRecalled', { code, message: a.message }, id);
        return 0;
      }
      const recallTime = now();
      // Every stored copy becomes a recall record; other users' engines are told.
      for (const [key, st] of s.stores) {
        const m = st.messages.find((x) => x.messageUId === uid);
        if (!m) continue;
        delete m.text;
        Object.assign(m, {
          messageType: MessageType.RECALL,
          operatorId: e.userId,
          recallTime,
          recallActionTime: recallTime,
          admin: false,
          deleted: false,
        });
        refreshConversation(st, conversationOf(st, m));
        const [appKey, userId] = key.split('|');
        if (appKey !== e.appKey || userId === e.userId) continue;
        for (const other of s.engines.values()) {
          if (
            other.alive &&
            other.connected &&
            other.appKey === appKey &&
            other.userId === userId
          ) {
            emit(other, 'onRemoteMessageRecalled', { message: clone(m) });
          }
        }
      }
      emit(e, 'onMessageRecalled', { code: 0, message: clone(mine) }, id);
      return 0;
    },
    sendPrivateReadReceiptMessage(e, a, id) {
      const args = { targetId: a.targetId, channelId: a.channelId || '', timestamp: a.timestamp };
      if (!e.connected) {
        emit(
          e,
          'onPrivateReadReceiptMessageSent',
          { code: Code.CONNECTION_UNAVAILABLE, ...args },
          id
        );
        return 0;
      }
      const peer = store(e.appKey, a.targetId);
      for (const m of peer.messages) {
        const toReader =
          m.conversationType === ConversationType.PRIVATE &&
          m.direction === Direction.SEND &&
          m.targetId === e.userId;
        if (toReader && m.sentStatus === SentStatus.SENT && m.sentTime <= a.timestamp) {
          m.sentStatus = SentStatus.READ;
        }
      }
      for (const other of s.engines.values()) {
        if (
          other.alive &&
          other.connected &&
          other.appKey === e.appKey &&
          other.userId === a.targetId
        ) {
          emit(other, 'onPrivateReadReceiptReceived', { ...args, targetId: e.userId });
        }
      }
      emit(e, 'onPrivateReadReceiptMessageSent', { code: 0, ...args }, id);
      return 0;
    },
  };
  /** Applies a setting change (top / level) for `e`'s user; other connected engines of the
   * same user are told about a pin change (onConversationTopStatusSynced). */
  function changeSetting(e, a, id, field, event) {
    const args = pick(a, `type targetId channelId ${field}`);
    args.channelId = args.channelId || '';
    if (a.type === ConversationType.CHATROOM || !(a.type >= 1 && a.type <= 5) || !a.targetId) {
      return Code.PARAM_ERROR;
    }
    if (field === 'level' && !(Number.isInteger(a.level) && a.level >= 0 && a.level <= 5)) {
      return Code.PARAM_ERROR;
    }
    if (!e.connected) {
      emit(e, event, { code: Code.CONNECTION_UNAVAILABLE, ...args }, id);
      return 0;
    }
    const c = conversationOf(engineStore(e), {
      conversationType: a.type,
      targetId: a.targetId,
      channelId: a.channelId,
    });
    if (field === 'top') c.top = a.top;
    else c.notificationLevel = a.level;
    if (field === 'top') {
      for (const other of s.engines.values()) {
        if (
          other !== e &&
          other.alive &&
          other.connected &&
          other.appKey === e.appKey &&
          other.userId === e.userId
        ) {
          emit(other, 'onConversationTopStatusSynced', {
            type: a.type,
            targetId: a.targetId,
            channelId: args.channelId,
            top: a.top,
          });
        }
      }
    }
    emit(e, event, { code: 0, ...args }, id);
    return 0;
  }

  function conversationList(e, a, id, keep, event) {
    if (!typesOk(a.conversationTypes)) return Code.PARAM_ERROR;
    const types = new Set(a.conversationTypes);
    const conversations = [...engineStore(e).conversations.values()].filter(
      (c) => types.has(c.conversationType) && c.channelId === (a.channelId || '') && keep(c)
    );
    emit(e, event, { code: 0, ...pick(a, 'conversationTypes channelId'), conversations }, id);
    return 0;
  }

  handlers.changeConversationTopStatus = (e, a, id) =>
    changeSetting(e, a, id, 'top', 'onConversationTopStatusChanged');
  handlers.changeConversationNotificationLevel = (e, a, id) =>
    changeSetting(e, a, id, 'level', 'onConversationNotificationLevelChanged');
  handlers.loadConversationTopStatus = (e, a, id) => {
    const c = engineStore(e).conversations.get(convKey(a.type, a.targetId, a.channelId));
    const top = Boolean(c && c.top);
    emit(
      e,
      'onConversationTopStatusLoaded',
      { code: 0, ...pick(a, 'type targetId channelId'), top },
      id
    );
    return 0;
  };
  handlers.loadConversationNotificationLevel = (e, a, id) => {
    const c = engineStore(e).conversations.get(convKey(a.type, a.targetId, a.channelId));
    const level = c ? c.notificationLevel : PushNotificationLevel.ALL_MESSAGE;
    emit(
      e,
      'onConversationNotificationLevelLoaded',
      { code: 0, ...pick(a, 'type targetId channelId'), level },
      id
    );
    return 0;
  };
  handlers.loadTopConversations = (e, a, id) =>
    conversationList(e, a, id, (c) => c.top, 'onTopConversationsLoaded');
  handlers.loadBlockedConversations = (e, a, id) =>
    conversationList(e, a, id, (c) => isMuted(c.notificationLevel), 'onBlockedConversationsLoaded');
  handlers.getConversationTopStatus = handlers.loadConversationTopStatus;
  handlers.getConversationNotificationLevel = handlers.loadConversationNotificationLevel;
  handlers.getTopConversations = handlers.loadTopConversations;
  handlers.getBlockedConversations = handlers.loadBlockedConversations;
  handlers.getUnreadCountByConversationTypes = handlers.loadUnreadCountByConversationTypes;
  handlers.getMessageCount = handlers.loadMessageCount;
  handlers.getFirstUnreadMessage = handlers.loadFirstUnreadMessage;
  handlers.getDraftMessage = handlers.loadDraftMessage;
  handlers.getMessages = handlers.loadMessages;
  handlers.getConversations = handlers.loadConversations;
  handlers.getConversation = handlers.loadConversation;
  handlers.getUnreadCount = handlers.loadUnreadCount;
  handlers.getTotalUnreadCount = handlers.loadTotalUnreadCount;

  /** Clears a draft; a conversation that only existed for its draft leaves the list. */
  function clearDraft(st, key) {
    const c = st.conversations.get(key);
    st.draftTimes.delete(key);
    if (!c) return;
    c.draft = '';
    if (!c.lastMessage && !c.top && c.unreadCount === 0) st.conversations.delete(key);
  }

  function pick(a, names) {
    const o = {};
    for (const n of names.split(' ')) o[n] = a[n] === undefined ? null : a[n];
    return o;
  }

  function dispatch(handle, method, argsJson) {
    const e = s.engines.get(handle);
    let args;
    try {
      args = JSON.parse(argsJson);
    } catch {
      args = null;
    }
    s.calls.push({ handle, method, args: clone(args) });
    if (!e || !e.alive) return { code: Code.ENGINE_DESTROYED };
    if (!args || typeof args !== 'object') return { code: Code.PARAM_ERROR };
    const scripted = s.replies.get(method);
    if (scripted && scripted.length) return { code: scripted.shift() };
    const spec = SPECS[method];
    const handler = handlers[method];
    if (!spec || !handler) return { code: Code.NATIVE_OPERATION_ERROR };
    for (const name of Object.keys(spec)) {
      if (!typeOk(spec[name], args[name])) return { code: Code.PARAM_ERROR };
    }
    const r = handler(e, args, args.eventId);
    return typeof r === 'number' ? { code: r } : r;
  }

  const bridge = {
    createEngine(configJson) {
      let cfg;
      try {
        cfg = JSON.parse(configJson);
      } catch {
        return 0;
      }
      if (!cfg || typeof cfg.appKey !== 'string' || cfg.appKey === '') return 0;
      const handle = s.nextHandle++;
      s.engines.set(handle, {
        handle,
        appKey: cfg.appKey,
        options: cfg.options || {},
        userId: null,
        connected: false,
        alive: true,
        listener: undefined,
      });
      return handle;
    },
    call(handle, method, argsJson) {
      return Promise.resolve().then(() => JSON.stringify(dispatch(handle, method, argsJson)));
    },
    setEventListener(handle, fn) {
      const e = s.engines.get(handle);
      if (e && e.alive) e.listener = typeof fn === 'function' ? fn : undefined;
    },
    destroyEngine(handle) {
      const e = s.engines.get(handle);
      if (e) {
        e.alive = false;
        e.connected = false;
        e.listener = undefined;
      }
    },
  };

  /** Test controls (exported as `RCIMMock`). */
  const control = {
    bridge,
    /** Every call made: `{ handle, method, args }` (args as sent, with eventId). */
    calls: s.calls,
    /** Forgets all messages, conversations, tokens, scripted replies and recorded calls. */
    reset() {
      s.stores.clear();
      s.tokens.clear();
      s.invalidTokens.clear();
      s.replies.clear();
      s.calls.length = 0;
      for (const e of s.engines.values()) {
        e.userId = null;
        e.connected = false;
      }
    },
    /** Makes `connect(token)` log in as `userId` (unregistered tokens log in as the token itself). */
    registerToken(token, userId) {
      s.tokens.set(token, userId);
    },
    /** Makes `connect(token)` fail with 31004 (so do '' and tokens starting with "invalid"). */
    invalidateToken(token) {
      s.invalidTokens.add(token);
    },
    /** The next call(s) of `method` resolve with these codes instead of running. */
    setReply(method, ...codes) {
      s.replies.set(method, codes);
    },
    /**
     * Delivers an incoming message to `userId` (stored, counted unread, onMessageReceived on
     * that user's connected engines). Returns the stored message.
     */
    receiveMessage(userId, message, options = {}) {
      const appKey =
        options.appKey || [...s.engines.values()].find((e) => e.userId === userId)?.appKey;
      if (!appKey)
        throw new Error(`RCIMMock.receiveMessage: no engine has connected as "${userId}"`);
      return receive(appKey, userId, message, options);
    },
    /** Pushes a connection status (e.g. 4 = KICKED_OFFLINE_BY_OTHER_CLIENT) to `userId`'s engines. */
    setConnectionStatus(userId, status) {
      for (const e of s.engines.values()) {
        if (e.alive && e.userId === userId) emit(e, 'onConnectionStatusChanged', { status });
      }
    },
    /** Local messages of a user (copies). */
    messagesOf(userId) {
      const out = [];
      for (const [key, st] of s.stores)
        if (key.endsWith(`|${userId}`)) out.push(...clone(st.messages));
      return out;
    },
    /** Live engines: `{ handle, appKey, options, userId, connected }`. */
    engines() {
      return [...s.engines.values()]
        .filter((e) => e.alive)
        .map((e) => ({
          handle: e.handle,
          appKey: e.appKey,
          options: e.options,
          userId: e.userId,
          connected: e.connected,
        }));
    },
    /** Resolves once pending replies and events have been delivered. */
    async flush() {
      for (let i = 0; i < 20; i++) await Promise.resolve();
    },
  };
  Object.defineProperty(bridge, '__rcimMock', { value: control, enumerable: false });
  return bridge;
}

module.exports = { createFakeBridge };
