import type { RCIMIWConversationType, RCIMIWMessage } from 'react-native-rcim';

/** One conversation: a private or group chat, a chatroom, or an ultra-group channel. */
export interface ConversationRef {
  type: RCIMIWConversationType;
  targetId: string;
  channelId: string | null;
}

// An ultra group's default channel is reported as "RCDefault" or as no channel.
const channel = (id: string | null | undefined) => (id && id !== 'RCDefault' ? id : '');

export const sameChannel = (a: string | null | undefined, b: string | null | undefined) =>
  channel(a) === channel(b);

export function inConversation(m: RCIMIWMessage, c: ConversationRef): boolean {
  return (
    m.conversationType === c.type &&
    m.targetId === c.targetId &&
    channel(m.channelId) === channel(c.channelId)
  );
}
