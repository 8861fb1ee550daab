/**
 * Who is typing in a private chat (from onTypingStatusChanged; the engine sends an empty list
 * when they stop), and `notifyTyping()` to tell the peer, at most every few seconds.
 */
import { useCallback, useRef, useState } from 'react';
import { RCIMIWConversationType } from 'react-native-rcim';
import { useSession } from '../engine/EngineContext';
import { useEngineEvent } from '../engine/useEngineEvent';
import type { ConversationRef } from './conversationKey';

const TEXT_TYPING = 'RC:TxtMsg';
const RESEND_MS = 5000;

export function useTyping({ type, targetId, channelId }: ConversationRef) {
  const { engine } = useSession();
  const [typingUsers, setTypingUsers] = useState<string[]>([]);
  const lastSent = useRef(0);

  useEngineEvent('TypingStatusChanged', (t, target, _channel, statuses) => {
    if (t !== type || target !== targetId) return;
    setTypingUsers(statuses.map((s) => s.userId ?? '').filter(Boolean));
  });

  const notifyTyping = useCallback(() => {
    if (type !== RCIMIWConversationType.PRIVATE) return;
    const now = Date.now();
    if (now - lastSent.current < RESEND_MS) return;
    lastSent.current = now;
    engine.sendTypingStatus(type, targetId, channelId, TEXT_TYPING);
  }, [engine, type, targetId, channelId]);

  return { typingUsers, notifyTyping };
}
