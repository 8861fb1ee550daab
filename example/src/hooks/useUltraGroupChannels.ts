/**
 * The channels of an ultra group that have messages, with unread and mention counts, kept
 * fresh as messages arrive; and the group's total unread count.
 */
import { useCallback, useEffect, useState } from 'react';
import { RCIMIWConversationType, type RCIMIWConversation } from 'react-native-rcim';
import { useSession } from '../engine/EngineContext';
import { query } from '../engine/request';
import { useEngineEvent } from '../engine/useEngineEvent';

const ULTRA_GROUP = RCIMIWConversationType.ULTRA_GROUP;

export function useUltraGroupChannels(groupId: string) {
  const { engine } = useSession();
  const [channels, setChannels] = useState<RCIMIWConversation[]>([]);
  const [unread, setUnread] = useState(0);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(
    () =>
      Promise.all([
        query<RCIMIWConversation[]>('getConversationsForAllChannel', (cb) =>
          engine.getConversationsForAllChannel(ULTRA_GROUP, groupId, cb)
        ),
        query<number>('getUltraGroupUnreadCount', (cb) =>
          engine.getUltraGroupUnreadCount(groupId, cb)
        ),
      ]),
    [engine, groupId]
  );
  const show = useCallback(([list, count]: [RCIMIWConversation[], number]) => {
    setChannels(list);
    setUnread(count);
    setError(null);
  }, []);
  const fail = useCallback((e: Error) => setError(e.message), []);

  const refresh = useCallback(() => load().then(show, fail), [load, show, fail]);

  useEffect(() => {
    let live = true;
    load().then(
      (result) => live && show(result),
      (e: Error) => live && fail(e)
    );
    return () => {
      live = false;
    };
  }, [load, show, fail]);

  const mine = (m: { conversationType?: number; targetId?: string }) =>
    m.conversationType === ULTRA_GROUP && m.targetId === groupId;
  useEngineEvent('MessageReceived', (m) => mine(m) && refresh());
  useEngineEvent('MessageSent', (_code, m) => mine(m) && refresh());
  useEngineEvent('UnreadCountCleared', refresh);
  useEngineEvent('UltraGroupReadStatusSynced', refresh);

  return { channels, unread, error, refresh };
}
