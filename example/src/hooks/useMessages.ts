/**
 * The messages of one conversation, oldest first: the latest page of history (earlier pages
 * on demand), then what arrives, is sent, recalled, read or reacted to while the chat is
 * open. Opening the chat and each message received in it mark the conversation read (and
 * tell a private peer so).
 */
import { useCallback, useEffect, useState } from 'react';
import {
  RCIMIWConversationType,
  RCIMIWMessageOperationPolicy,
  RCIMIWSentStatus,
  RCIMIWTimeOrder,
  type RCIMIWMessage,
} from 'react-native-rcim';
import { useSession } from '../engine/EngineContext';
import { query } from '../engine/request';
import { useEngineEvent } from '../engine/useEngineEvent';
import { messageKey } from '../format';
import { inConversation, type ConversationRef } from './conversationKey';

const PAGE = 20; // the most one call may load

function upsertInto(list: RCIMIWMessage[], m: RCIMIWMessage): RCIMIWMessage[] {
  const key = messageKey(m);
  const i = list.findIndex(
    (x) =>
      messageKey(x) === key ||
      (!!m.messageUId && x.messageUId === m.messageUId) ||
      (!!m.messageId && x.messageId === m.messageId)
  );
  if (i < 0) return [...list, m];
  const next = [...list];
  next[i] = { ...list[i], ...m };
  return next;
}

export function useMessages(conversation: ConversationRef) {
  const { engine } = useSession();
  const { type, targetId, channelId } = conversation;
  const [messages, setMessages] = useState<RCIMIWMessage[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [hasEarlier, setHasEarlier] = useState(false);

  const upsert = useCallback((m: RCIMIWMessage) => setMessages((list) => upsertInto(list, m)), []);

  const markRead = useCallback(
    (latest: RCIMIWMessage | undefined) => {
      if (type === RCIMIWConversationType.ULTRA_GROUP) {
        // Reads the whole channel, here and on the user's other devices.
        engine.syncUltraGroupReadStatus(targetId, channelId ?? '', latest?.sentTime ?? 0);
        return;
      }
      engine.clearUnreadCount(type, targetId, channelId, 0);
      if (!latest?.sentTime) return;
      // The user's other devices read it too; a private peer sees "Read".
      engine.syncConversationReadStatus(type, targetId, channelId, latest.sentTime);
      if (type === RCIMIWConversationType.PRIVATE) {
        engine.sendPrivateReadReceiptMessage(targetId, channelId, latest.sentTime);
      }
    },
    [engine, type, targetId, channelId]
  );

  /** A page of history sent before `before` (0: the latest), oldest first. */
  const loadPage = useCallback(
    async (before: number) => {
      const policy =
        type === RCIMIWConversationType.ULTRA_GROUP
          ? RCIMIWMessageOperationPolicy.LOCAL_REMOTE
          : RCIMIWMessageOperationPolicy.LOCAL;
      const page = await query<RCIMIWMessage[]>('getMessages', (cb) =>
        engine.getMessages(
          type,
          targetId,
          channelId,
          before,
          RCIMIWTimeOrder.BEFORE,
          policy,
          PAGE,
          cb
        )
      );
      return {
        oldestFirst: [...page].sort((a, b) => (a.sentTime ?? 0) - (b.sentTime ?? 0)),
        full: page.length === PAGE,
      };
    },
    [engine, type, targetId, channelId]
  );

  useEffect(() => {
    let live = true;
    loadPage(0).then(
      ({ oldestFirst, full }) => {
        if (!live) return;
        setMessages((current) => current.reduce(upsertInto, oldestFirst));
        setHasEarlier(full);
        markRead(oldestFirst.filter((m) => m.direction === 1).pop());
      },
      (e: Error) => live && setError(e.message)
    );
    return () => {
      live = false;
    };
  }, [loadPage, markRead]);

  /** Puts the page before the oldest message shown in front of the list. */
  const loadEarlier = useCallback(async () => {
    const oldest = messages[0]?.sentTime;
    if (!oldest) return;
    try {
      const { oldestFirst, full } = await loadPage(oldest);
      setMessages((current) => current.reduce(upsertInto, oldestFirst));
      setHasEarlier(full);
    } catch (e) {
      setError((e as Error).message);
    }
  }, [messages, loadPage]);

  useEngineEvent('MessageReceived', (m) => {
    if (!inConversation(m, conversation)) return;
    upsert(m);
    markRead(m);
  });
  useEngineEvent('RemoteMessageRecalled', (m) => inConversation(m, conversation) && upsert(m));
  useEngineEvent('RemoteUltraGroupMessageRecalled', (list) =>
    list.filter((m) => inConversation(m, conversation)).forEach(upsert)
  );
  useEngineEvent('RemoteMessageExpansionUpdated', (_expansion, m) => {
    if (inConversation(m, conversation)) upsert(m);
  });
  useEngineEvent('RemoteMessageExpansionForKeyRemoved', (m) => {
    if (inConversation(m, conversation)) upsert(m);
  });
  useEngineEvent('PrivateReadReceiptReceived', (peer, _channel, timestamp) => {
    if (type !== RCIMIWConversationType.PRIVATE || peer !== targetId) return;
    setMessages((list) =>
      list.map((m) =>
        m.direction === 0 &&
        m.sentStatus === RCIMIWSentStatus.SENT &&
        (m.sentTime ?? 0) <= timestamp
          ? { ...m, sentStatus: RCIMIWSentStatus.READ }
          : m
      )
    );
  });
  useEngineEvent('GroupMessageReadReceiptRequestReceived', (groupId, messageUId) => {
    if (type !== RCIMIWConversationType.GROUP || groupId !== targetId) return;
    const asked = messages.filter((m) => m.messageUId === messageUId);
    if (asked.length > 0) engine.sendGroupReadReceiptResponse(targetId, channelId, asked);
  });
  useEngineEvent('GroupMessageReadReceiptResponseReceived', (groupId, messageUId, readers) => {
    if (groupId !== targetId) return;
    setMessages((list) =>
      list.map((m) =>
        m.messageUId === messageUId
          ? {
              ...m,
              groupReadReceiptInfo: {
                ...m.groupReadReceiptInfo,
                readReceiptMessage: true,
                respondUserIds: Object.fromEntries(readers),
              },
            }
          : m
      )
    );
  });

  return { messages, error, upsert, hasEarlier, loadEarlier };
}
