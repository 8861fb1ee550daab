/** How messages and conversations read in the lists and bubbles. */
import {
  RCIMIWConversationType,
  RCIMIWMessageType,
  type RCIMIWFileMessage,
  type RCIMIWMessage,
  type RCIMIWReferenceMessage,
  type RCIMIWTextMessage,
} from 'react-native-rcim';

export function messagePreview(m: RCIMIWMessage | undefined): string {
  if (!m) return '';
  switch (m.messageType) {
    case RCIMIWMessageType.TEXT:
    case RCIMIWMessageType.REFERENCE:
      return (m as RCIMIWTextMessage | RCIMIWReferenceMessage).text ?? '';
    case RCIMIWMessageType.IMAGE:
      return '[Image]';
    case RCIMIWMessageType.GIF:
      return '[GIF]';
    case RCIMIWMessageType.VOICE:
      return '[Voice]';
    case RCIMIWMessageType.SIGHT:
      return '[Video]';
    case RCIMIWMessageType.FILE:
      return `[File] ${(m as RCIMIWFileMessage).name ?? ''}`.trim();
    case RCIMIWMessageType.LOCATION:
      return '[Location]';
    case RCIMIWMessageType.RECALL:
      return 'Message recalled';
    default:
      return '[Message]';
  }
}

export function isMedia(m: RCIMIWMessage): boolean {
  return (
    m.messageType === RCIMIWMessageType.IMAGE ||
    m.messageType === RCIMIWMessageType.GIF ||
    m.messageType === RCIMIWMessageType.FILE ||
    m.messageType === RCIMIWMessageType.VOICE ||
    m.messageType === RCIMIWMessageType.SIGHT
  );
}

export const conversationTypeName: Record<RCIMIWConversationType, string> = {
  [RCIMIWConversationType.INVALID]: '',
  [RCIMIWConversationType.PRIVATE]: 'Private',
  [RCIMIWConversationType.GROUP]: 'Group',
  [RCIMIWConversationType.CHATROOM]: 'Chatroom',
  [RCIMIWConversationType.SYSTEM]: 'System',
  [RCIMIWConversationType.ULTRA_GROUP]: 'Ultra group',
};

export function time(ms: number | undefined): string {
  if (!ms) return '';
  const d = new Date(ms);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

/** The id a message is known by in lists: its local id, else its server uid. */
export function messageKey(m: RCIMIWMessage): string {
  return m.messageId ? `id:${m.messageId}` : `uid:${m.messageUId ?? ''}`;
}
