/**
 * RCIMIWEngine: the public API, as in `@rongcloud/react-native-im-wrapper` 5.2.5, over the
 * RCIM native bridge (docs/bridge.md).
 *
 * This layer holds no IM logic. A method packs its named arguments (dropping null entries
 * of arrays and turning Maps into plain objects, as the official wrapper does), hands them
 * to the engine and resolves with the engine's immediate status code. Results come back as
 * events, which are delivered to the listener slots and to the per-call callback objects.
 *
 * Adding a method = one Rust handler + one small method in the class of its area calling
 * `this.invoke(...)` (plus a line in `callbacks.ts` if its result event is new). The class is
 * built in layers, one file each, every one extending the one before:
 *   EngineCore.ts                     the plumbing: packing, replies, event delivery
 *   RCIMEngineEventListeners.ts       listener slots of what the engine reports on its own
 *   RCIMEngineConversationResults.ts  listener slots of call results: connection,
 *                                     conversations, unread counts, drafts, settings
 *   RCIMEngineMessageResults.ts       listener slots of call results: messages
 *   RCIMEngineMediaResults.ts         listener slots of call results: media, chatroom,
 *                                     ultra group
 *   RCIMEngineSettings.ts             per-user settings: pins, do-not-disturb, quiet hours,
 *                                     blacklist
 *   RCIMEngineChatRoom.ts             chatrooms: join, leave, history, KV entries
 *   RCIMEngineUltraGroup.ts           ultra groups: channel conversations, unread counts,
 *                                     modify/recall/expansion, read sync, typing, levels
 *   RCIMEngineMessages.ts             messages: create, send, media, recall, receipts, typing,
 *                                     history
 *   RCIMEngine.ts (this file)         create/destroy, connection, conversations, unread
 *                                     counts, local messages, expansion, drafts
 */
import { defaultState, ListenerSlots } from './EngineCore';
import { RCIMEngineMessages } from './RCIMEngineMessages';
import type {
  IRCIMIWChangeMessageReceivedStatusCallback,
  IRCIMIWChangeMessageSentStatusCallback,
  IRCIMIWClearDraftMessageCallback,
  IRCIMIWClearMessagesCallback,
  IRCIMIWClearUnreadCountCallback,
  IRCIMIWDeleteLocalMessagesCallback,
  IRCIMIWDeleteMessagesCallback,
  IRCIMIWGetConversationCallback,
  IRCIMIWGetConversationsCallback,
  IRCIMIWGetDraftMessageCallback,
  IRCIMIWGetFirstUnreadMessageCallback,
  IRCIMIWGetMessageCountCallback,
  IRCIMIWGetTotalUnreadCountCallback,
  IRCIMIWGetUnreadCountByConversationTypesCallback,
  IRCIMIWGetUnreadCountCallback,
  IRCIMIWGetUnreadMentionedCountCallback,
  IRCIMIWGetUnreadMentionedMessagesCallback,
  IRCIMIWInsertMessageCallback,
  IRCIMIWInsertMessagesCallback,
  IRCIMIWRemoveConversationCallback,
  IRCIMIWRemoveConversationsCallback,
  IRCIMIWRemoveMessageExpansionForKeysCallback,
  IRCIMIWSaveDraftMessageCallback,
  IRCIMIWSearchConversationsCallback,
  IRCIMIWSearchMessagesByTimeRangeCallback,
  IRCIMIWSearchMessagesByUserIdCallback,
  IRCIMIWSearchMessagesCallback,
  IRCIMIWUpdateMessageExpansionCallback,
  RCIMIWConnectCallback,
  RCIMIWConversationType,
  RCIMIWEngineOptions,
  RCIMIWLogLevel,
  RCIMIWMessage,
  RCIMIWMessageOperationPolicy,
  RCIMIWMessageType,
  RCIMIWReceivedStatus,
  RCIMIWSentStatus,
} from './RCIMDefines';

export class RCIMIWEngine extends RCIMEngineMessages {
  private constructor(appKey: string, options: RCIMIWEngineOptions, slots: ListenerSlots) {
    super(appKey, options, slots);
  }

  /**
   * Creates the engine. Singleton: the first call creates and caches it; later calls return
   * the cached engine and ignore their arguments, until `destroy()`. All configuration
   * (navi/file servers, push, compression…) can only be passed here.
   */
  static create(appKey: string, options: RCIMIWEngineOptions = {}): RCIMIWEngine {
    const state = defaultState();
    if (!state.instance) state.instance = new RCIMIWEngine(appKey, options, state.slots);
    return state.instance as RCIMIWEngine;
  }

  /**
   * RCIM extension: creates an independent engine (its own native engine and its own
   * listener slots) without touching the `create()` singleton. For multi-account apps and
   * tests that need several engines at once. Each standalone engine must be destroyed by
   * its owner.
   */
  static createStandalone(appKey: string, options: RCIMIWEngineOptions = {}): RCIMIWEngine {
    return new RCIMIWEngine(appKey, options, new ListenerSlots());
  }

  /**
   * Destroys the engine: clears the singleton at once (a later `create()` builds a new
   * engine) and releases the native engine. Afterwards every call on this object resolves
   * 2 (ENGINE_DESTROYED). Listener slots of the default engine survive.
   */
  destroy(): Promise<number> {
    const state = defaultState();
    if (state.instance === this) state.instance = null;
    return this.release();
  }

  // ───────────────────────────── engine & connection ─────────────────────────────

  /**
   * Connects with a token. `timeout` in seconds (<= 0: keep trying). Resolves with the status
   * of this call only; the result arrives through setOnDatabaseOpenedListener /
   * setOnConnectedListener and `callback`.
   */
  connect(token: string, timeout: number, callback?: RCIMIWConnectCallback): Promise<number> {
    return this.invoke('connect', { token, timeout }, callback);
  }

  /**
   * The device's push token (APNs on iOS, FCM on Android; elsewhere FCM when
   * `options.pushOptions.enableFCM`, else APNs). Call it before `connect`: it goes with every
   * connection of the `connect` calls that follow. Resolves 0, or 1 (PARAM_ERROR) for an empty
   * token or one longer than 512 bytes.
   */
  setDeviceToken(deviceToken: string): Promise<number> {
    return this.invoke('setDeviceToken', { deviceToken });
  }

  /**
   * Disconnects; `receivePush` = this device keeps receiving remote pushes afterwards (false:
   * none until it connects again).
   */
  disconnect(receivePush: boolean): Promise<number> {
    return this.invoke('disconnect', { receivePush });
  }

  /** Native log verbosity. */
  changeLogLevel(level: RCIMIWLogLevel): Promise<number> {
    return this.invoke('changeLogLevel', { level });
  }

  // ───────────────────────────── conversations ─────────────────────────────

  /**
   * Pages the local conversation list (0 < count <= 50; startTime 0 = first page).
   * Result: setOnConversationsLoadedListener.
   * @deprecated in 5.2.5: use getConversations.
   */
  loadConversations(
    conversationTypes: Array<RCIMIWConversationType>,
    channelId: string | null,
    startTime: number,
    count: number
  ): Promise<number> {
    return this.invoke('loadConversations', { conversationTypes, channelId, startTime, count });
  }

  /**
   * Pages the local conversation list (pinned first, then by time descending). The next page's
   * startTime is the last conversation's `lastMessage?.sentTime ?? operationTime`.
   * Results: setOnConversationsLoadedListener and `callback`.
   */
  getConversations(
    conversationTypes: Array<RCIMIWConversationType>,
    channelId: string | null,
    startTime: number,
    count: number,
    callback?: IRCIMIWGetConversationsCallback
  ): Promise<number> {
    return this.invoke(
      'getConversations',
      { conversationTypes, channelId, startTime, count },
      callback
    );
  }

  /**
   * Loads one conversation. Result: setOnConversationLoadedListener.
   * @deprecated in 5.2.5: use getConversation.
   */
  loadConversation(
    type: RCIMIWConversationType,
    targetId: string,
    channelId: string | null
  ): Promise<number> {
    return this.invoke('loadConversation', { type, targetId, channelId });
  }

  /** Gets one conversation. Results: setOnConversationLoadedListener and `callback`. */
  getConversation(
    type: RCIMIWConversationType,
    targetId: string,
    channelId: string | null,
    callback?: IRCIMIWGetConversationCallback
  ): Promise<number> {
    return this.invoke('getConversation', { type, targetId, channelId }, callback);
  }

  /**
   * Removes a conversation from the list (its messages are kept).
   * Results: setOnConversationRemovedListener and `callback`.
   */
  removeConversation(
    type: RCIMIWConversationType,
    targetId: string,
    channelId: string | null,
    callback?: IRCIMIWRemoveConversationCallback
  ): Promise<number> {
    return this.invoke('removeConversation', { type, targetId, channelId }, callback);
  }

  /**
   * Removes every conversation of the given types and deletes their messages (there is no
   * remove-all: pass every type). Results: setOnConversationsRemovedListener and `callback`.
   */
  removeConversations(
    conversationTypes: Array<RCIMIWConversationType>,
    channelId: string | null,
    callback?: IRCIMIWRemoveConversationsCallback
  ): Promise<number> {
    return this.invoke('removeConversations', { conversationTypes, channelId }, callback);
  }

  // ───────────────────────────── unread counts ─────────────────────────────

  /**
   * Unread count of one conversation. Result: setOnUnreadCountLoadedListener.
   * @deprecated in 5.2.5: use getUnreadCount.
   */
  loadUnreadCount(
    type: RCIMIWConversationType,
    targetId: string,
    channelId: string | null
  ): Promise<number> {
    return this.invoke('loadUnreadCount', { type, targetId, channelId });
  }

  /** Unread count of one conversation. Results: setOnUnreadCountLoadedListener and `callback`. */
  getUnreadCount(
    type: RCIMIWConversationType,
    targetId: string,
    channelId: string | null,
    callback?: IRCIMIWGetUnreadCountCallback
  ): Promise<number> {
    return this.invoke('getUnreadCount', { type, targetId, channelId }, callback);
  }

  /**
   * Total unread count (all types but chatroom). Result: setOnTotalUnreadCountLoadedListener.
   * @deprecated in 5.2.5: use getTotalUnreadCount.
   */
  loadTotalUnreadCount(channelId: string | null): Promise<number> {
    return this.invoke('loadTotalUnreadCount', { channelId });
  }

  /** Total unread count. Results: setOnTotalUnreadCountLoadedListener and `callback`. */
  getTotalUnreadCount(
    channelId: string | null,
    callback?: IRCIMIWGetTotalUnreadCountCallback
  ): Promise<number> {
    return this.invoke('getTotalUnreadCount', { channelId }, callback);
  }

  /**
   * Clears the unread state up to `timestamp` (0 = all).
   * Results: setOnUnreadCountClearedListener and `callback`.
   */
  clearUnreadCount(
    type: RCIMIWConversationType,
    targetId: string,
    channelId: string | null,
    timestamp: number,
    callback?: IRCIMIWClearUnreadCountCallback
  ): Promise<number> {
    return this.invoke('clearUnreadCount', { type, targetId, channelId, timestamp }, callback);
  }

  /**
   * Unread count of the given conversation types (chatrooms never count); `contain` = also
   * count do-not-disturb conversations. Result: setOnUnreadCountByConversationTypesLoadedListener.
   * @deprecated in 5.2.5: use getUnreadCountByConversationTypes.
   */
  loadUnreadCountByConversationTypes(
    conversationTypes: Array<RCIMIWConversationType>,
    channelId: string | null,
    contain: boolean
  ): Promise<number> {
    return this.invoke('loadUnreadCountByConversationTypes', {
      conversationTypes,
      channelId,
      contain,
    });
  }

  /**
   * Unread count of the given conversation types.
   * Results: setOnUnreadCountByConversationTypesLoadedListener and `callback`.
   */
  getUnreadCountByConversationTypes(
    conversationTypes: Array<RCIMIWConversationType>,
    channelId: string | null,
    contain: boolean,
    callback?: IRCIMIWGetUnreadCountByConversationTypesCallback
  ): Promise<number> {
    return this.invoke(
      'getUnreadCountByConversationTypes',
      { conversationTypes, channelId, contain },
      callback
    );
  }

  /**
   * Oldest unread message of a conversation (null when none).
   * Result: setOnFirstUnreadMessageLoadedListener.
   * @deprecated in 5.2.5: use getFirstUnreadMessage.
   */
  loadFirstUnreadMessage(
    type: RCIMIWConversationType,
    targetId: string,
    channelId: string | null
  ): Promise<number> {
    return this.invoke('loadFirstUnreadMessage', { type, targetId, channelId });
  }

  /**
   * Oldest unread message of a conversation (null when none).
   * Results: setOnFirstUnreadMessageLoadedListener and `callback`.
   */
  getFirstUnreadMessage(
    type: RCIMIWConversationType,
    targetId: string,
    channelId: string | null,
    callback?: IRCIMIWGetFirstUnreadMessageCallback
  ): Promise<number> {
    return this.invoke('getFirstUnreadMessage', { type, targetId, channelId }, callback);
  }

  /**
   * Unread messages of a conversation that @-mention the current user (or everyone), oldest
   * first. Result: setOnUnreadMentionedMessagesLoadedListener.
   * @deprecated in 5.2.5: use getUnreadMentionedMessages.
   */
  loadUnreadMentionedMessages(
    type: RCIMIWConversationType,
    targetId: string,
    channelId: string | null
  ): Promise<number> {
    return this.invoke('loadUnreadMentionedMessages', { type, targetId, channelId });
  }

  /**
   * Unread messages of a conversation that @-mention the current user (or everyone).
   * Results: setOnUnreadMentionedMessagesLoadedListener and `callback.onSuccess(messages)`.
   */
  getUnreadMentionedMessages(
    type: RCIMIWConversationType,
    targetId: string,
    channelId: string | null,
    callback?: IRCIMIWGetUnreadMentionedMessagesCallback
  ): Promise<number> {
    return this.invoke('getUnreadMentionedMessages', { type, targetId, channelId }, callback);
  }

  /**
   * Number of unread @-mentions of the current user in a conversation (not chatrooms).
   * Result: setOnUnreadMentionedCountLoadedListener.
   * @deprecated in 5.2.5: use getUnreadMentionedCount.
   */
  loadUnreadMentionedCount(
    type: RCIMIWConversationType,
    targetId: string,
    channelId: string | null
  ): Promise<number> {
    return this.invoke('loadUnreadMentionedCount', { type, targetId, channelId });
  }

  /**
   * Number of unread @-mentions of the current user in a conversation (not chatrooms).
   * Results: setOnUnreadMentionedCountLoadedListener and `callback.onSuccess(count)`.
   */
  getUnreadMentionedCount(
    type: RCIMIWConversationType,
    targetId: string,
    channelId: string | null,
    callback?: IRCIMIWGetUnreadMentionedCountCallback
  ): Promise<number> {
    return this.invoke('getUnreadMentionedCount', { type, targetId, channelId }, callback);
  }

  // ───────────────────────────── local messages ─────────────────────────────

  /**
   * Number of locally stored messages of a conversation.
   * Result: setOnMessageCountLoadedListener.
   * @deprecated in 5.2.5: use getMessageCount.
   */
  loadMessageCount(
    type: RCIMIWConversationType,
    targetId: string,
    channelId: string | null
  ): Promise<number> {
    return this.invoke('loadMessageCount', { type, targetId, channelId });
  }

  /** Number of locally stored messages. Results: setOnMessageCountLoadedListener and `callback`. */
  getMessageCount(
    type: RCIMIWConversationType,
    targetId: string,
    channelId: string | null,
    callback?: IRCIMIWGetMessageCountCallback
  ): Promise<number> {
    return this.invoke('getMessageCount', { type, targetId, channelId }, callback);
  }

  /**
   * Local keyword search in one conversation (not chatrooms): newest first, before `startTime`
   * (0 = from the newest), 0 < count <= 50. Results: setOnMessagesSearchedListener and
   * `callback`.
   */
  searchMessages(
    type: RCIMIWConversationType,
    targetId: string,
    channelId: string | null,
    keyword: string,
    startTime: number,
    count: number,
    callback?: IRCIMIWSearchMessagesCallback
  ): Promise<number> {
    return this.invoke(
      'searchMessages',
      { type, targetId, channelId, keyword, startTime, count },
      callback
    );
  }

  /**
   * Local search of the messages `userId` sent in one conversation (note: `userId` comes
   * first): newest first, before `startTime` (0 = from the newest), 0 < count <= 50. Results:
   * setOnMessagesSearchedByUserIdListener and `callback`.
   */
  searchMessagesByUserId(
    userId: string,
    type: RCIMIWConversationType,
    targetId: string,
    channelId: string | null,
    startTime: number,
    count: number,
    callback?: IRCIMIWSearchMessagesByUserIdCallback
  ): Promise<number> {
    return this.invoke(
      'searchMessagesByUserId',
      { userId, type, targetId, channelId, startTime, count },
      callback
    );
  }

  /**
   * Local keyword search in one conversation within [startTime, endTime], newest first,
   * skipping `offset` matches (paging), 0 < count <= 50. Results:
   * setOnMessagesSearchedByTimeRangeListener and `callback`.
   */
  searchMessagesByTimeRange(
    type: RCIMIWConversationType,
    targetId: string,
    channelId: string | null,
    keyword: string,
    startTime: number,
    endTime: number,
    offset: number,
    count: number,
    callback?: IRCIMIWSearchMessagesByTimeRangeCallback
  ): Promise<number> {
    return this.invoke(
      'searchMessagesByTimeRange',
      { type, targetId, channelId, keyword, startTime, endTime, offset, count },
      callback
    );
  }

  /**
   * Local keyword search across the conversations of the given types, over messages of the
   * given types: each result is a conversation and its number of matches (null entries of
   * both arrays are dropped). Results: setOnConversationsSearchedListener and `callback`.
   */
  searchConversations(
    conversationTypes: Array<RCIMIWConversationType>,
    channelId: string | null,
    messageTypes: Array<RCIMIWMessageType>,
    keyword: string,
    callback?: IRCIMIWSearchConversationsCallback
  ): Promise<number> {
    return this.invoke(
      'searchConversations',
      { conversationTypes, channelId, messageTypes, keyword },
      callback
    );
  }

  // ──────────────────────── insert, delete, clear, status ────────────────────────

  /**
   * Stores a message locally only (never sent; storable types of private, group and system
   * chats). Only the conversation, direction, sentTime (0 = now) and the type's content
   * fields are taken, plus senderUserId and receivedStatus of an incoming message; an
   * outgoing one is SENT. Results: setOnMessageInsertedListener and
   * `callback.onMessageInserted(code, message)` with the stored message (its messageId).
   */
  insertMessage(message: RCIMIWMessage, callback?: IRCIMIWInsertMessageCallback): Promise<number> {
    return this.invoke('insertMessage', { message }, callback);
  }

  /**
   * Stores several messages locally as insertMessage does, all or nothing (null entries are
   * dropped; 10 per call recommended). Results: setOnMessagesInsertedListener and
   * `callback.onMessagesInserted`.
   */
  insertMessages(
    messages: Array<RCIMIWMessage>,
    callback?: IRCIMIWInsertMessagesCallback
  ): Promise<number> {
    return this.invoke('insertMessages', { messages }, callback);
  }

  /**
   * Deletes messages (by messageId, up to 100) from the local store only; the server's
   * copies stay. Results: setOnLocalMessagesDeletedListener and
   * `callback.onLocalMessagesDeleted`.
   */
  deleteLocalMessages(
    messages: Array<RCIMIWMessage>,
    callback?: IRCIMIWDeleteLocalMessagesCallback
  ): Promise<number> {
    return this.invoke('deleteLocalMessages', { messages }, callback);
  }

  /**
   * Deletes messages (up to 100) of one conversation locally and from this user's cloud
   * history; the user's other devices delete them too, the other participants keep theirs.
   * Results: setOnMessagesDeletedListener and `callback.onMessagesDeleted`.
   */
  deleteMessages(
    type: RCIMIWConversationType,
    targetId: string,
    channelId: string | null,
    messages: Array<RCIMIWMessage>,
    callback?: IRCIMIWDeleteMessagesCallback
  ): Promise<number> {
    return this.invoke('deleteMessages', { type, targetId, channelId, messages }, callback);
  }

  /**
   * Clears the conversation's messages sent at or before `timestamp` (0 = all; at most the
   * sentTime of its last message), locally (LOCAL) or also on the server (REMOTE /
   * LOCAL_REMOTE). Results: setOnMessagesClearedListener and `callback.onMessagesCleared`.
   */
  clearMessages(
    type: RCIMIWConversationType,
    targetId: string,
    channelId: string | null,
    timestamp: number,
    policy: RCIMIWMessageOperationPolicy,
    callback?: IRCIMIWClearMessagesCallback
  ): Promise<number> {
    return this.invoke('clearMessages', { type, targetId, channelId, timestamp, policy }, callback);
  }

  /**
   * Sets the sent status of a stored message (by its messageId). Results:
   * setOnMessageSentStatusChangedListener and `callback.onMessageSentStatusChanged`.
   */
  changeMessageSentStatus(
    messageId: number,
    sentStatus: RCIMIWSentStatus,
    callback?: IRCIMIWChangeMessageSentStatusCallback
  ): Promise<number> {
    return this.invoke('changeMessageSentStatus', { messageId, sentStatus }, callback);
  }

  /**
   * Sets the received status of a stored message (by its messageId). Results:
   * setOnMessageReceiveStatusChangedListener and `callback.onMessageReceiveStatusChanged`.
   */
  changeMessageReceiveStatus(
    messageId: number,
    receivedStatus: RCIMIWReceivedStatus,
    callback?: IRCIMIWChangeMessageReceivedStatusCallback
  ): Promise<number> {
    return this.invoke('changeMessageReceiveStatus', { messageId, receivedStatus }, callback);
  }

  // ───────────────────────────── message expansion ─────────────────────────────

  /**
   * Sets expansion pairs of a sent message whose `expansion` was set before sending (private
   * and group only): <= 20 pairs per call, <= 300 per message, key <= 32 characters of
   * [A-Za-z0-9+=_-], value <= 4096 characters (34010 beyond; 34008 when the message cannot
   * be expanded). The Map goes to the engine as a plain object (null keys and values are not
   * filtered: the engine refuses them). Results:
   * setOnMessageExpansionUpdatedListener and `callback.onMessageExpansionUpdated`; the other
   * participants and the user's other devices get setOnRemoteMessageExpansionUpdatedListener.
   */
  updateMessageExpansion(
    messageUId: string,
    expansion: Map<string, string>,
    callback?: IRCIMIWUpdateMessageExpansionCallback
  ): Promise<number> {
    return this.invoke('updateMessageExpansion', { messageUId, expansion }, callback);
  }

  /**
   * Removes keys from a sent message's expansion (null keys are dropped). Results:
   * setOnMessageExpansionForKeysRemovedListener and
   * `callback.onMessageExpansionForKeysRemoved`; the other participants and the user's other
   * devices get setOnRemoteMessageExpansionForKeyRemovedListener.
   */
  removeMessageExpansionForKeys(
    messageUId: string,
    keys: Array<string>,
    callback?: IRCIMIWRemoveMessageExpansionForKeysCallback
  ): Promise<number> {
    return this.invoke('removeMessageExpansionForKeys', { messageUId, keys }, callback);
  }

  // ───────────────────────────── drafts ─────────────────────────────

  /**
   * Saves the conversation's draft text and moves the conversation up the list (creating it).
   * Results: setOnDraftMessageSavedListener and `callback`.
   */
  saveDraftMessage(
    type: RCIMIWConversationType,
    targetId: string,
    channelId: string | null,
    draft: string,
    callback?: IRCIMIWSaveDraftMessageCallback
  ): Promise<number> {
    return this.invoke('saveDraftMessage', { type, targetId, channelId, draft }, callback);
  }

  /**
   * Loads the conversation's draft ("" when none). Result: setOnDraftMessageLoadedListener.
   * @deprecated in 5.2.5: use getDraftMessage.
   */
  loadDraftMessage(
    type: RCIMIWConversationType,
    targetId: string,
    channelId: string | null
  ): Promise<number> {
    return this.invoke('loadDraftMessage', { type, targetId, channelId });
  }

  /** Gets the conversation's draft. Results: setOnDraftMessageLoadedListener and `callback`. */
  getDraftMessage(
    type: RCIMIWConversationType,
    targetId: string,
    channelId: string | null,
    callback?: IRCIMIWGetDraftMessageCallback
  ): Promise<number> {
    return this.invoke('getDraftMessage', { type, targetId, channelId }, callback);
  }

  /** Removes the conversation's draft. Results: setOnDraftMessageClearedListener and `callback`. */
  clearDraftMessage(
    type: RCIMIWConversationType,
    targetId: string,
    channelId: string | null,
    callback?: IRCIMIWClearDraftMessageCallback
  ): Promise<number> {
    return this.invoke('clearDraftMessage', { type, targetId, channelId }, callback);
  }
}
