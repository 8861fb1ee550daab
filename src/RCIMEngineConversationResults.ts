/**
 * The listener slots of RCIMIWEngine for the results of its calls, part 1 of 3: connection and
 * database, conversations, unread counts, drafts, and the per-user settings (pins, blacklist,
 * quiet hours, notification levels, push). A slot holds one listener; the last
 * one set wins and `undefined` clears it. These slots are deprecated in 5.2.5 in favour of the
 * per-call callback objects, and still delivered.
 *
 * The result listeners are split by area over three classes, each extending the one before:
 * this one, RCIMEngineMessageResults (messages) and RCIMEngineMediaResults (media, chatroom,
 * ultra group).
 */
import type { ListenerSlots } from './EngineCore';
import { RCIMEngineEventListeners } from './RCIMEngineEventListeners';
import type {
  RCIMIWBlacklistStatus,
  RCIMIWConversation,
  RCIMIWConversationType,
  RCIMIWEngineOptions,
  RCIMIWMessageType,
  RCIMIWPushNotificationLevel,
  RCIMIWPushNotificationQuietHoursLevel,
  RCIMIWSearchConversationResult,
} from './RCIMDefines';

export abstract class RCIMEngineConversationResults extends RCIMEngineEventListeners {
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
}
