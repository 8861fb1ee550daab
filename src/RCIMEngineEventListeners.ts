/**
 * The listener slots of RCIMIWEngine for what the engine reports on its own (messages received,
 * connection status, remote changes: the "event" listeners of 5.2.5), plus the seed's
 * alternative spellings sharing a slot. A slot holds one listener; the last one set wins and
 * `undefined` clears it. Event delivery into the slots is the plumbing's (EngineCore.ts,
 * listeners.ts); the result listeners are in RCIMEngineConversationResults.ts, RCIMEngineMessageResults.ts and
 * RCIMEngineMediaResults.ts.
 */
import { RCIMEngineCore, type ListenerSlots } from './EngineCore';
import type {
  RCIMIWBlockedMessageInfo,
  RCIMIWChatRoomEntriesOperationType,
  RCIMIWChatRoomMemberAction,
  RCIMIWChatRoomStatus,
  RCIMIWConnectionStatus,
  RCIMIWConversationType,
  RCIMIWEngineOptions,
  RCIMIWMessage,
  RCIMIWTypingStatus,
  RCIMIWUltraGroupTypingStatusInfo,
} from './RCIMDefines';

export abstract class RCIMEngineEventListeners extends RCIMEngineCore {
  protected constructor(appKey: string, options: RCIMIWEngineOptions, slots: ListenerSlots) {
    super(appKey, options, slots);
  }

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
