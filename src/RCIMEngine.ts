/**
 * RCIMIWEngine: the public API, as in `@rongcloud/react-native-im-wrapper` 5.2.5, over the
 * RCIM native bridge (docs/bridge.md).
 *
 * This layer holds no IM logic. A method packs its named arguments (dropping null entries
 * of arrays and turning Maps into plain objects, as the official wrapper does), hands them
 * to the engine and resolves with the engine's immediate status code. Results come back as
 * events, which are delivered to the listener slots and to the per-call callback objects.
 *
 * Adding a method = one Rust handler + one small method here calling `this.invoke(...)`
 * (plus a line in `callbacks.ts` if its result event is new). The plumbing under these
 * methods (packing, replies, event delivery) is the base class in `EngineCore.ts`.
 */
import { RCIMEngineCore, defaultState, ListenerSlots } from './EngineCore';
import type {
  IRCIMIWCancelDownloadingMediaMessageCallback,
  IRCIMIWCancelSendingMediaMessageCallback,
  IRCIMIWChangeConversationNotificationLevelCallback,
  IRCIMIWChangeConversationTopStatusCallback,
  IRCIMIWChangeMessageReceivedStatusCallback,
  IRCIMIWChangeMessageSentStatusCallback,
  IRCIMIWClearDraftMessageCallback,
  IRCIMIWClearMessagesCallback,
  IRCIMIWClearUnreadCountCallback,
  IRCIMIWDeleteLocalMessagesCallback,
  IRCIMIWDeleteMessagesCallback,
  IRCIMIWGetBlockedConversationsCallback,
  IRCIMIWGetConversationCallback,
  IRCIMIWGetConversationNotificationLevelCallback,
  IRCIMIWGetConversationsCallback,
  IRCIMIWGetConversationTopStatusCallback,
  IRCIMIWGetDraftMessageCallback,
  IRCIMIWGetFirstUnreadMessageCallback,
  IRCIMIWGetMessageCallback,
  IRCIMIWGetMessageCountCallback,
  IRCIMIWGetMessagesCallback,
  IRCIMIWGetTopConversationsCallback,
  IRCIMIWGetTotalUnreadCountCallback,
  IRCIMIWGetUnreadCountByConversationTypesCallback,
  IRCIMIWGetUnreadCountCallback,
  IRCIMIWGetUnreadMentionedCountCallback,
  IRCIMIWGetUnreadMentionedMessagesCallback,
  IRCIMIWInsertMessageCallback,
  IRCIMIWInsertMessagesCallback,
  IRCIMIWRecallMessageCallback,
  IRCIMIWRemoveConversationCallback,
  IRCIMIWRemoveMessageExpansionForKeysCallback,
  IRCIMIWSaveDraftMessageCallback,
  IRCIMIWSearchConversationsCallback,
  IRCIMIWSearchMessagesByTimeRangeCallback,
  IRCIMIWSearchMessagesByUserIdCallback,
  IRCIMIWSearchMessagesCallback,
  IRCIMIWSendPrivateReadReceiptMessageCallback,
  IRCIMIWUpdateMessageExpansionCallback,
  RCIMIWBlacklistStatus,
  RCIMIWBlockedMessageInfo,
  RCIMIWChatRoomEntriesOperationType,
  RCIMIWChatRoomMemberAction,
  RCIMIWChatRoomStatus,
  RCIMIWConnectCallback,
  RCIMIWConnectionStatus,
  RCIMIWConversation,
  RCIMIWConversationType,
  RCIMIWCustomMessage,
  RCIMIWCustomMessagePolicy,
  RCIMIWDownloadMediaMessageListener,
  RCIMIWEngineOptions,
  RCIMIWFileMessage,
  RCIMIWGIFMessage,
  RCIMIWImageMessage,
  RCIMIWLocationMessage,
  RCIMIWLogLevel,
  RCIMIWMediaMessage,
  RCIMIWMessage,
  RCIMIWMessageOperationPolicy,
  RCIMIWMessageType,
  RCIMIWPushNotificationLevel,
  RCIMIWPushNotificationQuietHoursLevel,
  RCIMIWReceivedStatus,
  RCIMIWReferenceMessage,
  RCIMIWSearchConversationResult,
  RCIMIWSendMediaMessageListener,
  RCIMIWSendMessageCallback,
  RCIMIWSentStatus,
  RCIMIWSightMessage,
  RCIMIWTextMessage,
  RCIMIWTimeOrder,
  RCIMIWTypingStatus,
  RCIMIWUltraGroupTypingStatus,
  RCIMIWUltraGroupTypingStatusInfo,
  RCIMIWVoiceMessage,
} from './RCIMDefines';

export class RCIMIWEngine extends RCIMEngineCore {
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

  /** Disconnects; `receivePush` = keep receiving remote push afterwards. */
  disconnect(receivePush: boolean): Promise<number> {
    return this.invoke('disconnect', { receivePush });
  }

  /** Native log verbosity. */
  changeLogLevel(level: RCIMIWLogLevel): Promise<number> {
    return this.invoke('changeLogLevel', { level });
  }

  // ───────────────────────────── messages ─────────────────────────────

  /**
   * Builds a text message. Resolves with the message object (a non-zero status code if the
   * engine rejects the arguments). `channelId`: ultra groups only, otherwise null.
   */
  createTextMessage(
    type: RCIMIWConversationType,
    targetId: string,
    channelId: string | null,
    text: string
  ): Promise<RCIMIWTextMessage> {
    return this.invokeCreate('createTextMessage', { type, targetId, channelId, text });
  }

  /**
   * Builds an image message from a local file (`path`); the engine compresses it and makes
   * its thumbnail following `compressOptions`. Send it with sendMediaMessage. Resolves with
   * the message, or a non-zero code (1 bad arguments, 34234 missing file or a directory, ...).
   */
  createImageMessage(
    type: RCIMIWConversationType,
    targetId: string,
    channelId: string | null,
    path: string
  ): Promise<RCIMIWImageMessage> {
    return this.invokeCreate('createImageMessage', { type, targetId, channelId, path });
  }

  /** Builds a file message from a local file. Send it with sendMediaMessage. */
  createFileMessage(
    type: RCIMIWConversationType,
    targetId: string,
    channelId: string | null,
    path: string
  ): Promise<RCIMIWFileMessage> {
    return this.invokeCreate('createFileMessage', { type, targetId, channelId, path });
  }

  /**
   * Builds a short-video (sight) message from a local file; `duration` in seconds (at most
   * 120). Send it with sendMediaMessage.
   */
  createSightMessage(
    type: RCIMIWConversationType,
    targetId: string,
    channelId: string | null,
    path: string,
    duration: number
  ): Promise<RCIMIWSightMessage> {
    return this.invokeCreate('createSightMessage', { type, targetId, channelId, path, duration });
  }

  /**
   * Builds a (high-quality) voice message from a local audio file; `duration` in seconds.
   * Send it with sendMediaMessage.
   */
  createVoiceMessage(
    type: RCIMIWConversationType,
    targetId: string,
    channelId: string | null,
    path: string,
    duration: number
  ): Promise<RCIMIWVoiceMessage> {
    return this.invokeCreate('createVoiceMessage', { type, targetId, channelId, path, duration });
  }

  /**
   * Builds a message quoting `referenceMessage` (which travels with it) with the reply
   * `text`. Note the order: referenceMessage, then text. Send it with sendMessage.
   */
  createReferenceMessage(
    type: RCIMIWConversationType,
    targetId: string,
    channelId: string | null,
    referenceMessage: RCIMIWMessage,
    text: string
  ): Promise<RCIMIWReferenceMessage> {
    return this.invokeCreate('createReferenceMessage', {
      type,
      targetId,
      channelId,
      referenceMessage,
      text,
    });
  }

  /**
   * Builds a GIF message from a local GIF file (size and dimensions read from the file; at
   * most 2 MiB by default: 34003). Send it with sendMediaMessage.
   */
  createGIFMessage(
    type: RCIMIWConversationType,
    targetId: string,
    channelId: string | null,
    path: string
  ): Promise<RCIMIWGIFMessage> {
    return this.invokeCreate('createGIFMessage', { type, targetId, channelId, path });
  }

  /**
   * Builds a custom message: `messageIdentifier` is its object name (at most 32 characters,
   * not starting with "RC:"), `policy` decides storage and unread counting, `fields` its
   * string content (a Map, sent as a plain object). Send it with sendMessage.
   */
  createCustomMessage(
    type: RCIMIWConversationType,
    targetId: string,
    channelId: string | null,
    policy: RCIMIWCustomMessagePolicy,
    messageIdentifier: string,
    fields: Map<string, string>
  ): Promise<RCIMIWCustomMessage> {
    return this.invokeCreate('createCustomMessage', {
      type,
      targetId,
      channelId,
      policy,
      messageIdentifier,
      fields,
    });
  }

  /**
   * Builds a location message; `thumbnailPath` is a local image of the map (sent inline as
   * a base64 thumbnail). Send it with sendMessage.
   */
  createLocationMessage(
    type: RCIMIWConversationType,
    targetId: string,
    channelId: string | null,
    longitude: number,
    latitude: number,
    poiName: string,
    thumbnailPath: string
  ): Promise<RCIMIWLocationMessage> {
    return this.invokeCreate('createLocationMessage', {
      type,
      targetId,
      channelId,
      longitude,
      latitude,
      poiName,
      thumbnailPath,
    });
  }

  /**
   * Sends a (non-media) message. Results: setOnMessageAttachedListener (stored locally) then
   * setOnMessageSentListener, and `callback.onMessageSaved` / `callback.onMessageSent`.
   */
  sendMessage(message: RCIMIWMessage, callback?: RCIMIWSendMessageCallback): Promise<number> {
    return this.invoke('sendMessage', { message }, callback);
  }

  /**
   * Sends a media message (image, voice, sight, file, GIF): stored and attached, its file
   * uploaded, then sent. Results: setOnMediaMessageAttachedListener,
   * setOnMediaMessageSendingListener (progress 0..100), setOnMediaMessageSentListener, and
   * the `listener` object's onMediaMessageSaved / onMediaMessageSending /
   * onMediaMessageSent (onSendingMediaMessageCanceled when cancelled). A failed upload leaves
   * the message FAILED with its local path: send the same object again to retry.
   */
  sendMediaMessage(
    message: RCIMIWMediaMessage,
    listener?: RCIMIWSendMediaMessageListener
  ): Promise<number> {
    return this.invoke('sendMediaMessage', { message }, listener);
  }

  /**
   * Cancels the upload of a media message being sent. Results:
   * setOnSendingMediaMessageCanceledListener and `callback.onCancelSendingMediaMessageCalled`;
   * the cancelled sendMediaMessage call's listener gets onSendingMediaMessageCanceled.
   */
  cancelSendingMediaMessage(
    message: RCIMIWMediaMessage,
    callback?: IRCIMIWCancelSendingMediaMessageCallback
  ): Promise<number> {
    return this.invoke('cancelSendingMediaMessage', { message }, callback);
  }

  /**
   * Downloads the file of a received (or sent) media message; a download cancelled earlier
   * resumes where it stopped. Results: setOnMediaMessageDownloadingListener (progress),
   * setOnMediaMessageDownloadedListener (the message with `local` set, also kept in the
   * store), and the `listener` object's functions.
   */
  downloadMediaMessage(
    message: RCIMIWMediaMessage,
    listener?: RCIMIWDownloadMediaMessageListener
  ): Promise<number> {
    return this.invoke('downloadMediaMessage', { message }, listener);
  }

  /**
   * Cancels a running download. Results: setOnDownloadingMediaMessageCanceledListener and
   * `callback.onCancelDownloadingMediaMessageCalled`; the cancelled downloadMediaMessage
   * call's listener gets onDownloadingMediaMessageCanceled.
   */
  cancelDownloadingMediaMessage(
    message: RCIMIWMediaMessage,
    callback?: IRCIMIWCancelDownloadingMediaMessageCallback
  ): Promise<number> {
    return this.invoke('cancelDownloadingMediaMessage', { message }, callback);
  }

  /**
   * Recalls a sent message (it needs its messageUId). Any participant may recall by default;
   * a server set to "only the sender may recall" refuses the others with 25107. Results:
   * setOnMessageRecalledListener and `callback.onMessageRecalled` with the stored recall
   * record (messageType RECALL) on success. The other participants get
   * setOnRemoteMessageRecalledListener.
   */
  recallMessage(message: RCIMIWMessage, callback?: IRCIMIWRecallMessageCallback): Promise<number> {
    return this.invoke('recallMessage', { message }, callback);
  }

  /**
   * Private read receipt: tells `targetId` that their messages up to `timestamp` (sentTime of
   * the last message read) were read. Results: setOnPrivateReadReceiptMessageSentListener and
   * `callback.onPrivateReadReceiptMessageSent`. The peer gets
   * setOnPrivateReadReceiptReceivedListener and its messages become READ (sentStatus 4).
   */
  sendPrivateReadReceiptMessage(
    targetId: string,
    channelId: string | null,
    timestamp: number,
    callback?: IRCIMIWSendPrivateReadReceiptMessageCallback
  ): Promise<number> {
    return this.invoke(
      'sendPrivateReadReceiptMessage',
      { targetId, channelId, timestamp },
      callback
    );
  }

  /**
   * Loads history (0 < count <= 20). Result: setOnMessagesLoadedListener.
   * @deprecated in 5.2.5: use getMessages.
   */
  loadMessages(
    type: RCIMIWConversationType,
    targetId: string,
    channelId: string | null,
    sentTime: number,
    order: RCIMIWTimeOrder,
    policy: RCIMIWMessageOperationPolicy,
    count: number
  ): Promise<number> {
    return this.invoke('loadMessages', {
      type,
      targetId,
      channelId,
      sentTime,
      order,
      policy,
      count,
    });
  }

  /** Loads history (0 < count <= 20). Results: setOnMessagesLoadedListener and `callback`. */
  getMessages(
    type: RCIMIWConversationType,
    targetId: string,
    channelId: string | null,
    sentTime: number,
    order: RCIMIWTimeOrder,
    policy: RCIMIWMessageOperationPolicy,
    count: number,
    callback?: IRCIMIWGetMessagesCallback
  ): Promise<number> {
    return this.invoke(
      'getMessages',
      { type, targetId, channelId, sentTime, order, policy, count },
      callback
    );
  }

  /**
   * Gets a message by its local id, in either audience's form:
   * - without a callback (the seed): resolves with the message itself, or with a non-zero
   *   code (1 bad arguments, 34204 unknown id, ...);
   * - with a callback object (5.2.5): resolves the status of the call (0 accepted, non-zero
   *   rejected: nothing else happens), then `callback.onSuccess(message)` or
   *   `callback.onError(code)` (e.g. 34204 for an unknown id). No listener is involved.
   */
  getMessageById(messageId: number, callback?: undefined): Promise<RCIMIWMessage>;
  getMessageById(messageId: number, callback: IRCIMIWGetMessageCallback): Promise<number>;
  getMessageById(
    messageId: number,
    callback?: IRCIMIWGetMessageCallback
  ): Promise<RCIMIWMessage | number>;
  getMessageById(
    messageId: number,
    callback?: IRCIMIWGetMessageCallback
  ): Promise<RCIMIWMessage | number> {
    return this.invokeLookup<RCIMIWMessage>('getMessageById', { messageId }, callback);
  }

  /**
   * Gets a message by its server id (messageUId; only sent or received messages have one), in
   * the same two forms as getMessageById: without a callback it resolves the message itself or
   * a non-zero code; with a callback object it resolves the status of the call and hands the
   * message to `callback.onSuccess` or the lookup's error code to `callback.onError`.
   */
  getMessageByUId(messageUId: string, callback?: undefined): Promise<RCIMIWMessage>;
  getMessageByUId(messageUId: string, callback: IRCIMIWGetMessageCallback): Promise<number>;
  getMessageByUId(
    messageUId: string,
    callback?: IRCIMIWGetMessageCallback
  ): Promise<RCIMIWMessage | number>;
  getMessageByUId(
    messageUId: string,
    callback?: IRCIMIWGetMessageCallback
  ): Promise<RCIMIWMessage | number> {
    return this.invokeLookup<RCIMIWMessage>('getMessageByUId', { messageUId }, callback);
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

  /** Pages the local conversation list. Results: setOnConversationsLoadedListener and `callback`. */
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

  // ──────────────────────── top (pinned) conversations ────────────────────────

  /**
   * Pins or unpins a conversation (creating it when it has no messages). Stored on the server
   * and synced to the user's other devices (setOnConversationTopStatusSyncedListener there);
   * not for chatrooms. Results: setOnConversationTopStatusChangedListener and `callback`.
   */
  changeConversationTopStatus(
    type: RCIMIWConversationType,
    targetId: string,
    channelId: string | null,
    top: boolean,
    callback?: IRCIMIWChangeConversationTopStatusCallback
  ): Promise<number> {
    return this.invoke('changeConversationTopStatus', { type, targetId, channelId, top }, callback);
  }

  /**
   * Whether a conversation is pinned. Result: setOnConversationTopStatusLoadedListener.
   * @deprecated in 5.2.5: use getConversationTopStatus.
   */
  loadConversationTopStatus(
    type: RCIMIWConversationType,
    targetId: string,
    channelId: string | null
  ): Promise<number> {
    return this.invoke('loadConversationTopStatus', { type, targetId, channelId });
  }

  /**
   * Whether a conversation is pinned.
   * Results: setOnConversationTopStatusLoadedListener and `callback.onSuccess(top)`.
   */
  getConversationTopStatus(
    type: RCIMIWConversationType,
    targetId: string,
    channelId: string | null,
    callback?: IRCIMIWGetConversationTopStatusCallback
  ): Promise<number> {
    return this.invoke('getConversationTopStatus', { type, targetId, channelId }, callback);
  }

  /**
   * Pinned conversations of the given types. Result: setOnTopConversationsLoadedListener.
   * @deprecated in 5.2.5: use getTopConversations.
   */
  loadTopConversations(
    conversationTypes: Array<RCIMIWConversationType>,
    channelId: string | null
  ): Promise<number> {
    return this.invoke('loadTopConversations', { conversationTypes, channelId });
  }

  /**
   * Pinned conversations of the given types, newest first.
   * Results: setOnTopConversationsLoadedListener and `callback.onSuccess(conversations)`.
   */
  getTopConversations(
    conversationTypes: Array<RCIMIWConversationType>,
    channelId: string | null,
    callback?: IRCIMIWGetTopConversationsCallback
  ): Promise<number> {
    return this.invoke('getTopConversations', { conversationTypes, channelId }, callback);
  }

  // ───────────────────────── notification levels ─────────────────────────

  /**
   * Sets a conversation's do-not-disturb level (RCIMIWPushNotificationLevel); stored on the
   * server and applied by the user's other devices; not for chatrooms.
   * Results: setOnConversationNotificationLevelChangedListener and `callback`.
   */
  changeConversationNotificationLevel(
    type: RCIMIWConversationType,
    targetId: string,
    channelId: string | null,
    level: RCIMIWPushNotificationLevel,
    callback?: IRCIMIWChangeConversationNotificationLevelCallback
  ): Promise<number> {
    return this.invoke(
      'changeConversationNotificationLevel',
      { type, targetId, channelId, level },
      callback
    );
  }

  /**
   * A conversation's notification level. Result:
   * setOnConversationNotificationLevelLoadedListener.
   * @deprecated in 5.2.5: use getConversationNotificationLevel.
   */
  loadConversationNotificationLevel(
    type: RCIMIWConversationType,
    targetId: string,
    channelId: string | null
  ): Promise<number> {
    return this.invoke('loadConversationNotificationLevel', { type, targetId, channelId });
  }

  /**
   * A conversation's notification level.
   * Results: setOnConversationNotificationLevelLoadedListener and `callback.onSuccess(level)`.
   */
  getConversationNotificationLevel(
    type: RCIMIWConversationType,
    targetId: string,
    channelId: string | null,
    callback?: IRCIMIWGetConversationNotificationLevelCallback
  ): Promise<number> {
    return this.invoke('getConversationNotificationLevel', { type, targetId, channelId }, callback);
  }

  /**
   * Conversations of the given types with a do-not-disturb level (MENTION..BLOCKED).
   * Result: setOnBlockedConversationsLoadedListener.
   * @deprecated in 5.2.5: use getBlockedConversations.
   */
  loadBlockedConversations(
    conversationTypes: Array<RCIMIWConversationType>,
    channelId: string | null
  ): Promise<number> {
    return this.invoke('loadBlockedConversations', { conversationTypes, channelId });
  }

  /**
   * Conversations of the given types with a do-not-disturb level (MENTION..BLOCKED).
   * Results: setOnBlockedConversationsLoadedListener and `callback.onSuccess(conversations)`.
   */
  getBlockedConversations(
    conversationTypes: Array<RCIMIWConversationType>,
    channelId: string | null,
    callback?: IRCIMIWGetBlockedConversationsCallback
  ): Promise<number> {
    return this.invoke('getBlockedConversations', { conversationTypes, channelId }, callback);
  }

  // ───────────────────────────── listener slots ─────────────────────────────

  /** Listener slot 'onMessageReceived' (event); one listener per slot, the last one set wins, undefined clears it. */
  setOnMessageReceivedListener(
    listener?: (message: RCIMIWMessage, left: number, offline: boolean, hasPackage: boolean) => void
  ): void {
    this.setListener('onMessageReceived', listener);
  }

  /** Listener slot 'onConnectionStatusChanged' (event); one listener per slot, the last one set wins, undefined clears it. */
  setOnConnectionStatusChangedListener(listener?: (status: RCIMIWConnectionStatus) => void): void {
    this.setListener('onConnectionStatusChanged', listener);
  }

  /** Listener slot 'onConversationTopStatusSynced' (event); one listener per slot, the last one set wins, undefined clears it. */
  setOnConversationTopStatusSyncedListener(
    listener?: (
      type: RCIMIWConversationType,
      targetId: string,
      channelId: string,
      top: boolean
    ) => void
  ): void {
    this.setListener('onConversationTopStatusSynced', listener);
  }

  /** Listener slot 'onRemoteMessageRecalled' (event); one listener per slot, the last one set wins, undefined clears it. */
  setOnRemoteMessageRecalledListener(listener?: (message: RCIMIWMessage) => void): void {
    this.setListener('onRemoteMessageRecalled', listener);
  }

  /** Listener slot 'onPrivateReadReceiptReceived' (event); one listener per slot, the last one set wins, undefined clears it. */
  setOnPrivateReadReceiptReceivedListener(
    listener?: (targetId: string, channelId: string, timestamp: number) => void
  ): void {
    this.setListener('onPrivateReadReceiptReceived', listener);
  }

  /** Listener slot 'onRemoteMessageExpansionUpdated' (event); one listener per slot, the last one set wins, undefined clears it. */
  setOnRemoteMessageExpansionUpdatedListener(
    listener?: (expansion: Map<string, string>, message: RCIMIWMessage) => void
  ): void {
    this.setListener('onRemoteMessageExpansionUpdated', listener);
  }

  /** Listener slot 'onRemoteMessageExpansionForKeyRemoved' (event); one listener per slot, the last one set wins, undefined clears it. */
  setOnRemoteMessageExpansionForKeyRemovedListener(
    listener?: (message: RCIMIWMessage, keys: Array<string>) => void
  ): void {
    this.setListener('onRemoteMessageExpansionForKeyRemoved', listener);
  }

  /** Listener slot 'onChatRoomMemberChanged' (event); one listener per slot, the last one set wins, undefined clears it. */
  setOnChatRoomMemberChangedListener(
    listener?: (targetId: string, actions: Array<RCIMIWChatRoomMemberAction>) => void
  ): void {
    this.setListener('onChatRoomMemberChanged', listener);
  }

  /** Listener slot 'onTypingStatusChanged' (event); one listener per slot, the last one set wins, undefined clears it. */
  setOnTypingStatusChangedListener(
    listener?: (
      type: RCIMIWConversationType,
      targetId: string,
      channelId: string,
      userTypingStatus: Array<RCIMIWTypingStatus>
    ) => void
  ): void {
    this.setListener('onTypingStatusChanged', listener);
  }

  /** Listener slot 'onConversationReadStatusSyncMessageReceived' (event); one listener per slot, the last one set wins, undefined clears it. */
  setOnConversationReadStatusSyncMessageReceivedListener(
    listener?: (type: RCIMIWConversationType, targetId: string, timestamp: number) => void
  ): void {
    this.setListener('onConversationReadStatusSyncMessageReceived', listener);
  }

  /** Listener slot 'onChatRoomEntriesSynced' (event); one listener per slot, the last one set wins, undefined clears it. */
  setOnChatRoomEntriesSyncedListener(listener?: (roomId: string) => void): void {
    this.setListener('onChatRoomEntriesSynced', listener);
  }

  /** Listener slot 'onChatRoomEntriesChanged' (event); one listener per slot, the last one set wins, undefined clears it. */
  setOnChatRoomEntriesChangedListener(
    listener?: (
      operationType: RCIMIWChatRoomEntriesOperationType,
      roomId: string,
      entries: Map<string, string>
    ) => void
  ): void {
    this.setListener('onChatRoomEntriesChanged', listener);
  }

  /** Listener slot 'onRemoteUltraGroupMessageExpansionUpdated' (event); one listener per slot, the last one set wins, undefined clears it. */
  setOnRemoteUltraGroupMessageExpansionUpdatedListener(
    listener?: (messages: Array<RCIMIWMessage>) => void
  ): void {
    this.setListener('onRemoteUltraGroupMessageExpansionUpdated', listener);
  }

  /** Listener slot 'onRemoteUltraGroupMessageModified' (event); one listener per slot, the last one set wins, undefined clears it. */
  setOnRemoteUltraGroupMessageModifiedListener(
    listener?: (messages: Array<RCIMIWMessage>) => void
  ): void {
    this.setListener('onRemoteUltraGroupMessageModified', listener);
  }

  /** Listener slot 'onRemoteUltraGroupMessageRecalled' (event); one listener per slot, the last one set wins, undefined clears it. */
  setOnRemoteUltraGroupMessageRecalledListener(
    listener?: (messages: Array<RCIMIWMessage>) => void
  ): void {
    this.setListener('onRemoteUltraGroupMessageRecalled', listener);
  }

  /** Listener slot 'onUltraGroupReadTimeReceived' (event); one listener per slot, the last one set wins, undefined clears it. */
  setOnUltraGroupReadTimeReceivedListener(
    listener?: (targetId: string, channelId: string, timestamp: number) => void
  ): void {
    this.setListener('onUltraGroupReadTimeReceived', listener);
  }

  /** Listener slot 'onUltraGroupTypingStatusChanged' (event); one listener per slot, the last one set wins, undefined clears it. */
  setOnUltraGroupTypingStatusChangedListener(
    listener?: (info: Array<RCIMIWUltraGroupTypingStatusInfo>) => void
  ): void {
    this.setListener('onUltraGroupTypingStatusChanged', listener);
  }

  /** Listener slot 'onMessageBlocked' (event); one listener per slot, the last one set wins, undefined clears it. */
  setOnMessageBlockedListener(listener?: (info: RCIMIWBlockedMessageInfo) => void): void {
    this.setListener('onMessageBlocked', listener);
  }

  /** Listener slot 'onChatRoomStatusChanged' (event); one listener per slot, the last one set wins, undefined clears it. */
  setOnChatRoomStatusChangedListener(
    listener?: (targetId: string, status: RCIMIWChatRoomStatus) => void
  ): void {
    this.setListener('onChatRoomStatusChanged', listener);
  }

  /** Listener slot 'onGroupMessageReadReceiptRequestReceived' (event); one listener per slot, the last one set wins, undefined clears it. */
  setOnGroupMessageReadReceiptRequestReceivedListener(
    listener?: (targetId: string, messageUId: string) => void
  ): void {
    this.setListener('onGroupMessageReadReceiptRequestReceived', listener);
  }

  /** Listener slot 'onGroupMessageReadReceiptResponseReceived' (event); one listener per slot, the last one set wins, undefined clears it. */
  setOnGroupMessageReadReceiptResponseReceivedListener(
    listener?: (targetId: string, messageUId: string, respondUserIds: Map<string, number>) => void
  ): void {
    this.setListener('onGroupMessageReadReceiptResponseReceived', listener);
  }

  /** Listener slot 'onConnected' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnConnectedListener(listener?: (code: number, userId: string) => void): void {
    this.setListener('onConnected', listener);
  }

  /** Listener slot 'onDatabaseOpened' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnDatabaseOpenedListener(listener?: (code: number) => void): void {
    this.setListener('onDatabaseOpened', listener);
  }

  /** Listener slot 'onConversationLoaded' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnConversationLoadedListener(
    listener?: (
      code: number,
      type: RCIMIWConversationType,
      targetId: string,
      channelId: string,
      conversation: RCIMIWConversation
    ) => void
  ): void {
    this.setListener('onConversationLoaded', listener);
  }

  /** Listener slot 'onConversationsLoaded' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnConversationsLoadedListener(
    listener?: (
      code: number,
      conversationTypes: Array<RCIMIWConversationType>,
      channelId: string,
      startTime: number,
      count: number,
      conversations: Array<RCIMIWConversation>
    ) => void
  ): void {
    this.setListener('onConversationsLoaded', listener);
  }

  /** Listener slot 'onConversationRemoved' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnConversationRemovedListener(
    listener?: (
      code: number,
      type: RCIMIWConversationType,
      targetId: string,
      channelId: string
    ) => void
  ): void {
    this.setListener('onConversationRemoved', listener);
  }

  /** Listener slot 'onConversationsRemoved' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnConversationsRemovedListener(
    listener?: (
      code: number,
      conversationTypes: Array<RCIMIWConversationType>,
      channelId: string
    ) => void
  ): void {
    this.setListener('onConversationsRemoved', listener);
  }

  /** Listener slot 'onTotalUnreadCountLoaded' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnTotalUnreadCountLoadedListener(
    listener?: (code: number, channelId: string, count: number) => void
  ): void {
    this.setListener('onTotalUnreadCountLoaded', listener);
  }

  /** Listener slot 'onUnreadCountLoaded' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnUnreadCountLoadedListener(
    listener?: (
      code: number,
      type: RCIMIWConversationType,
      targetId: string,
      channelId: string,
      count: number
    ) => void
  ): void {
    this.setListener('onUnreadCountLoaded', listener);
  }

  /** Listener slot 'onUnreadCountByConversationTypesLoaded' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnUnreadCountByConversationTypesLoadedListener(
    listener?: (
      code: number,
      conversationTypes: Array<RCIMIWConversationType>,
      channelId: string,
      contain: boolean,
      count: number
    ) => void
  ): void {
    this.setListener('onUnreadCountByConversationTypesLoaded', listener);
  }

  /** Listener slot 'onUnreadMentionedCountLoaded' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnUnreadMentionedCountLoadedListener(
    listener?: (
      code: number,
      type: RCIMIWConversationType,
      targetId: string,
      channelId: string,
      count: number
    ) => void
  ): void {
    this.setListener('onUnreadMentionedCountLoaded', listener);
  }

  /** Listener slot 'onUltraGroupAllUnreadCountLoaded' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnUltraGroupAllUnreadCountLoadedListener(
    listener?: (code: number, count: number) => void
  ): void {
    this.setListener('onUltraGroupAllUnreadCountLoaded', listener);
  }

  /** Listener slot 'onUltraGroupAllUnreadMentionedCountLoaded' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnUltraGroupAllUnreadMentionedCountLoadedListener(
    listener?: (code: number, count: number) => void
  ): void {
    this.setListener('onUltraGroupAllUnreadMentionedCountLoaded', listener);
  }

  /** Listener slot 'onUnreadCountCleared' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnUnreadCountClearedListener(
    listener?: (
      code: number,
      type: RCIMIWConversationType,
      targetId: string,
      channelId: string,
      timestamp: number
    ) => void
  ): void {
    this.setListener('onUnreadCountCleared', listener);
  }

  /** Listener slot 'onDraftMessageSaved' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnDraftMessageSavedListener(
    listener?: (
      code: number,
      type: RCIMIWConversationType,
      targetId: string,
      channelId: string,
      draft: string
    ) => void
  ): void {
    this.setListener('onDraftMessageSaved', listener);
  }

  /** Listener slot 'onDraftMessageCleared' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnDraftMessageClearedListener(
    listener?: (
      code: number,
      type: RCIMIWConversationType,
      targetId: string,
      channelId: string
    ) => void
  ): void {
    this.setListener('onDraftMessageCleared', listener);
  }

  /** Listener slot 'onDraftMessageLoaded' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnDraftMessageLoadedListener(
    listener?: (
      code: number,
      type: RCIMIWConversationType,
      targetId: string,
      channelId: string,
      draft: string
    ) => void
  ): void {
    this.setListener('onDraftMessageLoaded', listener);
  }

  /** Listener slot 'onBlockedConversationsLoaded' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnBlockedConversationsLoadedListener(
    listener?: (
      code: number,
      conversationTypes: Array<RCIMIWConversationType>,
      channelId: string,
      conversations: Array<RCIMIWConversation>
    ) => void
  ): void {
    this.setListener('onBlockedConversationsLoaded', listener);
  }

  /** Listener slot 'onConversationTopStatusChanged' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnConversationTopStatusChangedListener(
    listener?: (
      code: number,
      type: RCIMIWConversationType,
      targetId: string,
      channelId: string,
      top: boolean
    ) => void
  ): void {
    this.setListener('onConversationTopStatusChanged', listener);
  }

  /** Listener slot 'onConversationTopStatusLoaded' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnConversationTopStatusLoadedListener(
    listener?: (
      code: number,
      type: RCIMIWConversationType,
      targetId: string,
      channelId: string,
      top: boolean
    ) => void
  ): void {
    this.setListener('onConversationTopStatusLoaded', listener);
  }

  /** Listener slot 'onConversationReadStatusSynced' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnConversationReadStatusSyncedListener(
    listener?: (
      code: number,
      type: RCIMIWConversationType,
      targetId: string,
      channelId: string,
      timestamp: number
    ) => void
  ): void {
    this.setListener('onConversationReadStatusSynced', listener);
  }

  /** Listener slot 'onMessageAttached' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnMessageAttachedListener(listener?: (message: RCIMIWMessage) => void): void {
    this.setListener('onMessageAttached', listener);
  }

  /** Listener slot 'onMessageSent' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnMessageSentListener(listener?: (code: number, message: RCIMIWMessage) => void): void {
    this.setListener('onMessageSent', listener);
  }

  /** Listener slot 'onMediaMessageAttached' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnMediaMessageAttachedListener(listener?: (message: RCIMIWMediaMessage) => void): void {
    this.setListener('onMediaMessageAttached', listener);
  }

  /** Listener slot 'onMediaMessageSending' (progress); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnMediaMessageSendingListener(
    listener?: (message: RCIMIWMediaMessage, progress: number) => void
  ): void {
    this.setListener('onMediaMessageSending', listener);
  }

  /** Listener slot 'onSendingMediaMessageCanceled' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnSendingMediaMessageCanceledListener(
    listener?: (code: number, message: RCIMIWMediaMessage) => void
  ): void {
    this.setListener('onSendingMediaMessageCanceled', listener);
  }

  /** Listener slot 'onMediaMessageSent' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnMediaMessageSentListener(
    listener?: (code: number, message: RCIMIWMediaMessage) => void
  ): void {
    this.setListener('onMediaMessageSent', listener);
  }

  /** Listener slot 'onMediaMessageDownloading' (progress); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnMediaMessageDownloadingListener(
    listener?: (message: RCIMIWMediaMessage, progress: number) => void
  ): void {
    this.setListener('onMediaMessageDownloading', listener);
  }

  /** Listener slot 'onMediaMessageDownloaded' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnMediaMessageDownloadedListener(
    listener?: (code: number, message: RCIMIWMediaMessage) => void
  ): void {
    this.setListener('onMediaMessageDownloaded', listener);
  }

  /** Listener slot 'onDownloadingMediaMessageCanceled' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnDownloadingMediaMessageCanceledListener(
    listener?: (code: number, message: RCIMIWMediaMessage) => void
  ): void {
    this.setListener('onDownloadingMediaMessageCanceled', listener);
  }

  /** Listener slot 'onMessagesLoaded' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnMessagesLoadedListener(
    listener?: (
      code: number,
      type: RCIMIWConversationType,
      targetId: string,
      channelId: string,
      sentTime: number,
      order: RCIMIWTimeOrder,
      messages: Array<RCIMIWMessage>
    ) => void
  ): void {
    this.setListener('onMessagesLoaded', listener);
  }

  /** Listener slot 'onUnreadMentionedMessagesLoaded' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnUnreadMentionedMessagesLoadedListener(
    listener?: (
      code: number,
      type: RCIMIWConversationType,
      targetId: string,
      channelId: string,
      messages: Array<RCIMIWMessage>
    ) => void
  ): void {
    this.setListener('onUnreadMentionedMessagesLoaded', listener);
  }

  /** Listener slot 'onFirstUnreadMessageLoaded' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnFirstUnreadMessageLoadedListener(
    listener?: (
      code: number,
      type: RCIMIWConversationType,
      targetId: string,
      channelId: string,
      message: RCIMIWMessage
    ) => void
  ): void {
    this.setListener('onFirstUnreadMessageLoaded', listener);
  }

  /** Listener slot 'onMessageInserted' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnMessageInsertedListener(listener?: (code: number, message: RCIMIWMessage) => void): void {
    this.setListener('onMessageInserted', listener);
  }

  /** Listener slot 'onMessagesInserted' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnMessagesInsertedListener(
    listener?: (code: number, messages: Array<RCIMIWMessage>) => void
  ): void {
    this.setListener('onMessagesInserted', listener);
  }

  /** Listener slot 'onMessagesCleared' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnMessagesClearedListener(
    listener?: (
      code: number,
      type: RCIMIWConversationType,
      targetId: string,
      channelId: string,
      timestamp: number
    ) => void
  ): void {
    this.setListener('onMessagesCleared', listener);
  }

  /** Listener slot 'onLocalMessagesDeleted' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnLocalMessagesDeletedListener(
    listener?: (code: number, messages: Array<RCIMIWMessage>) => void
  ): void {
    this.setListener('onLocalMessagesDeleted', listener);
  }

  /** Listener slot 'onMessagesDeleted' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnMessagesDeletedListener(
    listener?: (
      code: number,
      type: RCIMIWConversationType,
      targetId: string,
      channelId: string,
      messages: Array<RCIMIWMessage>
    ) => void
  ): void {
    this.setListener('onMessagesDeleted', listener);
  }

  /** Listener slot 'onMessageRecalled' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnMessageRecalledListener(listener?: (code: number, message: RCIMIWMessage) => void): void {
    this.setListener('onMessageRecalled', listener);
  }

  /** Listener slot 'onPrivateReadReceiptMessageSent' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnPrivateReadReceiptMessageSentListener(
    listener?: (code: number, targetId: string, channelId: string, timestamp: number) => void
  ): void {
    this.setListener('onPrivateReadReceiptMessageSent', listener);
  }

  /** Listener slot 'onMessageExpansionUpdated' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnMessageExpansionUpdatedListener(
    listener?: (code: number, messageUId: string, expansion: Map<string, string>) => void
  ): void {
    this.setListener('onMessageExpansionUpdated', listener);
  }

  /** Listener slot 'onMessageExpansionForKeysRemoved' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnMessageExpansionForKeysRemovedListener(
    listener?: (code: number, messageUId: string, keys: Array<string>) => void
  ): void {
    this.setListener('onMessageExpansionForKeysRemoved', listener);
  }

  /** Listener slot 'onMessageReceiveStatusChanged' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnMessageReceiveStatusChangedListener(
    listener?: (code: number, messageId: number) => void
  ): void {
    this.setListener('onMessageReceiveStatusChanged', listener);
  }

  /** Listener slot 'onMessageSentStatusChanged' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnMessageSentStatusChangedListener(
    listener?: (code: number, messageId: number) => void
  ): void {
    this.setListener('onMessageSentStatusChanged', listener);
  }

  /** Listener slot 'onChatRoomJoined' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnChatRoomJoinedListener(listener?: (code: number, targetId: string) => void): void {
    this.setListener('onChatRoomJoined', listener);
  }

  /** Listener slot 'onChatRoomJoining' (progress); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnChatRoomJoiningListener(listener?: (targetId: string) => void): void {
    this.setListener('onChatRoomJoining', listener);
  }

  /** Listener slot 'onChatRoomLeft' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnChatRoomLeftListener(listener?: (code: number, targetId: string) => void): void {
    this.setListener('onChatRoomLeft', listener);
  }

  /** Listener slot 'onChatRoomMessagesLoaded' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnChatRoomMessagesLoadedListener(
    listener?: (
      code: number,
      targetId: string,
      messages: Array<RCIMIWMessage>,
      syncTime: number
    ) => void
  ): void {
    this.setListener('onChatRoomMessagesLoaded', listener);
  }

  /** Listener slot 'onChatRoomEntryAdded' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnChatRoomEntryAddedListener(
    listener?: (code: number, targetId: string, key: string) => void
  ): void {
    this.setListener('onChatRoomEntryAdded', listener);
  }

  /** Listener slot 'onChatRoomEntriesAdded' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnChatRoomEntriesAddedListener(
    listener?: (
      code: number,
      targetId: string,
      entries: Map<string, string>,
      errorEntries: Map<string, number>
    ) => void
  ): void {
    this.setListener('onChatRoomEntriesAdded', listener);
  }

  /** Listener slot 'onChatRoomEntryLoaded' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnChatRoomEntryLoadedListener(
    listener?: (code: number, targetId: string, entry: Map<string, string>) => void
  ): void {
    this.setListener('onChatRoomEntryLoaded', listener);
  }

  /** Listener slot 'onChatRoomAllEntriesLoaded' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnChatRoomAllEntriesLoadedListener(
    listener?: (code: number, targetId: string, entries: Map<string, string>) => void
  ): void {
    this.setListener('onChatRoomAllEntriesLoaded', listener);
  }

  /** Listener slot 'onChatRoomEntryRemoved' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnChatRoomEntryRemovedListener(
    listener?: (code: number, targetId: string, key: string) => void
  ): void {
    this.setListener('onChatRoomEntryRemoved', listener);
  }

  /** Listener slot 'onChatRoomEntriesRemoved' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnChatRoomEntriesRemovedListener(
    listener?: (code: number, targetId: string, keys: Array<string>) => void
  ): void {
    this.setListener('onChatRoomEntriesRemoved', listener);
  }

  /** Listener slot 'onBlacklistAdded' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnBlacklistAddedListener(listener?: (code: number, userId: string) => void): void {
    this.setListener('onBlacklistAdded', listener);
  }

  /** Listener slot 'onBlacklistRemoved' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnBlacklistRemovedListener(listener?: (code: number, userId: string) => void): void {
    this.setListener('onBlacklistRemoved', listener);
  }

  /** Listener slot 'onBlacklistStatusLoaded' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnBlacklistStatusLoadedListener(
    listener?: (code: number, userId: string, status: RCIMIWBlacklistStatus) => void
  ): void {
    this.setListener('onBlacklistStatusLoaded', listener);
  }

  /** Listener slot 'onBlacklistLoaded' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnBlacklistLoadedListener(listener?: (code: number, userIds: Array<string>) => void): void {
    this.setListener('onBlacklistLoaded', listener);
  }

  /** Listener slot 'onMessagesSearched' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnMessagesSearchedListener(
    listener?: (
      code: number,
      type: RCIMIWConversationType,
      targetId: string,
      channelId: string,
      keyword: string,
      startTime: number,
      count: number,
      messages: Array<RCIMIWMessage>
    ) => void
  ): void {
    this.setListener('onMessagesSearched', listener);
  }

  /** Listener slot 'onMessagesSearchedByTimeRange' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnMessagesSearchedByTimeRangeListener(
    listener?: (
      code: number,
      type: RCIMIWConversationType,
      targetId: string,
      channelId: string,
      keyword: string,
      startTime: number,
      endTime: number,
      offset: number,
      count: number,
      messages: Array<RCIMIWMessage>
    ) => void
  ): void {
    this.setListener('onMessagesSearchedByTimeRange', listener);
  }

  /** Listener slot 'onMessagesSearchedByUserId' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnMessagesSearchedByUserIdListener(
    listener?: (
      code: number,
      userId: string,
      type: RCIMIWConversationType,
      targetId: string,
      channelId: string,
      startTime: number,
      count: number,
      messages: Array<RCIMIWMessage>
    ) => void
  ): void {
    this.setListener('onMessagesSearchedByUserId', listener);
  }

  /** Listener slot 'onConversationsSearched' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnConversationsSearchedListener(
    listener?: (
      code: number,
      conversationTypes: Array<RCIMIWConversationType>,
      channelId: string,
      messageTypes: Array<RCIMIWMessageType>,
      keyword: string,
      conversations: Array<RCIMIWSearchConversationResult>
    ) => void
  ): void {
    this.setListener('onConversationsSearched', listener);
  }

  /** Listener slot 'onGroupReadReceiptRequestSent' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnGroupReadReceiptRequestSentListener(
    listener?: (code: number, message: RCIMIWMessage) => void
  ): void {
    this.setListener('onGroupReadReceiptRequestSent', listener);
  }

  /** Listener slot 'onGroupReadReceiptResponseSent' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnGroupReadReceiptResponseSentListener(
    listener?: (
      code: number,
      targetId: string,
      channelId: string,
      messages: Array<RCIMIWMessage>
    ) => void
  ): void {
    this.setListener('onGroupReadReceiptResponseSent', listener);
  }

  /** Listener slot 'onNotificationQuietHoursChanged' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnNotificationQuietHoursChangedListener(
    listener?: (
      code: number,
      startTime: string,
      spanMinutes: number,
      level: RCIMIWPushNotificationQuietHoursLevel
    ) => void
  ): void {
    this.setListener('onNotificationQuietHoursChanged', listener);
  }

  /** Listener slot 'onNotificationQuietHoursRemoved' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnNotificationQuietHoursRemovedListener(listener?: (code: number) => void): void {
    this.setListener('onNotificationQuietHoursRemoved', listener);
  }

  /** Listener slot 'onNotificationQuietHoursLoaded' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnNotificationQuietHoursLoadedListener(
    listener?: (
      code: number,
      startTime: string,
      spanMinutes: number,
      level: RCIMIWPushNotificationQuietHoursLevel
    ) => void
  ): void {
    this.setListener('onNotificationQuietHoursLoaded', listener);
  }

  /** Listener slot 'onConversationNotificationLevelChanged' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnConversationNotificationLevelChangedListener(
    listener?: (
      code: number,
      type: RCIMIWConversationType,
      targetId: string,
      channelId: string,
      level: RCIMIWPushNotificationLevel
    ) => void
  ): void {
    this.setListener('onConversationNotificationLevelChanged', listener);
  }

  /** Listener slot 'onConversationNotificationLevelLoaded' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnConversationNotificationLevelLoadedListener(
    listener?: (
      code: number,
      type: RCIMIWConversationType,
      targetId: string,
      channelId: string,
      level: RCIMIWPushNotificationLevel
    ) => void
  ): void {
    this.setListener('onConversationNotificationLevelLoaded', listener);
  }

  /** Listener slot 'onConversationTypeNotificationLevelChanged' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnConversationTypeNotificationLevelChangedListener(
    listener?: (
      code: number,
      type: RCIMIWConversationType,
      level: RCIMIWPushNotificationLevel
    ) => void
  ): void {
    this.setListener('onConversationTypeNotificationLevelChanged', listener);
  }

  /** Listener slot 'onConversationTypeNotificationLevelLoaded' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnConversationTypeNotificationLevelLoadedListener(
    listener?: (
      code: number,
      type: RCIMIWConversationType,
      level: RCIMIWPushNotificationLevel
    ) => void
  ): void {
    this.setListener('onConversationTypeNotificationLevelLoaded', listener);
  }

  /** Listener slot 'onUltraGroupDefaultNotificationLevelChanged' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnUltraGroupDefaultNotificationLevelChangedListener(
    listener?: (code: number, targetId: string, level: RCIMIWPushNotificationLevel) => void
  ): void {
    this.setListener('onUltraGroupDefaultNotificationLevelChanged', listener);
  }

  /** Listener slot 'onUltraGroupDefaultNotificationLevelLoaded' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnUltraGroupDefaultNotificationLevelLoadedListener(
    listener?: (code: number, targetId: string, level: RCIMIWPushNotificationLevel) => void
  ): void {
    this.setListener('onUltraGroupDefaultNotificationLevelLoaded', listener);
  }

  /** Listener slot 'onUltraGroupChannelDefaultNotificationLevelChanged' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnUltraGroupChannelDefaultNotificationLevelChangedListener(
    listener?: (
      code: number,
      targetId: string,
      channelId: string,
      level: RCIMIWPushNotificationLevel
    ) => void
  ): void {
    this.setListener('onUltraGroupChannelDefaultNotificationLevelChanged', listener);
  }

  /** Listener slot 'onUltraGroupChannelDefaultNotificationLevelLoaded' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnUltraGroupChannelDefaultNotificationLevelLoadedListener(
    listener?: (
      code: number,
      targetId: string,
      channelId: string,
      level: RCIMIWPushNotificationLevel
    ) => void
  ): void {
    this.setListener('onUltraGroupChannelDefaultNotificationLevelLoaded', listener);
  }

  /** Listener slot 'onPushContentShowStatusChanged' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnPushContentShowStatusChangedListener(
    listener?: (code: number, showContent: boolean) => void
  ): void {
    this.setListener('onPushContentShowStatusChanged', listener);
  }

  /** Listener slot 'onPushLanguageChanged' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnPushLanguageChangedListener(listener?: (code: number, language: string) => void): void {
    this.setListener('onPushLanguageChanged', listener);
  }

  /** Listener slot 'onPushReceiveStatusChanged' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnPushReceiveStatusChangedListener(listener?: (code: number, receive: boolean) => void): void {
    this.setListener('onPushReceiveStatusChanged', listener);
  }

  /** Listener slot 'onMessageCountLoaded' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnMessageCountLoadedListener(
    listener?: (
      code: number,
      type: RCIMIWConversationType,
      targetId: string,
      channelId: string,
      count: number
    ) => void
  ): void {
    this.setListener('onMessageCountLoaded', listener);
  }

  /** Listener slot 'onTopConversationsLoaded' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnTopConversationsLoadedListener(
    listener?: (
      code: number,
      conversationTypes: Array<RCIMIWConversationType>,
      channelId: string,
      conversations: Array<RCIMIWConversation>
    ) => void
  ): void {
    this.setListener('onTopConversationsLoaded', listener);
  }

  /** Listener slot 'onGroupMessageToDesignatedUsersAttached' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnGroupMessageToDesignatedUsersAttachedListener(
    listener?: (message: RCIMIWMessage) => void
  ): void {
    this.setListener('onGroupMessageToDesignatedUsersAttached', listener);
  }

  /** Listener slot 'onGroupMessageToDesignatedUsersSent' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnGroupMessageToDesignatedUsersSentListener(
    listener?: (code: number, message: RCIMIWMessage) => void
  ): void {
    this.setListener('onGroupMessageToDesignatedUsersSent', listener);
  }

  /** Listener slot 'onUltraGroupReadStatusSynced' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnUltraGroupReadStatusSyncedListener(
    listener?: (code: number, targetId: string, channelId: string, timestamp: number) => void
  ): void {
    this.setListener('onUltraGroupReadStatusSynced', listener);
  }

  /** Listener slot 'onConversationsLoadedForAllChannel' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnConversationsLoadedForAllChannelListener(
    listener?: (
      code: number,
      type: RCIMIWConversationType,
      targetId: string,
      conversations: Array<RCIMIWConversation>
    ) => void
  ): void {
    this.setListener('onConversationsLoadedForAllChannel', listener);
  }

  /** Listener slot 'onUltraGroupUnreadMentionedCountLoaded' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnUltraGroupUnreadMentionedCountLoadedListener(
    listener?: (code: number, targetId: string, count: number) => void
  ): void {
    this.setListener('onUltraGroupUnreadMentionedCountLoaded', listener);
  }

  /** Listener slot 'onUltraGroupUnreadCountLoaded' (result); one listener per slot, the last one set wins, undefined clears it. */
  setOnUltraGroupUnreadCountLoadedListener(
    listener?: (code: number, targetId: string, count: number) => void
  ): void {
    this.setListener('onUltraGroupUnreadCountLoaded', listener);
  }

  /** Listener slot 'onUltraGroupMessageModified' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnUltraGroupMessageModifiedListener(
    listener?: (code: number, messageUId: string) => void
  ): void {
    this.setListener('onUltraGroupMessageModified', listener);
  }

  /** Listener slot 'onUltraGroupMessageRecalled' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnUltraGroupMessageRecalledListener(
    listener?: (code: number, message: RCIMIWMessage, deleteRemote: boolean) => void
  ): void {
    this.setListener('onUltraGroupMessageRecalled', listener);
  }

  /** Listener slot 'onUltraGroupMessagesCleared' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnUltraGroupMessagesClearedListener(
    listener?: (
      code: number,
      targetId: string,
      channelId: string,
      timestamp: number,
      policy: RCIMIWMessageOperationPolicy
    ) => void
  ): void {
    this.setListener('onUltraGroupMessagesCleared', listener);
  }

  /** Listener slot 'onUltraGroupMessagesClearedForAllChannel' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnUltraGroupMessagesClearedForAllChannelListener(
    listener?: (code: number, targetId: string, timestamp: number) => void
  ): void {
    this.setListener('onUltraGroupMessagesClearedForAllChannel', listener);
  }

  /** Listener slot 'onUltraGroupTypingStatusSent' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnUltraGroupTypingStatusSentListener(
    listener?: (
      code: number,
      targetId: string,
      channelId: string,
      typingStatus: RCIMIWUltraGroupTypingStatus
    ) => void
  ): void {
    this.setListener('onUltraGroupTypingStatusSent', listener);
  }

  /** Listener slot 'onBatchRemoteUltraGroupMessagesLoaded' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnBatchRemoteUltraGroupMessagesLoadedListener(
    listener?: (
      code: number,
      matchedMessages: Array<RCIMIWMessage>,
      notMatchedMessages: Array<RCIMIWMessage>
    ) => void
  ): void {
    this.setListener('onBatchRemoteUltraGroupMessagesLoaded', listener);
  }

  /** Listener slot 'onUltraGroupMessageExpansionUpdated' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnUltraGroupMessageExpansionUpdatedListener(
    listener?: (code: number, expansion: Map<string, string>, messageUId: string) => void
  ): void {
    this.setListener('onUltraGroupMessageExpansionUpdated', listener);
  }

  /** Listener slot 'onUltraGroupMessageExpansionForKeysRemoved' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnUltraGroupMessageExpansionForKeysRemovedListener(
    listener?: (code: number, messageUId: string, keys: Array<string>) => void
  ): void {
    this.setListener('onUltraGroupMessageExpansionForKeysRemoved', listener);
  }

  /** Seed (5.2.4 guide) spelling; shares the 'onConnectionStatusChanged' slot. */
  setOnConnectionStatusChangeListener(listener?: (status: RCIMIWConnectionStatus) => void): void {
    this.setListener('onConnectionStatusChanged', listener);
  }

  /** Seed (5.2.4 guide) spelling; shares the 'onTypingStatusChanged' slot. */
  setOnTypingStatusChangeListener(
    listener?: (
      type: RCIMIWConversationType,
      targetId: string,
      channelId: string,
      userTypingStatus: Array<RCIMIWTypingStatus>
    ) => void
  ): void {
    this.setListener('onTypingStatusChanged', listener);
  }

  /** Seed (5.2.4 guide) spelling; shares the 'onMessagesCleared' slot. */
  setOnMessageClearedListener(
    listener?: (
      code: number,
      type: RCIMIWConversationType,
      targetId: string,
      channelId: string,
      timestamp: number
    ) => void
  ): void {
    this.setListener('onMessagesCleared', listener);
  }

  /** Seed (5.2.4 guide) spelling; shares the 'onChatRoomAllEntriesLoaded' slot. */
  setOnAllChatRoomEntriesLoadedListener(
    listener?: (code: number, targetId: string, entries: Map<string, string>) => void
  ): void {
    this.setListener('onChatRoomAllEntriesLoaded', listener);
  }

  /** Seed (5.2.4 guide) spelling; shares the 'onUltraGroupMessageExpansionForKeysRemoved' slot. */
  setOnUltraGroupMessageExpansionRemovedListener(
    listener?: (code: number, messageId: string, keys: Array<string>) => void
  ): void {
    this.setListener('onUltraGroupMessageExpansionForKeysRemoved', listener);
  }

  /** Seed (5.2.4 guide) spelling; shares the 'onRemoteUltraGroupMessagesCleared' slot. */
  setOnRemoteUltraGroupMessagesClearedListener(
    listener?: (code: number, targetId: string, channelId: string, timestamp: number) => void
  ): void {
    this.setListener('onRemoteUltraGroupMessagesCleared', listener);
  }
  /** Seed prose spelling of setOnMessageAttachedListener; shares the 'onMessageAttached' slot. */
  setMessageAttachedListener(listener?: (message: RCIMIWMessage) => void): void {
    this.setListener('onMessageAttached', listener);
  }

  /** Seed prose spelling of setOnMessageSentListener; shares the 'onMessageSent' slot. */
  setMessageSentListener(listener?: (code: number, message: RCIMIWMessage) => void): void {
    this.setListener('onMessageSent', listener);
  }
}
