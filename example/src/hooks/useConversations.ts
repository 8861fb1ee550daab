/**
 * The conversation list of some conversation types, pinned ones first, then newest first,
 * kept fresh from the engine's events; with the list's actions.
 */
import { useCallback, useEffect, useState } from 'react';
import {
  RCIMIWPushNotificationLevel,
  type RCIMIWConversation,
  type RCIMIWConversationType,
} from 'react-native-rcim';
import { useSession } from '../engine/EngineContext';
import { perform, query } from '../engine/request';
import { useEngineEvent } from '../engine/useEngineEvent';

export function useConversations(types: RCIMIWConversationType[]) {
  const { engine } = useSession();
  const [conversations, setConversations] = useState<RCIMIWConversation[]>([]);
  const [error, setError] = useState<string | null>(null);
  const typesKey = types.join(',');

  const load = useCallback(
    () =>
      query<RCIMIWConversation[]>('getConversations', (cb) =>
        engine.getConversations(typesKey.split(',').map(Number), null, 0, 50, cb)
      ),
    [engine, typesKey]
  );
  const show = useCallback((list: RCIMIWConversation[]) => {
    setConversations(sortConversations(list));
    setError(null);
  }, []);
  const fail = useCallback((e: Error) => setError(e.message), []);

  const refresh = useCallback(() => load().then(show, fail), [load, show, fail]);

  useEffect(() => {
    let live = true;
    load().then(
      (list) => live && show(list),
      (e: Error) => live && fail(e)
    );
    return () => {
      live = false;
    };
  }, [load, show, fail]);

  // Anything that changes a conversation's last message, counts, draft, pin or level.
  useEngineEvent('MessageReceived', refresh);
  useEngineEvent('MessageAttached', refresh);
  useEngineEvent('MessageSent', refresh);
  useEngineEvent('MediaMessageSent', refresh);
  useEngineEvent('RemoteMessageRecalled', refresh);
  useEngineEvent('MessageRecalled', refresh);
  useEngineEvent('UnreadCountCleared', refresh);
  useEngineEvent('DraftMessageSaved', refresh);
  useEngineEvent('DraftMessageCleared', refresh);
  useEngineEvent('ConversationTopStatusSynced', refresh);
  useEngineEvent('ConversationReadStatusSyncMessageReceived', refresh);
  useEngineEvent('ConversationRemoved', refresh);

  const pin = useCallback(
    async (c: RCIMIWConversation, top: boolean) => {
      await perform('changeConversationTopStatus', (done) =>
        engine.changeConversationTopStatus(
          c.conversationType!,
          c.targetId!,
          c.channelId || null,
          top,
          { onConversationTopStatusChanged: done }
        )
      );
      await refresh();
    },
    [engine, refresh]
  );

  /** Do not disturb: no notifications (BLOCKED) or all of them again. */
  const mute = useCallback(
    async (c: RCIMIWConversation, muted: boolean) => {
      const level = muted
        ? RCIMIWPushNotificationLevel.BLOCKED
        : RCIMIWPushNotificationLevel.ALL_MESSAGE;
      await perform('changeConversationNotificationLevel', (done) =>
        engine.changeConversationNotificationLevel(
          c.conversationType!,
          c.targetId!,
          c.channelId || null,
          level,
          { onConversationNotificationLevelChanged: done }
        )
      );
      await refresh();
    },
    [engine, refresh]
  );

  return { conversations, error, refresh, pin, mute };
}

/** Do not disturb: BLOCKED (NONE means "not set", which notifies as usual). */
export const isMuted = (c: RCIMIWConversation) =>
  c.notificationLevel === RCIMIWPushNotificationLevel.BLOCKED;

const lastActivity = (c: RCIMIWConversation) => c.lastMessage?.sentTime ?? c.operationTime ?? 0;

function sortConversations(list: RCIMIWConversation[]): RCIMIWConversation[] {
  return [...list].sort(
    (a, b) => Number(!!b.top) - Number(!!a.top) || lastActivity(b) - lastActivity(a)
  );
}
