/**
 * The conversation list (private and system conversations): unread and @ counts, drafts,
 * pinned and muted (do not disturb) conversations; opening one, starting a new chat, and
 * searching the messages.
 */
import React, { useState } from 'react';
import { FlatList, Text, View } from 'react-native';
import { RCIMIWConversationType, type RCIMIWConversation } from 'react-native-rcim';
import { Button } from '../components/Button';
import { ConversationRow } from '../components/ConversationRow';
import { Field } from '../components/Field';
import { common } from '../components/theme';
import { useConversations } from '../hooks/useConversations';
import { useMessageSearch } from '../hooks/useMessageSearch';
import { useNavigation } from '../navigation/Navigator';

const TYPES = [RCIMIWConversationType.PRIVATE, RCIMIWConversationType.SYSTEM];

export function ConversationListScreen() {
  const { conversations, error, pin, mute } = useConversations(TYPES);
  const { push } = useNavigation();
  const [peer, setPeer] = useState('');
  const [keyword, setKeyword] = useState('');
  const found = useMessageSearch(TYPES, keyword);

  const open = (targetId: string, type = RCIMIWConversationType.PRIVATE) =>
    push({ name: 'chat', type, targetId, channelId: null, title: targetId });

  return (
    <View style={{ flex: 1 }}>
      <View style={[common.section, common.row]}>
        <Field label="Chat with user id" value={peer} onChangeText={setPeer} />
        <Button title="Chat" disabled={!peer.trim()} onPress={() => open(peer.trim())} />
      </View>
      <View style={common.section}>
        <Field label="Search messages" value={keyword} onChangeText={setKeyword} />
        {found.map(({ conversation: c, count }) => (
          <Button
            key={`${c?.conversationType}:${c?.targetId}`}
            kind="plain"
            title={`${c?.targetId}: ${count} ${count === 1 ? 'message' : 'messages'}`}
            onPress={() => open(c?.targetId ?? '', c?.conversationType)}
          />
        ))}
      </View>
      {error ? <Text style={common.error}>{error}</Text> : null}
      <FlatList
        data={conversations}
        keyExtractor={(c: RCIMIWConversation) => `${c.conversationType}:${c.targetId}`}
        ListEmptyComponent={
          <Text style={[common.muted, { padding: 12 }]}>No conversations yet</Text>
        }
        renderItem={({ item }) => (
          <ConversationRow
            conversation={item}
            title={item.targetId ?? ''}
            onOpen={() => open(item.targetId ?? '', item.conversationType)}
            onPin={(top) => pin(item, top)}
            onMute={(muted) => mute(item, muted)}
          />
        )}
      />
    </View>
  );
}
