/**
 * Routing of events to the 5.2.5 per-call callback objects.
 *
 * A call that receives a callback object sends an `eventId` with its arguments; the engine
 * echoes it on every event that answers the call (docs/bridge.md). This table says, for each
 * event name, which function(s) of the callback object to call and with which event args.
 * A handler runs only if the callback object has that function, so one event can serve
 * several callback shapes (e.g. `onSendingMediaMessageCanceled` answers both
 * sendMediaMessage's listener and cancelSendingMediaMessage's callback).
 *
 * One-shot semantics (api_reference §1.2): each function fires at most once per call,
 * except progress functions (`repeat`); the pending call is forgotten after its final
 * event (every event not marked `progress`).
 */

export interface CallbackHandler {
  /** Name of the callback-object function to call. */
  fn: string;
  /** Event arg names passed positionally. */
  args: readonly string[];
  /** Only when the event's `code` is 0 ('ok') or non-zero ('error'). */
  when?: 'ok' | 'error';
  /** May fire more than once (progress callbacks). */
  repeat?: boolean;
}

export interface CallbackRoute {
  handlers: readonly CallbackHandler[];
  /** An intermediate event: the call stays pending. */
  progress?: boolean;
}

/** IRCIMIWObjectCallback: `onSuccess(...args)` when code is 0, otherwise `onError(code)`. */
const object = (...args: string[]): CallbackRoute => ({
  handlers: [
    { fn: 'onSuccess', args, when: 'ok' },
    { fn: 'onError', args: ['code'], when: 'error' },
  ],
});

/** A single action callback `fn(...args)`. */
const action = (fn: string, ...args: string[]): CallbackRoute => ({ handlers: [{ fn, args }] });

/** An intermediate stage of a multi-stage callback. */
const stage = (fn: string, ...args: string[]): CallbackRoute => ({
  handlers: [{ fn, args }],
  progress: true,
});

export const CALLBACK_ROUTES: { readonly [eventName: string]: CallbackRoute } = {
  // connect: RCIMIWConnectCallback
  onDatabaseOpened: stage('onDatabaseOpened', 'code'),
  onConnected: action('onConnected', 'code', 'userId'),
  // sendMessage: RCIMIWSendMessageCallback
  onMessageAttached: stage('onMessageSaved', 'message'),
  onMessageSent: action('onMessageSent', 'code', 'message'),
  // sendMediaMessage: RCIMIWSendMediaMessageListener / cancelSendingMediaMessage
  onMediaMessageAttached: stage('onMediaMessageSaved', 'message'),
  onMediaMessageSending: {
    handlers: [{ fn: 'onMediaMessageSending', args: ['message', 'progress'], repeat: true }],
    progress: true,
  },
  onSendingMediaMessageCanceled: {
    handlers: [
      { fn: 'onSendingMediaMessageCanceled', args: ['message'] },
      { fn: 'onCancelSendingMediaMessageCalled', args: ['code', 'message'] },
    ],
  },
  onMediaMessageSent: action('onMediaMessageSent', 'code', 'message'),
  // downloadMediaMessage: RCIMIWDownloadMediaMessageListener / cancelDownloadingMediaMessage
  onMediaMessageDownloading: {
    handlers: [{ fn: 'onMediaMessageDownloading', args: ['message', 'progress'], repeat: true }],
    progress: true,
  },
  onDownloadingMediaMessageCanceled: {
    handlers: [
      { fn: 'onDownloadingMediaMessageCanceled', args: ['message'] },
      { fn: 'onCancelDownloadingMediaMessageCalled', args: ['code', 'message'] },
    ],
  },
  onMediaMessageDownloaded: action('onMediaMessageDownloaded', 'code', 'message'),
  // sendGroupMessageToDesignatedUsers: RCIMIWSendGroupMessageToDesignatedUsersCallback
  onGroupMessageToDesignatedUsersAttached: stage('onMessageSaved', 'message'),
  onGroupMessageToDesignatedUsersSent: action('onMessageSent', 'code', 'message'),
  // joinChatRoom: the joining stage has no callback function
  onChatRoomJoining: { handlers: [], progress: true },

  // get…: IRCIMIWObjectCallback<T>
  onConversationLoaded: object('conversation'),
  onConversationsLoaded: object('conversations'),
  onUnreadCountLoaded: object('count'),
  onTotalUnreadCountLoaded: object('count'),
  onUnreadMentionedCountLoaded: object('count'),
  onUnreadCountByConversationTypesLoaded: object('count'),
  onUltraGroupAllUnreadCountLoaded: object('count'),
  onUltraGroupAllUnreadMentionedCountLoaded: object('count'),
  onUltraGroupUnreadCountLoaded: object('count'),
  onUltraGroupUnreadMentionedCountLoaded: object('count'),
  onMessageCountLoaded: object('count'),
  onDraftMessageLoaded: object('draft'),
  onBlockedConversationsLoaded: object('conversations'),
  onTopConversationsLoaded: object('conversations'),
  onConversationsLoadedForAllChannel: object('conversations'),
  onConversationTopStatusLoaded: object('top'),
  onMessagesLoaded: object('messages'),
  onFirstUnreadMessageLoaded: object('message'),
  onUnreadMentionedMessagesLoaded: object('messages'),
  onChatRoomMessagesLoaded: object('messages'),
  onChatRoomEntryLoaded: object('entry'),
  onChatRoomAllEntriesLoaded: object('entries'),
  onBlacklistStatusLoaded: object('status'),
  onBlacklistLoaded: object('userIds'),
  onMessagesSearched: object('messages'),
  onMessagesSearchedByTimeRange: object('messages'),
  onMessagesSearchedByUserId: object('messages'),
  onConversationsSearched: object('conversations'),
  onNotificationQuietHoursLoaded: object('startTime', 'spanMinutes', 'level'),
  onConversationNotificationLevelLoaded: object('level'),
  onConversationTypeNotificationLevelLoaded: object('level'),
  onUltraGroupDefaultNotificationLevelLoaded: object('level'),
  onUltraGroupChannelDefaultNotificationLevelLoaded: object('level'),
  onBatchRemoteUltraGroupMessagesLoaded: object('matchedMessages', 'notMatchedMessages'),

  // action callbacks
  onConversationRemoved: action('onConversationRemoved', 'code'),
  onConversationsRemoved: action('onConversationsRemoved', 'code'),
  onUnreadCountCleared: action('onUnreadCountCleared', 'code'),
  onDraftMessageSaved: action('onDraftMessageSaved', 'code'),
  onDraftMessageCleared: action('onDraftMessageCleared', 'code'),
  onConversationTopStatusChanged: action('onConversationTopStatusChanged', 'code'),
  onConversationReadStatusSynced: action('onConversationReadStatusSynced', 'code'),
  onMessageInserted: action('onMessageInserted', 'code', 'message'),
  onMessagesInserted: action('onMessagesInserted', 'code', 'messages'),
  onMessagesCleared: action('onMessagesCleared', 'code'),
  onLocalMessagesDeleted: action('onLocalMessagesDeleted', 'code', 'messages'),
  onMessagesDeleted: action('onMessagesDeleted', 'code', 'messages'),
  onMessageRecalled: action('onMessageRecalled', 'code', 'message'),
  onPrivateReadReceiptMessageSent: action('onPrivateReadReceiptMessageSent', 'code'),
  onGroupReadReceiptRequestSent: action('onGroupReadReceiptRequestSent', 'code', 'message'),
  onGroupReadReceiptResponseSent: action('onGroupReadReceiptResponseSent', 'code', 'messages'),
  onMessageExpansionUpdated: action('onMessageExpansionUpdated', 'code'),
  onMessageExpansionForKeysRemoved: action('onMessageExpansionForKeysRemoved', 'code'),
  onMessageSentStatusChanged: action('onMessageSentStatusChanged', 'code'),
  onMessageReceiveStatusChanged: action('onMessageReceiveStatusChanged', 'code'),
  onChatRoomJoined: action('onChatRoomJoined', 'code', 'targetId'),
  onChatRoomLeft: action('onChatRoomLeft', 'code', 'targetId'),
  onChatRoomEntryAdded: action('onChatRoomEntryAdded', 'code'),
  // 5.2.5 passes the native object through unconverted (no Map)
  onChatRoomEntriesAdded: action('onChatRoomEntriesAdded', 'code', 'errorEntries'),
  onChatRoomEntryRemoved: action('onChatRoomEntryRemoved', 'code'),
  onChatRoomEntriesRemoved: action('onChatRoomEntriesRemoved', 'code'),
  onBlacklistAdded: action('onBlacklistAdded', 'code', 'userId'),
  onBlacklistRemoved: action('onBlacklistRemoved', 'code', 'userId'),
  onNotificationQuietHoursChanged: action('onNotificationQuietHoursChanged', 'code'),
  onNotificationQuietHoursRemoved: action('onNotificationQuietHoursRemoved', 'code'),
  onConversationNotificationLevelChanged: action('onConversationNotificationLevelChanged', 'code'),
  onConversationTypeNotificationLevelChanged: action(
    'onConversationTypeNotificationLevelChanged',
    'code'
  ),
  onUltraGroupDefaultNotificationLevelChanged: action(
    'onUltraGroupDefaultNotificationLevelChanged',
    'code'
  ),
  onUltraGroupChannelDefaultNotificationLevelChanged: action(
    'onUltraGroupChannelDefaultNotificationLevelChanged',
    'code'
  ),
  onPushContentShowStatusChanged: action('onPushContentShowStatusChanged', 'code'),
  onPushLanguageChanged: action('onPushLanguageChanged', 'code'),
  onPushReceiveStatusChanged: action('onPushReceiveStatusChanged', 'code'),
  onUltraGroupReadStatusSynced: action('onUltraGroupReadStatusSynced', 'code'),
  onUltraGroupMessageModified: action('onUltraGroupMessageModified', 'code'),
  onUltraGroupMessageRecalled: action('onUltraGroupMessageRecalled', 'code'),
  onUltraGroupMessagesCleared: action('onUltraGroupMessagesCleared', 'code'),
  onUltraGroupMessagesClearedForAllChannel: action(
    'onUltraGroupMessagesClearedForAllChannel',
    'code'
  ),
  onUltraGroupTypingStatusSent: action('onUltraGroupTypingStatusSent', 'code'),
  onUltraGroupMessageExpansionUpdated: action('onUltraGroupMessageExpansionUpdated', 'code'),
  onUltraGroupMessageExpansionForKeysRemoved: action(
    'onUltraGroupMessageExpansionForKeysRemoved',
    'code'
  ),
};
