/**
 * The chatrooms of RCIMIWEngine: join and leave, the room's remote history and its KV
 * entries. Chatrooms are online-only: a room's recent messages come with the join, its local
 * messages are deleted when it is left, and the engine joins its rooms again after every
 * reconnect. Each method only packs its arguments for the engine (a Map argument crosses as
 * a plain object); results come through the listener slots and the per-call callback objects.
 *
 * RCIMEngineMessages (RCIMEngineMessages.ts) extends this class, which extends
 * RCIMEngineSettings.
 */
import type { ListenerSlots } from './EngineCore';
import { RCIMEngineSettings } from './RCIMEngineSettings';
import type {
  IRCIMIWAddChatRoomEntriesCallback,
  IRCIMIWAddChatRoomEntryCallback,
  IRCIMIWGetChatRoomAllEntriesCallback,
  IRCIMIWGetChatRoomEntryCallback,
  IRCIMIWGetChatRoomMessagesCallback,
  IRCIMIWJoinChatRoomCallback,
  IRCIMIWLeaveChatRoomCallback,
  IRCIMIWRemoveChatRoomEntriesCallback,
  IRCIMIWRemoveChatRoomEntryCallback,
  RCIMIWEngineOptions,
  RCIMIWTimeOrder,
} from './RCIMDefines';

export abstract class RCIMEngineChatRoom extends RCIMEngineSettings {
  protected constructor(appKey: string, options: RCIMIWEngineOptions, slots: ListenerSlots) {
    super(appKey, options, slots);
  }

  /**
   * Joins a chatroom. `messageCount`: -1 = no history, 0 = the default (10), at most 50 of the
   * room's recent messages, delivered through setOnMessageReceivedListener (oldest first);
   * then the room's KV entries (setOnChatRoomEntriesChangedListener, then
   * setOnChatRoomEntriesSyncedListener: all entries, however many, before the sync). The
   * room's events that came meanwhile follow. `autoCreate` creates a missing room (else
   * 23410). Joining another room leaves this one (one room at a time by default); leaving
   * before the join's result keeps nothing of the join.
   * Results: setOnChatRoomJoiningListener, setOnChatRoomJoinedListener and `callback`.
   */
  joinChatRoom(
    targetId: string,
    messageCount: number,
    autoCreate: boolean,
    callback?: IRCIMIWJoinChatRoomCallback
  ): Promise<number> {
    return this.invoke('joinChatRoom', { targetId, messageCount, autoCreate }, callback);
  }

  /**
   * Leaves a chatroom and deletes its local messages.
   * Results: setOnChatRoomLeftListener and `callback`.
   */
  leaveChatRoom(targetId: string, callback?: IRCIMIWLeaveChatRoomCallback): Promise<number> {
    return this.invoke('leaveChatRoom', { targetId }, callback);
  }

  /**
   * A page of the room's stored history (kept 2 months by default): BEFORE = older than
   * `timestamp` (0 = from the newest), newest first; AFTER = newer, oldest first;
   * 0 < count <= 50. Result: setOnChatRoomMessagesLoadedListener (with the `syncTime` of the
   * next page).
   * @deprecated in 5.2.5: use getChatRoomMessages.
   */
  loadChatRoomMessages(
    targetId: string,
    timestamp: number,
    order: RCIMIWTimeOrder,
    count: number
  ): Promise<number> {
    return this.invoke('loadChatRoomMessages', { targetId, timestamp, order, count });
  }

  /**
   * A page of the room's stored history, as loadChatRoomMessages.
   * Results: setOnChatRoomMessagesLoadedListener and `callback.onSuccess(messages)`.
   */
  getChatRoomMessages(
    targetId: string,
    timestamp: number,
    order: RCIMIWTimeOrder,
    count: number,
    callback?: IRCIMIWGetChatRoomMessagesCallback
  ): Promise<number> {
    return this.invoke('getChatRoomMessages', { targetId, timestamp, order, count }, callback);
  }

  /**
   * Sets one KV entry of a joined room: key of 1..128 letters, digits, `+ = - _`; value of at
   * most 4096 characters. `deleteWhenLeft` removes it when this user leaves; `overwrite`
   * replaces an existing key. The other members get setOnChatRoomEntriesChangedListener.
   * Results: setOnChatRoomEntryAddedListener and `callback`.
   */
  addChatRoomEntry(
    targetId: string,
    key: string,
    value: string,
    deleteWhenLeft: boolean,
    overwrite: boolean,
    callback?: IRCIMIWAddChatRoomEntryCallback
  ): Promise<number> {
    return this.invoke(
      'addChatRoomEntry',
      { targetId, key, value, deleteWhenLeft, overwrite },
      callback
    );
  }

  /**
   * Sets up to 10 KV entries of a joined room (as addChatRoomEntry); keys that failed come
   * back with their codes (code 23428 when some were set and some not).
   * Results: setOnChatRoomEntriesAddedListener and `callback`.
   */
  addChatRoomEntries(
    targetId: string,
    entries: Map<string, string>,
    deleteWhenLeft: boolean,
    overwrite: boolean,
    callback?: IRCIMIWAddChatRoomEntriesCallback
  ): Promise<number> {
    return this.invoke(
      'addChatRoomEntries',
      { targetId, entries, deleteWhenLeft, overwrite },
      callback
    );
  }

  /**
   * Reads one KV entry of a joined room. Result: setOnChatRoomEntryLoadedListener.
   * @deprecated in 5.2.5: use getChatRoomEntry.
   */
  loadChatRoomEntry(targetId: string, key: string): Promise<number> {
    return this.invoke('loadChatRoomEntry', { targetId, key });
  }

  /**
   * Reads one KV entry of a joined room (23427 when the key does not exist).
   * Results: setOnChatRoomEntryLoadedListener and `callback.onSuccess(entry)`.
   */
  getChatRoomEntry(
    targetId: string,
    key: string,
    callback?: IRCIMIWGetChatRoomEntryCallback
  ): Promise<number> {
    return this.invoke('getChatRoomEntry', { targetId, key }, callback);
  }

  /**
   * Reads every KV entry of a joined room. Result: setOnChatRoomAllEntriesLoadedListener.
   * @deprecated in 5.2.5: use getChatRoomAllEntries.
   */
  loadChatRoomAllEntries(targetId: string): Promise<number> {
    return this.invoke('loadChatRoomAllEntries', { targetId });
  }

  /**
   * The 5.2.4 guide's name of loadChatRoomAllEntries. Result:
   * setOnAllChatRoomEntriesLoadedListener (the same slot as
   * setOnChatRoomAllEntriesLoadedListener).
   * @deprecated in 5.2.5: use getChatRoomAllEntries.
   */
  loadAllChatRoomEntries(targetId: string): Promise<number> {
    return this.invoke('loadAllChatRoomEntries', { targetId });
  }

  /**
   * Reads every KV entry of a joined room (page after page when a full room does not fit in
   * one answer). Results: setOnChatRoomAllEntriesLoadedListener and
   * `callback.onSuccess(entries)`.
   */
  getChatRoomAllEntries(
    targetId: string,
    callback?: IRCIMIWGetChatRoomAllEntriesCallback
  ): Promise<number> {
    return this.invoke('getChatRoomAllEntries', { targetId }, callback);
  }

  /**
   * Removes one KV entry of a joined room; another user's entry only with `force`.
   * Results: setOnChatRoomEntryRemovedListener and `callback`.
   */
  removeChatRoomEntry(
    targetId: string,
    key: string,
    force: boolean,
    callback?: IRCIMIWRemoveChatRoomEntryCallback
  ): Promise<number> {
    return this.invoke('removeChatRoomEntry', { targetId, key, force }, callback);
  }

  /**
   * Removes up to 10 KV entries of a joined room (null entries of `keys` are dropped).
   * Results: setOnChatRoomEntriesRemovedListener and `callback`.
   */
  removeChatRoomEntries(
    targetId: string,
    keys: Array<string>,
    force: boolean,
    callback?: IRCIMIWRemoveChatRoomEntriesCallback
  ): Promise<number> {
    return this.invoke('removeChatRoomEntries', { targetId, keys, force }, callback);
  }
}
