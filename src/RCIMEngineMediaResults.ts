/**
 * The listener slots of RCIMIWEngine for the results of its calls, part 3 of 3: media messages
 * (send progress, download), chatrooms and ultra groups. A slot holds one listener; the last
 * one set wins and `undefined` clears it. These slots are deprecated in 5.2.5 in favour of the
 * per-call callback objects, and still delivered.
 *
 * Extends RCIMEngineMessageResults; RCIMEngineSettings (RCIMEngineSettings.ts) extends this
 * class.
 */
import type { ListenerSlots } from './EngineCore';
import { RCIMEngineMessageResults } from './RCIMEngineMessageResults';
import type {
  RCIMIWConversation,
  RCIMIWConversationType,
  RCIMIWEngineOptions,
  RCIMIWMediaMessage,
  RCIMIWMessage,
  RCIMIWMessageOperationPolicy,
  RCIMIWPushNotificationLevel,
  RCIMIWUltraGroupTypingStatus,
} from './RCIMDefines';

export abstract class RCIMEngineMediaResults extends RCIMEngineMessageResults {
  protected constructor(appKey: string, options: RCIMIWEngineOptions, slots: ListenerSlots) {
    super(appKey, options, slots);
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
