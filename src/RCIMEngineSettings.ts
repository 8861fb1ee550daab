/**
 * The per-user settings of RCIMIWEngine (pinned conversations, do-not-disturb levels by
 * conversation and by type, quiet hours, blacklist, push settings): stored on the server, shared by the
 * user's devices, and applied there. Each method only packs its arguments for the engine.
 *
 * RCIMEngineChatRoom (RCIMEngineChatRoom.ts), RCIMEngineMessages (RCIMEngineMessages.ts), then
 * RCIMIWEngine (RCIMEngine.ts), extend this
 * class; the listener slots come from RCIMEngineEventListeners and the three result-listener
 * classes (RCIMEngineConversationResults, RCIMEngineMessageResults, RCIMEngineMediaResults).
 */
import type { ListenerSlots } from './EngineCore';
import { RCIMEngineMediaResults } from './RCIMEngineMediaResults';
import type {
  IRCIMIWAddToBlacklistCallback,
  IRCIMIWChangeConversationNotificationLevelCallback,
  IRCIMIWChangeConversationTopStatusCallback,
  IRCIMIWChangeConversationTypeNotificationLevelCallback,
  IRCIMIWChangeNotificationQuietHoursCallback,
  IRCIMIWChangePushContentShowStatusCallback,
  IRCIMIWChangePushLanguageCallback,
  IRCIMIWChangePushReceiveStatusCallback,
  IRCIMIWGetBlacklistCallback,
  IRCIMIWGetBlacklistStatusCallback,
  IRCIMIWGetBlockedConversationsCallback,
  IRCIMIWGetConversationNotificationLevelCallback,
  IRCIMIWGetConversationTopStatusCallback,
  IRCIMIWGetConversationTypeNotificationLevelCallback,
  IRCIMIWGetNotificationQuietHoursCallback,
  IRCIMIWGetTopConversationsCallback,
  IRCIMIWRemoveFromBlacklistCallback,
  IRCIMIWRemoveNotificationQuietHoursCallback,
  RCIMIWConversationType,
  RCIMIWEngineOptions,
  RCIMIWPushNotificationLevel,
  RCIMIWPushNotificationQuietHoursLevel,
} from './RCIMDefines';

export abstract class RCIMEngineSettings extends RCIMEngineMediaResults {
  protected constructor(appKey: string, options: RCIMIWEngineOptions, slots: ListenerSlots) {
    super(appKey, options, slots);
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

  // ─────────────────────── notification levels by conversation type ───────────────────────

  /**
   * Sets the do-not-disturb level of a whole conversation type (private, group, system, ultra
   * group; not chatroom, which resolves a parameter error). Level NONE removes the setting.
   * Stored on the server and applied by the user's other devices.
   * Results: setOnConversationTypeNotificationLevelChangedListener and `callback`.
   */
  changeConversationTypeNotificationLevel(
    type: RCIMIWConversationType,
    level: RCIMIWPushNotificationLevel,
    callback?: IRCIMIWChangeConversationTypeNotificationLevelCallback
  ): Promise<number> {
    return this.invoke('changeConversationTypeNotificationLevel', { type, level }, callback);
  }

  /**
   * The do-not-disturb level of a conversation type. Result:
   * setOnConversationTypeNotificationLevelLoadedListener.
   * @deprecated in 5.2.5: use getConversationTypeNotificationLevel.
   */
  loadConversationTypeNotificationLevel(type: RCIMIWConversationType): Promise<number> {
    return this.invoke('loadConversationTypeNotificationLevel', { type });
  }

  /**
   * The do-not-disturb level of a conversation type. Results:
   * setOnConversationTypeNotificationLevelLoadedListener and `callback.onSuccess(level)`.
   */
  getConversationTypeNotificationLevel(
    type: RCIMIWConversationType,
    callback?: IRCIMIWGetConversationTypeNotificationLevelCallback
  ): Promise<number> {
    return this.invoke('getConversationTypeNotificationLevel', { type }, callback);
  }

  // ───────────────────────────── quiet hours ─────────────────────────────

  /**
   * Sets the user's daily quiet hours: from `startTime` ("HH:MM:SS", the device's local time)
   * for `spanMinutes` (0 < spanMinutes < 1440; 1439 from "00:00:00" is the whole day), at
   * `level`. One window per user: a new call replaces it. It outranks every other
   * do-not-disturb setting. The device's UTC offset is sent along so that the server, which
   * applies the window, reads `startTime` in the user's time zone.
   * Results: setOnNotificationQuietHoursChangedListener and `callback`.
   */
  changeNotificationQuietHours(
    startTime: string,
    spanMinutes: number,
    level: RCIMIWPushNotificationQuietHoursLevel,
    callback?: IRCIMIWChangeNotificationQuietHoursCallback
  ): Promise<number> {
    const utcOffsetMinutes = -new Date().getTimezoneOffset();
    return this.invoke(
      'changeNotificationQuietHours',
      { startTime, spanMinutes, level, utcOffsetMinutes },
      callback
    );
  }

  /**
   * Removes the quiet hours. Results: setOnNotificationQuietHoursRemovedListener and
   * `callback`.
   */
  removeNotificationQuietHours(
    callback?: IRCIMIWRemoveNotificationQuietHoursCallback
  ): Promise<number> {
    return this.invoke('removeNotificationQuietHours', {}, callback);
  }

  /**
   * The quiet hours (none: startTime "", spanMinutes 0). Result:
   * setOnNotificationQuietHoursLoadedListener.
   * @deprecated in 5.2.5: use getNotificationQuietHours.
   */
  loadNotificationQuietHours(): Promise<number> {
    return this.invoke('loadNotificationQuietHours', {});
  }

  /**
   * The quiet hours (none: startTime "", spanMinutes 0). Results:
   * setOnNotificationQuietHoursLoadedListener and
   * `callback.onSuccess(startTime, spanMinutes, level)`.
   */
  getNotificationQuietHours(callback?: IRCIMIWGetNotificationQuietHoursCallback): Promise<number> {
    return this.invoke('getNotificationQuietHours', {}, callback);
  }

  // ───────────────────────────── blacklist ─────────────────────────────

  /**
   * Blacklists a user. One-way: their private messages to you fail with 405 while you can
   * still write to them. Results: setOnBlacklistAddedListener and `callback`.
   */
  addToBlacklist(userId: string, callback?: IRCIMIWAddToBlacklistCallback): Promise<number> {
    return this.invoke('addToBlacklist', { userId }, callback);
  }

  /**
   * Removes a user from the blacklist. Results: setOnBlacklistRemovedListener and `callback`.
   */
  removeFromBlacklist(
    userId: string,
    callback?: IRCIMIWRemoveFromBlacklistCallback
  ): Promise<number> {
    return this.invoke('removeFromBlacklist', { userId }, callback);
  }

  /**
   * Whether a user is on the blacklist (RCIMIWBlacklistStatus). Result:
   * setOnBlacklistStatusLoadedListener.
   * @deprecated in 5.2.5: use getBlacklistStatus.
   */
  loadBlacklistStatus(userId: string): Promise<number> {
    return this.invoke('loadBlacklistStatus', { userId });
  }

  /**
   * Whether a user is on the blacklist. Results: setOnBlacklistStatusLoadedListener and
   * `callback.onSuccess(status)`.
   */
  getBlacklistStatus(
    userId: string,
    callback?: IRCIMIWGetBlacklistStatusCallback
  ): Promise<number> {
    return this.invoke('getBlacklistStatus', { userId }, callback);
  }

  /**
   * The blacklisted user ids. Result: setOnBlacklistLoadedListener.
   * @deprecated in 5.2.5: use getBlacklist.
   */
  loadBlacklist(): Promise<number> {
    return this.invoke('loadBlacklist', {});
  }

  /**
   * The blacklisted user ids. Results: setOnBlacklistLoadedListener and
   * `callback.onSuccess(userIds)`.
   */
  getBlacklist(callback?: IRCIMIWGetBlacklistCallback): Promise<number> {
    return this.invoke('getBlacklist', {}, callback);
  }

  // ──────────────────────────── push settings ────────────────────────────

  /**
   * The language of this user's pushes: "zh_CN", "en_US", "ar_SA" built in, or a template
   * language id matched exactly (at most 16 letters, digits, '-' or '_'; "" = the App's
   * default; else 1, PARAM_ERROR). Results: setOnPushLanguageChangedListener and `callback`.
   */
  changePushLanguage(
    language: string,
    callback?: IRCIMIWChangePushLanguageCallback
  ): Promise<number> {
    return this.invoke('changePushLanguage', { language }, callback);
  }

  /**
   * false: this user's pushes show a generic "You received a notification" text instead of
   * the message (unless the sender forces the detail). Results:
   * setOnPushContentShowStatusChangedListener and `callback`.
   */
  changePushContentShowStatus(
    showContent: boolean,
    callback?: IRCIMIWChangePushContentShowStatusCallback
  ): Promise<number> {
    return this.invoke('changePushContentShowStatus', { showContent }, callback);
  }

  /**
   * true: this user's offline mobile devices get pushes while a desktop or web device of theirs
   * is online (false, the default: they do not). Results:
   * setOnPushReceiveStatusChangedListener and `callback`.
   */
  changePushReceiveStatus(
    receive: boolean,
    callback?: IRCIMIWChangePushReceiveStatusCallback
  ): Promise<number> {
    return this.invoke('changePushReceiveStatus', { receive }, callback);
  }
}
