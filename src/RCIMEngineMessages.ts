/**
 * The messages of RCIMIWEngine: building them (`create…Message`), sending them (normal, media,
 * directed group messages), media transfers, recall, read receipts (private and group), the
 * read position synced to the user's other devices, typing status, and history and lookups.
 * Each method only packs its arguments for the engine.
 */
import type { ListenerSlots } from './EngineCore';
import { RCIMEngineUltraGroup } from './RCIMEngineUltraGroup';
import type {
  IRCIMIWCancelDownloadingMediaMessageCallback,
  IRCIMIWCancelSendingMediaMessageCallback,
  IRCIMIWGetMessageCallback,
  IRCIMIWGetMessagesCallback,
  IRCIMIWRecallMessageCallback,
  IRCIMIWSendGroupReadReceiptRequestCallback,
  IRCIMIWSendGroupReadReceiptResponseCallback,
  IRCIMIWSendPrivateReadReceiptMessageCallback,
  IRCIMIWSyncConversationReadStatusCallback,
  RCIMIWConversationType,
  RCIMIWCustomMessage,
  RCIMIWCustomMessagePolicy,
  RCIMIWDownloadMediaMessageListener,
  RCIMIWEngineOptions,
  RCIMIWFileMessage,
  RCIMIWGIFMessage,
  RCIMIWImageMessage,
  RCIMIWLocationMessage,
  RCIMIWMediaMessage,
  RCIMIWMessage,
  RCIMIWMessageOperationPolicy,
  RCIMIWReferenceMessage,
  RCIMIWSendGroupMessageToDesignatedUsersCallback,
  RCIMIWSendMediaMessageListener,
  RCIMIWSendMessageCallback,
  RCIMIWSightMessage,
  RCIMIWTextMessage,
  RCIMIWTimeOrder,
  RCIMIWVoiceMessage,
} from './RCIMDefines';

export abstract class RCIMEngineMessages extends RCIMEngineUltraGroup {
  protected constructor(appKey: string, options: RCIMIWEngineOptions, slots: ListenerSlots) {
    super(appKey, options, slots);
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
   * Sends a (non-media) group message that only the members `userIds` receive; the other
   * members get nothing. Results: setOnGroupMessageToDesignatedUsersAttachedListener (stored
   * locally) then setOnGroupMessageToDesignatedUsersSentListener, and
   * `callback.onMessageSaved` / `callback.onMessageSent`.
   */
  sendGroupMessageToDesignatedUsers(
    message: RCIMIWMessage,
    userIds: Array<string>,
    callback?: RCIMIWSendGroupMessageToDesignatedUsersCallback
  ): Promise<number> {
    return this.invoke('sendGroupMessageToDesignatedUsers', { message, userIds }, callback);
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
   * Group read receipt: asks the members of the group to acknowledge one of your own sent
   * messages. Members get setOnGroupMessageReadReceiptRequestReceivedListener. Results:
   * setOnGroupReadReceiptRequestSentListener and `callback.onGroupReadReceiptRequestSent`.
   */
  sendGroupReadReceiptRequest(
    message: RCIMIWMessage,
    callback?: IRCIMIWSendGroupReadReceiptRequestCallback
  ): Promise<number> {
    return this.invoke('sendGroupReadReceiptRequest', { message }, callback);
  }

  /**
   * Group read receipt: acknowledges requested messages of one group conversation in one
   * call. Their senders get setOnGroupMessageReadReceiptResponseReceivedListener (userId →
   * response time) and the messages' groupReadReceiptInfo is updated. Results:
   * setOnGroupReadReceiptResponseSentListener and `callback.onGroupReadReceiptResponseSent`.
   * `channelId`: ultra groups only, otherwise null.
   */
  sendGroupReadReceiptResponse(
    targetId: string,
    channelId: string | null,
    messages: Array<RCIMIWMessage>,
    callback?: IRCIMIWSendGroupReadReceiptResponseCallback
  ): Promise<number> {
    return this.invoke('sendGroupReadReceiptResponse', { targetId, channelId, messages }, callback);
  }

  /**
   * Tells the user's other devices that a conversation is read up to `timestamp` (sentTime of
   * the last message read); they clear its unread count and get
   * setOnConversationReadStatusSyncMessageReceivedListener. Results:
   * setOnConversationReadStatusSyncedListener and `callback`.
   */
  syncConversationReadStatus(
    type: RCIMIWConversationType,
    targetId: string,
    channelId: string | null,
    timestamp: number,
    callback?: IRCIMIWSyncConversationReadStatusCallback
  ): Promise<number> {
    return this.invoke(
      'syncConversationReadStatus',
      { type, targetId, channelId, timestamp },
      callback
    );
  }

  /**
   * Tells the peer of a private conversation that you are typing a message of object name
   * `currentType` (e.g. "RC:TxtMsg"). Never stored nor delivered offline; repeated calls are
   * throttled. No result listener and no callback: the peer gets
   * setOnTypingStatusChangedListener.
   */
  sendTypingStatus(
    type: RCIMIWConversationType,
    targetId: string,
    channelId: string | null,
    currentType: string
  ): Promise<number> {
    return this.invoke('sendTypingStatus', { type, targetId, channelId, currentType });
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
}
