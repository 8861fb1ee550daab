/** The unread count over all conversations, kept fresh from the engine's events. */
import { useCallback, useEffect, useState } from 'react';
import { useSession } from '../engine/EngineContext';
import { query } from '../engine/request';
import { useEngineEvent } from '../engine/useEngineEvent';

export function useTotalUnreadCount(): number {
  const { engine } = useSession();
  const [count, setCount] = useState(0);

  const load = useCallback(
    () => query<number>('getTotalUnreadCount', (cb) => engine.getTotalUnreadCount(null, cb)),
    [engine]
  );
  const refresh = useCallback(() => {
    load().then(setCount, () => undefined);
  }, [load]);

  useEffect(() => {
    let live = true;
    load().then(
      (n) => live && setCount(n),
      () => undefined
    );
    return () => {
      live = false;
    };
  }, [load]);

  useEngineEvent('MessageReceived', refresh);
  useEngineEvent('UnreadCountCleared', refresh);
  useEngineEvent('RemoteMessageRecalled', refresh);
  useEngineEvent('ConversationReadStatusSyncMessageReceived', refresh);
  useEngineEvent('ConversationRemoved', refresh);
  return count;
}
