/**
 * What the user can do in a chat: send text (with @mentions; in a group, possibly to some
 * members only), send a file or image with upload progress, download a received one with
 * progress, cancel either, recall, react (message expansion) and ask a group for read
 * receipts. Results go to `upsert`, the message list of `useMessages`.
 */
import { useCallback, useState } from 'react';
import {
  RCIMIWConversationType,
  RCIMIWMentionedType,
  RCIMIWMessageType,
  type RCIMIWMediaMessage,
  type RCIMIWMessage,
} from 'react-native-rcim';
import { useSession } from '../engine/EngineContext';
import type { RCIMError } from '../engine/request';
import { perform } from '../engine/request';
import { messageKey } from '../format';
import type { ConversationRef } from './conversationKey';

export type MediaKind = 'image' | 'file';

/** `@all` mentions everyone, `@alice @bob` those users. */
export function mentionsIn(text: string): RCIMIWMessage['mentionedInfo'] | undefined {
  const ids = [...text.matchAll(/(?:^|\s)@([\w.-]+)/g)].map((m) => m[1]);
  if (ids.length === 0) return undefined;
  return ids.includes('all')
    ? { type: RCIMIWMentionedType.ALL, userIdList: [], mentionedContent: text }
    : { type: RCIMIWMentionedType.PART, userIdList: ids, mentionedContent: text };
}

export function useChatActions(conversation: ConversationRef, upsert: (m: RCIMIWMessage) => void) {
  const { engine, userId } = useSession();
  const { type, targetId, channelId } = conversation;
  /** Transfer progress (0–100) by message key, while uploading or downloading. */
  const [progress, setProgress] = useState<Record<string, number>>({});
  const [error, setError] = useState<string | null>(null);

  const setProgressOf = useCallback((m: RCIMIWMessage, value: number | null) => {
    setProgress((p) => {
      const next = { ...p };
      if (value === null) delete next[messageKey(m)];
      else next[messageKey(m)] = value;
      return next;
    });
  }, []);

  const report = useCallback(
    (what: string) => (code: number) => {
      if (code !== 0) setError(`${what} failed (${code})`);
    },
    []
  );

  /** Sends `text`; in a group, `onlyTo` (user ids) limits who gets it. */
  const sendText = useCallback(
    async (text: string, onlyTo: string[] = []) => {
      const message = await engine.createTextMessage(type, targetId, channelId, text);
      const mentioned = type === RCIMIWConversationType.PRIVATE ? undefined : mentionsIn(text);
      if (mentioned) message.mentionedInfo = mentioned;
      message.expansion = {}; // lets everyone react to it later
      const callback = {
        onMessageSaved: upsert,
        onMessageSent: (code: number, m: RCIMIWMessage) => {
          upsert(m);
          report('Sending')(code);
        },
      };
      const status =
        type === RCIMIWConversationType.GROUP && onlyTo.length > 0
          ? await engine.sendGroupMessageToDesignatedUsers(message, onlyTo, callback)
          : await engine.sendMessage(message, callback);
      report('Sending')(status);
    },
    [engine, type, targetId, channelId, upsert, report]
  );

  const sendMedia = useCallback(
    async (kind: MediaKind, path: string) => {
      const message =
        kind === 'image'
          ? await engine.createImageMessage(type, targetId, channelId, path)
          : await engine.createFileMessage(type, targetId, channelId, path);
      const status = await engine.sendMediaMessage(message, {
        onMediaMessageSaved: upsert,
        onMediaMessageSending: (m, p) => {
          upsert(m);
          setProgressOf(m, p);
        },
        onSendingMediaMessageCanceled: (m) => {
          upsert(m);
          setProgressOf(m, null);
        },
        onMediaMessageSent: (code, m) => {
          upsert(m);
          setProgressOf(m, null);
          report('Upload')(code);
        },
      });
      report('Upload')(status);
    },
    [engine, type, targetId, channelId, upsert, setProgressOf, report]
  );

  const download = useCallback(
    (message: RCIMIWMediaMessage) =>
      engine.downloadMediaMessage(message, {
        onMediaMessageDownloading: (m, p) => setProgressOf(m, p),
        onDownloadingMediaMessageCanceled: (m) => setProgressOf(m, null),
        onMediaMessageDownloaded: (code, m) => {
          setProgressOf(m, null);
          if (code === 0) upsert(m);
          report('Download')(code);
        },
      }),
    [engine, upsert, setProgressOf, report]
  );

  const cancelTransfer = useCallback(
    (message: RCIMIWMediaMessage) =>
      message.direction === 0
        ? engine.cancelSendingMediaMessage(message)
        : engine.cancelDownloadingMediaMessage(message),
    [engine]
  );

  const recall = useCallback(
    async (message: RCIMIWMessage) => {
      if (type === RCIMIWConversationType.ULTRA_GROUP) {
        try {
          await perform('recallUltraGroupMessage', (done) =>
            engine.recallUltraGroupMessage(message, false, { onUltraGroupMessageRecalled: done })
          );
          upsert({ ...message, messageType: RCIMIWMessageType.RECALL });
        } catch (e) {
          setError(`Recall failed (${(e as RCIMError).code})`);
        }
        return;
      }
      const status = await engine.recallMessage(message, {
        onMessageRecalled: (code, m) => (code === 0 ? upsert(m) : report('Recall')(code)),
      });
      report('Recall')(status);
    },
    [engine, type, upsert, report]
  );

  /** Adds (or takes back) the user's reaction; reactions live in the message's expansion. */
  const react = useCallback(
    async (message: RCIMIWMessage, emoji: string) => {
      if (!message.messageUId) return;
      const key = `r_${userId.replace(/[^A-Za-z0-9+=_-]/g, '_')}`.slice(0, 32);
      const mine = message.expansion?.[key] === emoji;
      try {
        if (mine) {
          await perform('removeMessageExpansionForKeys', (done) =>
            engine.removeMessageExpansionForKeys(message.messageUId!, [key], {
              onMessageExpansionForKeysRemoved: done,
            })
          );
          const rest = { ...message.expansion };
          delete rest[key];
          upsert({ ...message, expansion: rest });
        } else {
          await perform('updateMessageExpansion', (done) =>
            engine.updateMessageExpansion(message.messageUId!, new Map([[key, emoji]]), {
              onMessageExpansionUpdated: done,
            })
          );
          upsert({ ...message, expansion: { ...message.expansion, [key]: emoji } });
        }
      } catch (e) {
        setError(`Reaction failed (${(e as RCIMError).code})`);
      }
    },
    [engine, userId, upsert]
  );

  const requestReceipts = useCallback(
    async (message: RCIMIWMessage) => {
      const status = await engine.sendGroupReadReceiptRequest(message, {
        onGroupReadReceiptRequestSent: (code, m) =>
          code === 0 ? upsert(m) : report('Receipt')(code),
      });
      report('Receipt request')(status);
    },
    [engine, upsert, report]
  );

  return {
    sendText,
    sendMedia,
    download,
    cancelTransfer,
    recall,
    react,
    requestReceipts,
    progress,
    error,
  };
}
