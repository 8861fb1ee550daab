/** One ultra group: its channels with unread and @ counts; opening a channel's chat. */
import React from 'react';
import { FlatList, Text, View } from 'react-native';
import { RCIMIWConversationType } from 'react-native-rcim';
import { ConversationRow } from '../components/ConversationRow';
import { OpenById } from '../components/OpenById';
import { ScreenHeader } from '../components/ScreenHeader';
import { common } from '../components/theme';
import { useUltraGroupChannels } from '../hooks/useUltraGroupChannels';
import { useNavigation } from '../navigation/Navigator';

const channelName = (id: string | undefined) => (id && id !== 'RCDefault' ? `#${id}` : '#default');

export function UltraGroupScreen({ groupId }: { groupId: string }) {
  const { channels, unread, error } = useUltraGroupChannels(groupId);
  const { push } = useNavigation();
  const open = (channelId: string | null) =>
    push({
      name: 'chat',
      type: RCIMIWConversationType.ULTRA_GROUP,
      targetId: groupId,
      channelId,
      title: `${groupId} ${channelName(channelId ?? undefined)}`,
    });

  return (
    <View style={{ flex: 1 }}>
      <ScreenHeader
        title={`Ultra group ${groupId}`}
        subtitle={`${unread} unread in all channels`}
      />
      <OpenById label="Channel id" action="Open" onOpen={open} />
      {error ? <Text style={common.error}>{error}</Text> : null}
      <FlatList
        data={channels}
        keyExtractor={(c) => c.channelId ?? ''}
        ListEmptyComponent={
          <Text style={[common.muted, { padding: 12 }]}>No channel has messages yet</Text>
        }
        renderItem={({ item }) => (
          <ConversationRow
            conversation={item}
            title={channelName(item.channelId)}
            onOpen={() => open(item.channelId || null)}
          />
        )}
      />
    </View>
  );
}
