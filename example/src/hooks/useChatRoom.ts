/**
 * A chatroom while the screen is open: joins it (creating it if needed), follows its
 * messages, its key-value entries and its status, and leaves it on close.
 */
import { useCallback, useEffect, useState } from 'react';
import {
  RCIMIWChatRoomEntriesOperationType,
  RCIMIWChatRoomStatus,
  RCIMIWConversationType,
  type RCIMIWMessage,
} from 'react-native-rcim';
import { useSession } from '../engine/EngineContext';
import type { RCIMError } from '../engine/request';
import { perform, query } from '../engine/request';
import { useEngineEvent } from '../engine/useEngineEvent';

const CHATROOM = RCIMIWConversationType.CHATROOM;

export type RoomState = 'joining' | 'joined' | 'destroyed' | 'failed';

export function useChatRoom(roomId: string) {
  const { engine } = useSession();
  const [state, setState] = useState<RoomState>('joining');
  const [messages, setMessages] = useState<RCIMIWMessage[]>([]);
  const [entries, setEntries] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);

  const fail = useCallback((e: unknown) => setError((e as Error).message), []);
  const add = useCallback((m: RCIMIWMessage) => setMessages((list) => [...list, m]), []);

  const loadEntries = useCallback(async () => {
    const all = await query<Map<string, string>>('getChatRoomAllEntries', (cb) =>
      engine.getChatRoomAllEntries(roomId, cb)
    );
    setEntries(Object.fromEntries(all));
  }, [engine, roomId]);

  useEffect(() => {
    let live = true;
    perform('joinChatRoom', (done) =>
      engine.joinChatRoom(roomId, 20, true, { onChatRoomJoined: (code) => done(code) })
    ).then(
      () => {
        if (!live) return;
        setState('joined');
        loadEntries().catch(fail);
      },
      (e: RCIMError) => {
        if (!live) return;
        setState('failed');
        setError(e.message);
      }
    );
    return () => {
      live = false;
      engine.leaveChatRoom(roomId);
    };
  }, [engine, roomId, loadEntries, fail]);

  const isHere = (m: RCIMIWMessage) => m.conversationType === CHATROOM && m.targetId === roomId;

  useEngineEvent('MessageReceived', (m) => isHere(m) && add(m));
  useEngineEvent('ChatRoomEntriesChanged', (operation, id, changed) => {
    if (id !== roomId) return;
    setEntries((current) => {
      const next = { ...current };
      for (const [k, v] of changed) {
        if (operation === RCIMIWChatRoomEntriesOperationType.Remove) delete next[k];
        else next[k] = v;
      }
      return next;
    });
  });
  useEngineEvent('ChatRoomEntriesSynced', (id) => id === roomId && loadEntries().catch(fail));
  useEngineEvent('ChatRoomStatusChanged', (id, status) => {
    if (id === roomId && status !== RCIMIWChatRoomStatus.RESET) setState('destroyed');
  });

  const sendText = useCallback(
    async (text: string) => {
      const message = await engine.createTextMessage(CHATROOM, roomId, null, text);
      await engine.sendMessage(message, {
        onMessageSent: (code, m) => (code === 0 ? add(m) : setError(`Sending failed (${code})`)),
      });
    },
    [engine, roomId, add]
  );

  const setEntry = useCallback(
    async (key: string, value: string) => {
      try {
        await perform('addChatRoomEntry', (done) =>
          engine.addChatRoomEntry(roomId, key, value, false, true, { onChatRoomEntryAdded: done })
        );
        setEntries((current) => ({ ...current, [key]: value }));
      } catch (e) {
        fail(e);
      }
    },
    [engine, roomId, fail]
  );

  const removeEntry = useCallback(
    async (key: string) => {
      try {
        await perform('removeChatRoomEntry', (done) =>
          engine.removeChatRoomEntry(roomId, key, true, { onChatRoomEntryRemoved: done })
        );
        setEntries((current) => {
          const rest = { ...current };
          delete rest[key];
          return rest;
        });
      } catch (e) {
        fail(e);
      }
    },
    [engine, roomId, fail]
  );

  return { state, messages, entries, error, sendText, setEntry, removeEntry };
}
