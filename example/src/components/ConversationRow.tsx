import React from 'react';
import { Pressable, StyleSheet, Text, View } from 'react-native';
import type { RCIMIWConversation } from 'react-native-rcim';
import { messagePreview, time } from '../format';
import { isMuted } from '../hooks/useConversations';
import { Button } from './Button';
import { colors, common } from './theme';

interface Props {
  conversation: RCIMIWConversation;
  title: string;
  onOpen: () => void;
  onPin?: (top: boolean) => void;
  onMute?: (muted: boolean) => void;
}

/** One conversation: title, last message or draft, unread and @ counts, pin and mute. */
export function ConversationRow({ conversation: c, title, onOpen, onPin, onMute }: Props) {
  const muted = isMuted(c);
  return (
    <View style={styles.row}>
      <Pressable
        accessibilityRole="button"
        accessibilityLabel={`Open ${title}`}
        onPress={onOpen}
        style={styles.main}
      >
        <View style={common.row}>
          <Text style={styles.title}>{title}</Text>
          {c.top ? <Text style={styles.tag}>Pinned</Text> : null}
          {muted ? <Text style={styles.tag}>Muted</Text> : null}
          <Text style={common.muted}>{time(c.lastMessage?.sentTime)}</Text>
        </View>
        {c.draft ? (
          <Text style={common.error} numberOfLines={1}>
            Draft: {c.draft}
          </Text>
        ) : (
          <Text style={common.muted} numberOfLines={1}>
            {messagePreview(c.lastMessage)}
          </Text>
        )}
        <View style={common.row}>
          {c.unreadCount ? <Text style={styles.badge}>{c.unreadCount} unread</Text> : null}
          {c.mentionedCount ? <Text style={styles.badge}>@ {c.mentionedCount}</Text> : null}
        </View>
      </Pressable>
      {onPin ? (
        <Button
          kind="plain"
          title={c.top ? 'Unpin' : 'Pin'}
          accessibilityLabel={`${c.top ? 'Unpin' : 'Pin'} ${title}`}
          onPress={() => onPin(!c.top)}
        />
      ) : null}
      {onMute ? (
        <Button
          kind="plain"
          title={muted ? 'Unmute' : 'Mute'}
          accessibilityLabel={`${muted ? 'Unmute' : 'Mute'} ${title}`}
          onPress={() => onMute(!muted)}
        />
      ) : null}
    </View>
  );
}

const styles = StyleSheet.create({
  row: {
    flexDirection: 'row',
    alignItems: 'center',
    paddingHorizontal: 12,
    paddingVertical: 8,
    borderBottomWidth: 1,
    borderColor: colors.border,
  },
  main: { flex: 1, gap: 2 },
  title: { fontWeight: '600', color: colors.text },
  tag: { fontSize: 11, color: colors.primary },
  badge: {
    fontSize: 11,
    color: '#fff',
    backgroundColor: colors.danger,
    borderRadius: 8,
    paddingHorizontal: 6,
  },
});
