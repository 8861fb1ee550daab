'use strict';
/**
 * Chatrooms, in memory per app key: join (the room's recent messages, then its KV entries,
 * then onChatRoomEntriesSynced and onChatRoomJoined; one room at a time: joining another
 * leaves the first), leave (the room's local messages are deleted, the user's
 * `deleteWhenLeft` entries removed), the room's history pages, and KV entries with the
 * engine's limits and codes. Other members see onChatRoomMemberChanged and
 * onChatRoomEntriesChanged; chatroom messages sent with sendMessage reach the other members
 * (see `core.chatroomAccept`). `RCIMMock.destroyChatRoom(id)` destroys a room as the Server
 * API would (DESTROY_MANUAL).
 */
const { Code, TimeOrder } = require('../constants');
const { clone } = require('../core');

const ChatroomCode = {
  NOT_IN_CHATROOM: 23406,
  CHATROOM_NOT_EXIST: 23410,
  KV_STORE_FULL: 23423,
  KV_OVERWRITE_REFUSED: 23424,
  KV_KEY_NOT_EXIST: 23427,
  KV_NOT_ALL_SUCCESS: 23428,
  KV_BATCH_TOO_LARGE: 23429,
};

const NAME = /^[A-Za-z0-9+=_-]+$/;
const roomOk = (id) => NAME.test(id) && id.length <= 64;
const keyOk = (key) => typeof key === 'string' && NAME.test(key) && key.length <= 128;
const valueOk = (value) => typeof value === 'string' && [...value].length <= 4096;
const MAX_KEYS = 100;
const MAX_BATCH = 10;

module.exports = function chatroomMethods(core) {
  const { emit, engineStore } = core;
  const { rooms, roomOf, membersEngines, leaveRoom } = core.chatrooms;

  /** The member's room, or the code that refuses the call. */
  function memberRoom(e, roomId) {
    const room = roomOf(e.appKey, roomId);
    return room && room.members.has(e.userId) ? room : null;
  }

  /** Tells the other members' engines (not `e`'s user). */
  function others(e, room, name, args) {
    for (const other of membersEngines(e.appKey, room)) {
      if (other.userId !== e.userId) emit(other, name, args);
    }
  }

  const entriesObject = (room) => {
    const o = {};
    for (const [k, v] of room.entries) o[k] = v.value;
    return o;
  };

  function join(e, a, id) {
    let room = roomOf(e.appKey, a.targetId);
    if (!room) {
      if (!a.autoCreate) {
        emit(
          e,
          'onChatRoomJoined',
          { code: ChatroomCode.CHATROOM_NOT_EXIST, targetId: a.targetId },
          id
        );
        return;
      }
      room = { id: a.targetId, members: new Map(), entries: new Map(), history: [] };
      rooms.set(`${e.appKey}|${a.targetId}`, room);
    }
    for (const other of [...rooms.values()]) {
      if (other !== room && other.members.has(e.userId)) leaveRoom(e, other);
    }
    if (!room.members.has(e.userId)) {
      room.members.set(e.userId, core.now());
      others(e, room, 'onChatRoomMemberChanged', {
        targetId: room.id,
        actions: [{ userId: e.userId, actionType: 1 }],
      });
    }
    const count = a.messageCount === -1 ? 0 : a.messageCount === 0 ? 10 : a.messageCount;
    const st = engineStore(e);
    const recent = count > 0 ? room.history.slice(-count) : [];
    for (const [i, m] of recent.entries()) {
      if (st.messages.some((x) => x.messageUId === m.messageUId)) continue;
      const local = { ...clone(m), messageId: core.s.nextMessageId++ };
      if (m.senderUserId !== e.userId) local.direction = 1;
      st.messages.push(local);
      emit(e, 'onMessageReceived', {
        message: local,
        left: recent.length - 1 - i,
        offline: false,
        hasPackage: false,
      });
    }
    if (room.entries.size > 0) {
      emit(e, 'onChatRoomEntriesChanged', {
        operationType: 0,
        roomId: room.id,
        entries: entriesObject(room),
      });
    }
    emit(e, 'onChatRoomEntriesSynced', { roomId: room.id });
    emit(e, 'onChatRoomJoined', { code: 0, targetId: room.id }, id);
  }

  /** A KV call: refused at once for bad arguments, then run as the server would. */
  const kv = (args, check, run) => ({ args, queued: true, check, run });

  function setEntries(e, a, entries, single, id) {
    const room = memberRoom(e, a.targetId);
    const errors = {};
    const set = {};
    for (const [key, value] of Object.entries(entries)) {
      const code = !room
        ? ChatroomCode.NOT_IN_CHATROOM
        : room.entries.has(key) && !a.overwrite
          ? ChatroomCode.KV_OVERWRITE_REFUSED
          : !room.entries.has(key) && room.entries.size >= MAX_KEYS
            ? ChatroomCode.KV_STORE_FULL
            : 0;
      if (code) {
        errors[key] = code;
        continue;
      }
      room.entries.set(key, { value, owner: e.userId, deleteWhenLeft: a.deleteWhenLeft });
      set[key] = value;
    }
    if (room && Object.keys(set).length) {
      others(e, room, 'onChatRoomEntriesChanged', {
        operationType: 0,
        roomId: room.id,
        entries: set,
      });
    }
    const failed = Object.keys(errors);
    const code = !room
      ? ChatroomCode.NOT_IN_CHATROOM
      : failed.length === 0
        ? 0
        : failed.length === Object.keys(entries).length && single
          ? errors[failed[0]]
          : ChatroomCode.KV_NOT_ALL_SUCCESS;
    if (single) {
      emit(e, 'onChatRoomEntryAdded', { code, targetId: a.targetId, key: a.key }, id);
    } else {
      emit(
        e,
        'onChatRoomEntriesAdded',
        { code, targetId: a.targetId, entries: clone(entries), errorEntries: room ? errors : {} },
        id
      );
    }
  }

  function removeEntries(e, a, keys, single, id) {
    const room = memberRoom(e, a.targetId);
    let code = room ? 0 : ChatroomCode.NOT_IN_CHATROOM;
    const removed = {};
    let failures = 0;
    for (const key of room ? keys : []) {
      const entry = room.entries.get(key);
      const failure = !entry
        ? ChatroomCode.KV_KEY_NOT_EXIST
        : entry.owner !== e.userId && !a.force
          ? ChatroomCode.KV_OVERWRITE_REFUSED
          : 0;
      if (failure) {
        failures++;
        if (single) code = failure;
        continue;
      }
      room.entries.delete(key);
      removed[key] = entry.value;
    }
    if (room && failures > 0 && !single) code = ChatroomCode.KV_NOT_ALL_SUCCESS;
    if (room && Object.keys(removed).length) {
      others(e, room, 'onChatRoomEntriesChanged', {
        operationType: 1,
        roomId: room.id,
        entries: removed,
      });
    }
    if (single) emit(e, 'onChatRoomEntryRemoved', { code, targetId: a.targetId, key: a.key }, id);
    else emit(e, 'onChatRoomEntriesRemoved', { code, targetId: a.targetId, keys: a.keys }, id);
  }

  const batchCheck = (n) =>
    n === 0 ? Code.PARAM_ERROR : n > MAX_BATCH ? ChatroomCode.KV_BATCH_TOO_LARGE : 0;

  const history = {
    args: { targetId: 'string', timestamp: 'number', order: 'number', count: 'number' },
    queued: true,
    check: (e, a) =>
      !roomOk(a.targetId) ||
      a.timestamp < 0 ||
      (a.order !== TimeOrder.BEFORE && a.order !== TimeOrder.AFTER) ||
      !Number.isInteger(a.count) ||
      a.count < 1 ||
      a.count > 50
        ? Code.PARAM_ERROR
        : 0,
    run(e, a, id) {
      const room = memberRoom(e, a.targetId);
      if (!room) {
        emit(
          e,
          'onChatRoomMessagesLoaded',
          {
            code: ChatroomCode.NOT_IN_CHATROOM,
            targetId: a.targetId,
            messages: [],
            syncTime: a.timestamp,
          },
          id
        );
        return;
      }
      const page =
        a.order === TimeOrder.BEFORE
          ? room.history
              .filter((m) => a.timestamp === 0 || m.sentTime < a.timestamp)
              .reverse()
              .slice(0, a.count)
          : room.history.filter((m) => m.sentTime > a.timestamp).slice(0, a.count);
      emit(
        e,
        'onChatRoomMessagesLoaded',
        {
          code: 0,
          targetId: a.targetId,
          messages: clone(page),
          syncTime: page.length ? page[page.length - 1].sentTime : a.timestamp,
        },
        id
      );
    },
  };

  const allEntries = {
    args: { targetId: 'string' },
    queued: true,
    check: (e, a) => (roomOk(a.targetId) ? 0 : Code.PARAM_ERROR),
    run(e, a, id) {
      const room = memberRoom(e, a.targetId);
      emit(
        e,
        'onChatRoomAllEntriesLoaded',
        {
          code: room ? 0 : ChatroomCode.NOT_IN_CHATROOM,
          targetId: a.targetId,
          entries: room ? entriesObject(room) : {},
        },
        id
      );
    },
  };

  const oneEntry = {
    args: { targetId: 'string', key: 'string' },
    queued: true,
    check: (e, a) => (roomOk(a.targetId) && keyOk(a.key) ? 0 : Code.PARAM_ERROR),
    run(e, a, id) {
      const room = memberRoom(e, a.targetId);
      const entry = room && room.entries.get(a.key);
      emit(
        e,
        'onChatRoomEntryLoaded',
        {
          code: !room ? ChatroomCode.NOT_IN_CHATROOM : entry ? 0 : ChatroomCode.KV_KEY_NOT_EXIST,
          targetId: a.targetId,
          entry: entry ? { [a.key]: entry.value } : {},
        },
        id
      );
    },
  };

  return {
    joinChatRoom: {
      args: { targetId: 'string', messageCount: 'number', autoCreate: 'boolean' },
      queued: true,
      check: (e, a) =>
        !roomOk(a.targetId) ||
        !Number.isInteger(a.messageCount) ||
        a.messageCount < -1 ||
        a.messageCount > 50
          ? Code.PARAM_ERROR
          : 0,
      prepare: (e, a, id) => emit(e, 'onChatRoomJoining', { targetId: a.targetId }, id),
      run: join,
    },
    leaveChatRoom: {
      args: { targetId: 'string' },
      queued: true,
      check: (e, a) => (roomOk(a.targetId) ? 0 : Code.PARAM_ERROR),
      run(e, a, id) {
        const room = roomOf(e.appKey, a.targetId);
        if (room && room.members.has(e.userId)) leaveRoom(e, room);
        else core.chatrooms.clearLocal(e, a.targetId);
        emit(e, 'onChatRoomLeft', { code: 0, targetId: a.targetId }, id);
      },
    },
    getChatRoomMessages: history,
    loadChatRoomMessages: history,
    addChatRoomEntry: kv(
      {
        targetId: 'string',
        key: 'string',
        value: 'string',
        deleteWhenLeft: 'boolean',
        overwrite: 'boolean',
      },
      (e, a) => (roomOk(a.targetId) && keyOk(a.key) && valueOk(a.value) ? 0 : Code.PARAM_ERROR),
      (e, a, id) => setEntries(e, a, { [a.key]: a.value }, true, id)
    ),
    addChatRoomEntries: kv(
      { targetId: 'string', entries: 'object', deleteWhenLeft: 'boolean', overwrite: 'boolean' },
      (e, a) =>
        !roomOk(a.targetId) || !Object.entries(a.entries).every(([k, v]) => keyOk(k) && valueOk(v))
          ? Code.PARAM_ERROR
          : batchCheck(Object.keys(a.entries).length),
      (e, a, id) => setEntries(e, a, a.entries, false, id)
    ),
    removeChatRoomEntry: kv(
      { targetId: 'string', key: 'string', force: 'boolean' },
      (e, a) => (roomOk(a.targetId) && keyOk(a.key) ? 0 : Code.PARAM_ERROR),
      (e, a, id) => removeEntries(e, a, [a.key], true, id)
    ),
    removeChatRoomEntries: kv(
      { targetId: 'string', keys: 'array', force: 'boolean' },
      (e, a) =>
        !roomOk(a.targetId) || !a.keys.every(keyOk) ? Code.PARAM_ERROR : batchCheck(a.keys.length),
      (e, a, id) => removeEntries(e, a, [...new Set(a.keys)], false, id)
    ),
    getChatRoomEntry: oneEntry,
    loadChatRoomEntry: oneEntry,
    getChatRoomAllEntries: allEntries,
    loadChatRoomAllEntries: allEntries,
    loadAllChatRoomEntries: allEntries,
  };
};

module.exports.ChatroomCode = ChatroomCode;
