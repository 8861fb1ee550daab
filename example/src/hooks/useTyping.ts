/**
 * Who is typing in a private chat (onTypingStatusChanged; an empty list when they stop) or
 * an ultra-group channel (onUltraGroupTypingStatusChanged), and `notifyTyping()` to tell the
 * others, at most every few seconds.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { RCIMIWConversationType, RCIMIWUltraGroupTypingStatus } from 'react-native-rcim';
import { useSession } from '../engine/EngineContext';
import { useEngineEvent } from '../engine/useEngineEvent';
import { sameChannel, type ConversationRef } from './conversationKey';

const TEXT_TYPING = 'RC:TxtMsg';
const RESEND_MS = 5000;
const ULTRA_GROUP_TYPING_MS = 6000;

export function useTyping({ type, targetId, channelId }: ConversationRef) {
  const { engine } = useSession();
  const [typingUsers, setTypingUsers] = useState<string[]>([]);
  const lastSent = useRef(0);

  useEngineEvent('TypingStatusChanged', (t, target, _channel, statuses) => {
    if (t !== type || target !== targetId) return;
    setTypingUsers(statuses.map((s) => s.userId ?? '').filter(Boolean));
  });
  // Ultra groups announce typing but not its end: it shows for a few seconds.
  const expiry = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(expiry.current), []);
  useEngineEvent('UltraGroupTypingStatusChanged', (infos) => {
    if (type !== RCIMIWConversationType.ULTRA_GROUP) return;
    const here = infos.filter(
      (i) => i.targetId === targetId && sameChannel(i.channelId, channelId)
    );
    if (here.length === 0) return;
    setTypingUsers(here.map((i) => i.userId ?? '').filter(Boolean));
    clearTimeout(expiry.current);
    expiry.current = setTimeout(() => setTypingUsers([]), ULTRA_GROUP_TYPING_MS);
  });

  const notifyTyping = useCallback(() => {
    const now = Date.now();
    if (now - lastSent.current < RESEND_MS) return;
    if (type === RCIMIWConversationType.PRIVATE) {
      engine.sendTypingStatus(type, targetId, channelId, TEXT_TYPING);
    } else if (type === RCIMIWConversationType.ULTRA_GROUP) {
      engine.sendUltraGroupTypingStatus(
        targetId,
        channelId ?? '',
        RCIMIWUltraGroupTypingStatus.TEXT
      );
    } else {
      return;
    }
    lastSent.current = now;
  }, [engine, type, targetId, channelId]);

  return { typingUsers, notifyTyping };
}
