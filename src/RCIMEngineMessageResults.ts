/**
 * The listener slots of RCIMIWEngine for the results of its calls, part 2 of 3: messages (send,
 * history, insert, delete, recall, receipts, expansion, states, search). A slot holds one listener; the last
 * one set wins and `undefined` clears it. These slots are deprecated in 5.2.5 in favour of the
 * per-call callback objects, and still delivered.
 *
 * Extends RCIMEngineConversationResults; RCIMEngineMediaResults extends this class.
 */
import type { ListenerSlots } from './EngineCore';
import { RCIMEngineConversationResults } from './RCIMEngineConversationResults';
import type {
  RCIMIWConversationType,
  RCIMIWEngineOptions,
  RCIMIWMessage,
  RCIMIWTimeOrder,
} from './RCIMDefines';

export abstract class RCIMEngineMessageResults extends RCIMEngineConversationResults {
  protected constructor(appKey: string, options: RCIMIWEngineOptions, slots: ListenerSlots) {
    super(appKey, options, slots);
  }

  /** Listener slot 'onMessageAttached' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnMessageAttachedListener(listener?: (message: RCIMIWMessage) => void): void {
    this.setListener('onMessageAttached', listener);
  }

  /** Listener slot 'onMessageSent' (result); one listener per slot, the last one set wins, undefined clears it. @deprecated in 5.2.5: prefer the per-call callback object. */
  setOnMessageSentListener(listener?: (code: number, message: RCIMIWMessage) => void): void {
    this.setListener('onMessageSent', listener);
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
}
