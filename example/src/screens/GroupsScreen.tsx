/**
 * Groups: the group conversations (made on the server through the Server API) and opening a
 * group chat by id. In the chat, @mentions and read receipts work as in RongCloud's IMLib.
 */
import React from 'react';
import { FlatList, Text, View } from 'react-native';
import { RCIMIWConversationType } from 'react-native-rcim';
import { ConversationRow } from '../components/ConversationRow';
import { OpenById } from '../components/OpenById';
import { common } from '../components/theme';
import { useConversations } from '../hooks/useConversations';
import { useNavigation } from '../navigation/Navigator';

const GROUP = RCIMIWConversationType.GROUP;
const TYPES = [GROUP];

export function GroupsScreen() {
  const { conversations, error, pin, mute } = useConversations(TYPES);
  const { push } = useNavigation();
  const open = (groupId: string) =>
    push({
      name: 'chat',
      type: GROUP,
      targetId: groupId,
      channelId: null,
      title: `Group ${groupId}`,
    });

  return (
    <View style={{ flex: 1 }}>
      <OpenById label="Group id" action="Open" onOpen={open} />
      {error ? <Text style={common.error}>{error}</Text> : null}
      <FlatList
        data={conversations}
        keyExtractor={(c) => c.targetId ?? ''}
        ListEmptyComponent={<Text style={[common.muted, { padding: 12 }]}>No group chats yet</Text>}
        renderItem={({ item }) => (
          <ConversationRow
            conversation={item}
            title={`Group ${item.targetId}`}
            onOpen={() => open(item.targetId ?? '')}
            onPin={(top) => pin(item, top)}
            onMute={(muted) => mute(item, muted)}
          />
        )}
      />
    </View>
  );
}
