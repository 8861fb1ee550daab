/**
 * The listener slots of RCIMIWEngine for the results of its calls (deprecated in 5.2.5 in favour
 * of the per-call callback objects, still delivered): one setter per result event. A slot
 * holds one listener; the last one set wins and `undefined` clears it.
 */
import type { ListenerSlots } from './EngineCore';
import { RCIMEngineEventListeners } from './RCIMEngineEventListeners';
import type {
  RCIMIWBlacklistStatus,
  RCIMIWConversation,
  RCIMIWConversationType,
  RCIMIWEngineOptions,
  RCIMIWMediaMessage,
  RCIMIWMessage,
  RCIMIWMessageOperationPolicy,
  RCIMIWMessageType,
  RCIMIWPushNotificationLevel,
  RCIMIWPushNotificationQuietHoursLevel,
  RCIMIWSearchConversationResult,
  RCIMIWTimeOrder,
  RCIMIWUltraGroupTypingStatus,
} from './RCIMDefines';

export abstract class RCIMEngineResultListeners extends RCIMEngineEventListeners {
  protected constructor(appKey: string, options: RCIMIWEngineOptions, slots: ListenerSlots) {
    super(appKey, options, slots);
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
}
