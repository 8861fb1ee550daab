import React from 'react';
import { StyleSheet, Text, View } from 'react-native';
import {
  RCIMIWConversationType,
  RCIMIWMessageType,
  RCIMIWSentStatus,
  type RCIMIWMediaMessage,
  type RCIMIWMessage,
} from 'react-native-rcim';
import { isMedia, messagePreview, time } from '../format';
import { Button } from './Button';
import { colors, common } from './theme';

const STATUS: Partial<Record<RCIMIWSentStatus, string>> = {
  [RCIMIWSentStatus.SENDING]: 'Sending',
  [RCIMIWSentStatus.FAILED]: 'Failed',
  [RCIMIWSentStatus.SENT]: 'Sent',
  [RCIMIWSentStatus.READ]: 'Read',
  [RCIMIWSentStatus.CANCELED]: 'Canceled',
};

export interface MessageActions {
  onRecall?: () => void;
  onReact?: (emoji: string) => void;
  onDownload?: () => void;
  onCancel?: () => void;
  onRequestReceipts?: () => void;
}

interface Props extends MessageActions {
  message: RCIMIWMessage;
  /** Upload or download progress, 0–100, while a transfer runs. */
  progress?: number;
}

/** Counts of each emoji in the message's expansion (keys `r_<user>`). */
function reactions(m: RCIMIWMessage): string {
  const counts = new Map<string, number>();
  for (const [k, v] of Object.entries(m.expansion ?? {})) {
    if (k.startsWith('r_')) counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  return [...counts].map(([emoji, n]) => `${emoji} ${n}`).join('  ');
}

export function MessageBubble({ message: m, progress, ...actions }: Props) {
  const mine = m.direction === 0;
  const recalled = m.messageType === RCIMIWMessageType.RECALL;
  const media = isMedia(m) ? (m as RCIMIWMediaMessage) : null;
  const receipt = m.groupReadReceiptInfo;
  const readers = Object.keys(receipt?.respondUserIds ?? {}).length;
  const group = m.conversationType !== RCIMIWConversationType.PRIVATE;
  const reacted = reactions(m);

  return (
    <View style={[styles.bubble, mine ? styles.mine : styles.theirs]}>
      {group && !mine ? <Text style={styles.sender}>{m.senderUserId}</Text> : null}
      <Text style={recalled ? common.muted : styles.text}>{messagePreview(m)}</Text>
      {media?.local && !mine ? <Text style={common.muted}>Saved to {media.local}</Text> : null}
      {progress !== undefined ? (
        <Text style={common.muted}>
          {mine ? 'Uploading' : 'Downloading'} {progress}%
        </Text>
      ) : null}
      {reacted ? <Text>{reacted}</Text> : null}
      <View style={common.row}>
        <Text style={styles.meta}>{time(m.sentTime)}</Text>
        {mine && m.sentStatus !== undefined ? (
          <Text style={styles.meta}>{STATUS[m.sentStatus] ?? ''}</Text>
        ) : null}
        {receipt?.readReceiptMessage && mine ? (
          <Text style={styles.meta}>Read by {readers}</Text>
        ) : null}
      </View>
      {recalled ? null : (
        <View style={common.row}>
          {actions.onReact && m.messageUId ? (
            <Button
              kind="plain"
              title="👍"
              accessibilityLabel="React 👍"
              onPress={() => actions.onReact?.('👍')}
            />
          ) : null}
          {mine && actions.onRecall && m.messageUId ? (
            <Button kind="plain" title="Recall" onPress={actions.onRecall} />
          ) : null}
          {mine && actions.onRequestReceipts && m.messageUId && !receipt?.readReceiptMessage ? (
            <Button kind="plain" title="Ask for receipts" onPress={actions.onRequestReceipts} />
          ) : null}
          {media && !mine && !media.local && progress === undefined && actions.onDownload ? (
            <Button kind="plain" title="Download" onPress={actions.onDownload} />
          ) : null}
          {progress !== undefined && actions.onCancel ? (
            <Button kind="plain" title="Cancel" onPress={actions.onCancel} />
          ) : null}
        </View>
      )}
    </View>
  );
}

const styles = StyleSheet.create({
  bubble: { margin: 6, padding: 8, borderRadius: 8, maxWidth: '85%', gap: 2 },
  mine: { alignSelf: 'flex-end', backgroundColor: colors.bubbleMine },
  theirs: { alignSelf: 'flex-start', backgroundColor: colors.bubbleTheirs },
  sender: { fontSize: 11, color: colors.primary },
  text: { color: colors.text },
  meta: { fontSize: 11, color: colors.muted },
});
