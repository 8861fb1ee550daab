/**
 * The composer's text, starting from the conversation's saved draft; what is left unsent
 * when the chat closes is saved as the draft (and shows in the conversation list).
 */
import { useEffect, useRef, useState } from 'react';
import { useSession } from '../engine/EngineContext';
import { query } from '../engine/request';
import type { ConversationRef } from './conversationKey';

export function useDraft({ type, targetId, channelId }: ConversationRef) {
  const { engine } = useSession();
  const [text, setText] = useState('');
  const latest = useRef({ text: '', loaded: false });

  useEffect(() => {
    latest.current.text = text;
  }, [text]);

  useEffect(() => {
    let live = true;
    query<string>('getDraftMessage', (cb) =>
      engine.getDraftMessage(type, targetId, channelId, cb)
    ).then(
      (draft) => {
        latest.current.loaded = true;
        if (live && draft) setText((current) => current || draft);
      },
      () => {
        latest.current.loaded = true;
      }
    );
    const state = latest.current;
    return () => {
      live = false;
      if (!state.loaded) return;
      if (state.text.trim()) engine.saveDraftMessage(type, targetId, channelId, state.text);
      else engine.clearDraftMessage(type, targetId, channelId);
    };
  }, [engine, type, targetId, channelId]);

  return [text, setText] as const;
}
