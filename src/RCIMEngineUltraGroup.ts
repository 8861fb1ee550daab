/**
 * The ultra groups of RCIMIWEngine (R210–R244): channel conversations, unread counts,
 * messages read from the server, clearing, modify / recall / expansion of sent messages,
 * read-status sync, typing and default notification levels. Each channel of a group is its
 * own conversation (type ULTRA_GROUP, channel "" = "RCDefault"); sending, history pages
 * (`getMessages` fills gaps from the server) and conversation settings are the ordinary
 * methods. Each method only packs its arguments for the engine (a Map argument crosses as a
 * plain object); results come through the listener slots and the per-call callback objects.
 *
 * RCIMEngineMessages (RCIMEngineMessages.ts) extends this class, which extends
 * RCIMEngineChatRoom.
 */
import type { ListenerSlots } from './EngineCore';
import { RCIMEngineChatRoom } from './RCIMEngineChatRoom';
import type {
  IRCIMIWChangeUltraGroupChannelDefaultNotificationLevelCallback,
  IRCIMIWChangeUltraGroupDefaultNotificationLevelCallback,
  IRCIMIWClearUltraGroupMessagesCallback,
  IRCIMIWClearUltraGroupMessagesForAllChannelCallback,
  IRCIMIWGetBatchRemoteUltraGroupMessagesCallback,
  IRCIMIWGetConversationsForAllChannelCallback,
  IRCIMIWGetUltraGroupAllUnreadCountCallback,
  IRCIMIWGetUltraGroupAllUnreadMentionedCountCallback,
  IRCIMIWGetUltraGroupChannelDefaultNotificationLevelCallback,
  IRCIMIWGetUltraGroupDefaultNotificationLevelCallback,
  IRCIMIWGetUltraGroupUnreadCountCallback,
  IRCIMIWGetUltraGroupUnreadMentionedCountCallback,
  IRCIMIWModifyUltraGroupMessageCallback,
  IRCIMIWRecallUltraGroupMessageCallback,
  IRCIMIWRemoveUltraGroupMessageExpansionForKeysCallback,
  IRCIMIWSendUltraGroupTypingStatusCallback,
  IRCIMIWSyncUltraGroupReadStatusCallback,
  IRCIMIWUpdateUltraGroupMessageExpansionCallback,
  RCIMIWConversationType,
  RCIMIWEngineOptions,
  RCIMIWMessage,
  RCIMIWMessageOperationPolicy,
  RCIMIWPushNotificationLevel,
  RCIMIWUltraGroupTypingStatus,
} from './RCIMDefines';

export abstract class RCIMEngineUltraGroup extends RCIMEngineChatRoom {
  protected constructor(appKey: string, options: RCIMIWEngineOptions, slots: ListenerSlots) {
    super(appKey, options, slots);
  }

  /**
   * The local channel conversations of one ultra group (`type` must be ULTRA_GROUP), newest
   * first. Result: setOnConversationsLoadedForAllChannelListener.
   * @deprecated in 5.2.5: use getConversationsForAllChannel.
   */
  loadConversationsForAllChannel(type: RCIMIWConversationType, targetId: string): Promise<number> {
    return this.invoke('loadConversationsForAllChannel', { type, targetId });
  }

  /**
   * The local channel conversations of one ultra group, newest first.
   * Results: setOnConversationsLoadedForAllChannelListener and `callback.onSuccess`.
   */
  getConversationsForAllChannel(
    type: RCIMIWConversationType,
    targetId: string,
    callback?: IRCIMIWGetConversationsForAllChannelCallback
  ): Promise<number> {
    return this.invoke('getConversationsForAllChannel', { type, targetId }, callback);
  }

  /**
   * Reads 1..20 ultra-group messages of one channel from the server (only conversationType,
   * targetId, channelId and messageUId are used). Result:
   * setOnBatchRemoteUltraGroupMessagesLoadedListener (matched, notMatched).
   * @deprecated in 5.2.5: use getBatchRemoteUltraGroupMessages.
   */
  loadBatchRemoteUltraGroupMessages(messages: Array<RCIMIWMessage>): Promise<number> {
    return this.invoke('loadBatchRemoteUltraGroupMessages', { messages });
  }

  /**
   * As loadBatchRemoteUltraGroupMessages. Results:
   * setOnBatchRemoteUltraGroupMessagesLoadedListener and
   * `callback.onSuccess(matchedMessages, notMatchedMessages)`.
   */
  getBatchRemoteUltraGroupMessages(
    messages: Array<RCIMIWMessage>,
    callback?: IRCIMIWGetBatchRemoteUltraGroupMessagesCallback
  ): Promise<number> {
    return this.invoke('getBatchRemoteUltraGroupMessages', { messages }, callback);
  }

  /**
   * Deletes the local messages sent at or before `timestamp` in every channel of the group.
   * Results: setOnUltraGroupMessagesClearedForAllChannelListener and `callback`.
   */
  clearUltraGroupMessagesForAllChannel(
    targetId: string,
    timestamp: number,
    callback?: IRCIMIWClearUltraGroupMessagesForAllChannelCallback
  ): Promise<number> {
    return this.invoke('clearUltraGroupMessagesForAllChannel', { targetId, timestamp }, callback);
  }

  /**
   * Deletes the channel's messages sent at or before `timestamp`: on this device (LOCAL),
   * from this user's server history (REMOTE) or both (LOCAL_REMOTE).
   * Results: setOnUltraGroupMessagesClearedListener and `callback`.
   */
  clearUltraGroupMessages(
    targetId: string,
    channelId: string,
    timestamp: number,
    policy: RCIMIWMessageOperationPolicy,
    callback?: IRCIMIWClearUltraGroupMessagesCallback
  ): Promise<number> {
    return this.invoke(
      'clearUltraGroupMessages',
      { targetId, channelId, timestamp, policy },
      callback
    );
  }

  /**
   * The 5.2.4 guide's remote clear (clearUltraGroupMessages with REMOTE).
   * Result: setOnRemoteUltraGroupMessagesClearedListener.
   * @deprecated absent from 5.2.5: use clearUltraGroupMessages with REMOTE.
   */
  clearRemoteUltraGroupMessages(
    targetId: string,
    channelId: string,
    timestamp: number
  ): Promise<number> {
    return this.invoke('clearRemoteUltraGroupMessages', { targetId, channelId, timestamp });
  }

  /**
   * Replaces the content of one of this user's sent ultra-group messages (the type must stay
   * the same). Others get setOnRemoteUltraGroupMessageModifiedListener.
   * Results: setOnUltraGroupMessageModifiedListener and `callback`.
   */
  modifyUltraGroupMessage(
    messageUId: string,
    message: RCIMIWMessage,
    callback?: IRCIMIWModifyUltraGroupMessageCallback
  ): Promise<number> {
    return this.invoke('modifyUltraGroupMessage', { messageUId, message }, callback);
  }

  /**
   * Recalls a sent ultra-group message: a recall tip replaces it, or with `deleteRemote`
   * it is deleted everywhere. Others get setOnRemoteUltraGroupMessageRecalledListener.
   * Results: setOnUltraGroupMessageRecalledListener and `callback`.
   */
  recallUltraGroupMessage(
    message: RCIMIWMessage,
    deleteRemote: boolean,
    callback?: IRCIMIWRecallUltraGroupMessageCallback
  ): Promise<number> {
    return this.invoke('recallUltraGroupMessage', { message, deleteRemote }, callback);
  }

  /**
   * Sets expansion keys (letters, digits, `+ = - _`) of a sent ultra-group message. Others
   * get setOnRemoteUltraGroupMessageExpansionUpdatedListener.
   * Results: setOnUltraGroupMessageExpansionUpdatedListener and `callback`.
   */
  updateUltraGroupMessageExpansion(
    messageUId: string,
    expansion: Map<string, string>,
    callback?: IRCIMIWUpdateUltraGroupMessageExpansionCallback
  ): Promise<number> {
    return this.invoke('updateUltraGroupMessageExpansion', { messageUId, expansion }, callback);
  }

  /**
   * Removes expansion keys of a sent ultra-group message (null keys are dropped).
   * Results: setOnUltraGroupMessageExpansionForKeysRemovedListener and `callback`.
   */
  removeUltraGroupMessageExpansionForKeys(
    messageUId: string,
    keys: Array<string>,
    callback?: IRCIMIWRemoveUltraGroupMessageExpansionForKeysCallback
  ): Promise<number> {
    return this.invoke('removeUltraGroupMessageExpansionForKeys', { messageUId, keys }, callback);
  }

  /**
   * The 5.2.4 guide's name of removeUltraGroupMessageExpansionForKeys. Result:
   * setOnUltraGroupMessageExpansionRemovedListener (the same slot).
   * @deprecated absent from 5.2.5: use removeUltraGroupMessageExpansionForKeys.
   */
  removeUltraGroupMessageExpansion(messageUid: string, keys: Array<string>): Promise<number> {
    return this.invoke('removeUltraGroupMessageExpansion', { messageUId: messageUid, keys });
  }

  /**
   * Unread messages of every ultra group (at most 999).
   * Result: setOnUltraGroupAllUnreadCountLoadedListener.
   * @deprecated in 5.2.5: use getUltraGroupAllUnreadCount.
   */
  loadUltraGroupAllUnreadCount(): Promise<number> {
    return this.invoke('loadUltraGroupAllUnreadCount', {});
  }

  /**
   * Unread messages of every ultra group (at most 999).
   * Results: setOnUltraGroupAllUnreadCountLoadedListener and `callback.onSuccess(count)`.
   */
  getUltraGroupAllUnreadCount(
    callback?: IRCIMIWGetUltraGroupAllUnreadCountCallback
  ): Promise<number> {
    return this.invoke('getUltraGroupAllUnreadCount', {}, callback);
  }

  /**
   * Unread @-mentions of every ultra group (at most 999).
   * Result: setOnUltraGroupAllUnreadMentionedCountLoadedListener.
   * @deprecated in 5.2.5: use getUltraGroupAllUnreadMentionedCount.
   */
  loadUltraGroupAllUnreadMentionedCount(): Promise<number> {
    return this.invoke('loadUltraGroupAllUnreadMentionedCount', {});
  }

  /**
   * Unread @-mentions of every ultra group (at most 999). Results:
   * setOnUltraGroupAllUnreadMentionedCountLoadedListener and `callback.onSuccess(count)`.
   */
  getUltraGroupAllUnreadMentionedCount(
    callback?: IRCIMIWGetUltraGroupAllUnreadMentionedCountCallback
  ): Promise<number> {
    return this.invoke('getUltraGroupAllUnreadMentionedCount', {}, callback);
  }

  /**
   * Unread messages of one ultra group (at most 999).
   * Result: setOnUltraGroupUnreadCountLoadedListener.
   * @deprecated in 5.2.5: use getUltraGroupUnreadCount.
   */
  loadUltraGroupUnreadCount(targetId: string): Promise<number> {
    return this.invoke('loadUltraGroupUnreadCount', { targetId });
  }

  /**
   * Unread messages of one ultra group (at most 999).
   * Results: setOnUltraGroupUnreadCountLoadedListener and `callback.onSuccess(count)`.
   */
  getUltraGroupUnreadCount(
    targetId: string,
    callback?: IRCIMIWGetUltraGroupUnreadCountCallback
  ): Promise<number> {
    return this.invoke('getUltraGroupUnreadCount', { targetId }, callback);
  }

  /**
   * Unread @-mentions of one ultra group (at most 999).
   * Result: setOnUltraGroupUnreadMentionedCountLoadedListener.
   * @deprecated in 5.2.5: use getUltraGroupUnreadMentionedCount.
   */
  loadUltraGroupUnreadMentionedCount(targetId: string): Promise<number> {
    return this.invoke('loadUltraGroupUnreadMentionedCount', { targetId });
  }

  /**
   * Unread @-mentions of one ultra group (at most 999). Results:
   * setOnUltraGroupUnreadMentionedCountLoadedListener and `callback.onSuccess(count)`.
   */
  getUltraGroupUnreadMentionedCount(
    targetId: string,
    callback?: IRCIMIWGetUltraGroupUnreadMentionedCountCallback
  ): Promise<number> {
    return this.invoke('getUltraGroupUnreadMentionedCount', { targetId }, callback);
  }

  /**
   * Marks every message of the channel read, here, on the server and on this user's other
   * devices (they get setOnUltraGroupReadTimeReceivedListener). `timestamp` is ignored.
   * Results: setOnUltraGroupReadStatusSyncedListener and `callback`.
   */
  syncUltraGroupReadStatus(
    targetId: string,
    channelId: string,
    timestamp: number,
    callback?: IRCIMIWSyncUltraGroupReadStatusCallback
  ): Promise<number> {
    return this.invoke('syncUltraGroupReadStatus', { targetId, channelId, timestamp }, callback);
  }

  /**
   * Tells the channel's members this user types; they get batches through
   * setOnUltraGroupTypingStatusChangedListener.
   * Results: setOnUltraGroupTypingStatusSentListener and `callback`.
   */
  sendUltraGroupTypingStatus(
    targetId: string,
    channelId: string,
    typingStatus: RCIMIWUltraGroupTypingStatus,
    callback?: IRCIMIWSendUltraGroupTypingStatusCallback
  ): Promise<number> {
    return this.invoke(
      'sendUltraGroupTypingStatus',
      { targetId, channelId, typingStatus },
      callback
    );
  }

  /**
   * The group's default notification level for all members and channels (a channel default
   * and each member's own level win). Results:
   * setOnUltraGroupDefaultNotificationLevelChangedListener and `callback`.
   */
  changeUltraGroupDefaultNotificationLevel(
    targetId: string,
    level: RCIMIWPushNotificationLevel,
    callback?: IRCIMIWChangeUltraGroupDefaultNotificationLevelCallback
  ): Promise<number> {
    return this.invoke('changeUltraGroupDefaultNotificationLevel', { targetId, level }, callback);
  }

  /**
   * The group's default notification level (NONE = not set).
   * Result: setOnUltraGroupDefaultNotificationLevelLoadedListener.
   * @deprecated in 5.2.5: use getUltraGroupDefaultNotificationLevel.
   */
  loadUltraGroupDefaultNotificationLevel(targetId: string): Promise<number> {
    return this.invoke('loadUltraGroupDefaultNotificationLevel', { targetId });
  }

  /**
   * The group's default notification level (NONE = not set). Results:
   * setOnUltraGroupDefaultNotificationLevelLoadedListener and `callback.onSuccess(level)`.
   */
  getUltraGroupDefaultNotificationLevel(
    targetId: string,
    callback?: IRCIMIWGetUltraGroupDefaultNotificationLevelCallback
  ): Promise<number> {
    return this.invoke('getUltraGroupDefaultNotificationLevel', { targetId }, callback);
  }

  /**
   * A channel's default notification level for all members (over the group's default,
   * below each member's own level). Results:
   * setOnUltraGroupChannelDefaultNotificationLevelChangedListener and `callback`.
   */
  changeUltraGroupChannelDefaultNotificationLevel(
    targetId: string,
    channelId: string,
    level: RCIMIWPushNotificationLevel,
    callback?: IRCIMIWChangeUltraGroupChannelDefaultNotificationLevelCallback
  ): Promise<number> {
    return this.invoke(
      'changeUltraGroupChannelDefaultNotificationLevel',
      { targetId, channelId, level },
      callback
    );
  }

  /**
   * A channel's default notification level (NONE = not set).
   * Result: setOnUltraGroupChannelDefaultNotificationLevelLoadedListener.
   * @deprecated in 5.2.5: use getUltraGroupChannelDefaultNotificationLevel.
   */
  loadUltraGroupChannelDefaultNotificationLevel(
    targetId: string,
    channelId: string
  ): Promise<number> {
    return this.invoke('loadUltraGroupChannelDefaultNotificationLevel', { targetId, channelId });
  }

  /**
   * A channel's default notification level (NONE = not set). Results:
   * setOnUltraGroupChannelDefaultNotificationLevelLoadedListener and
   * `callback.onSuccess(level)`.
   */
  getUltraGroupChannelDefaultNotificationLevel(
    targetId: string,
    channelId: string,
    callback?: IRCIMIWGetUltraGroupChannelDefaultNotificationLevelCallback
  ): Promise<number> {
    return this.invoke(
      'getUltraGroupChannelDefaultNotificationLevel',
      { targetId, channelId },
      callback
    );
  }
}
