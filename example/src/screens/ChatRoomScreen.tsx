/** A joined chatroom: its messages, sending, and its key-value entries (add, remove). */
import React, { useState } from 'react';
import { FlatList, Text, View } from 'react-native';
import type { RCIMIWMessage } from 'react-native-rcim';
import { Button } from '../components/Button';
import { Composer } from '../components/Composer';
import { Field } from '../components/Field';
import { MessageBubble } from '../components/MessageBubble';
import { ScreenHeader } from '../components/ScreenHeader';
import { common } from '../components/theme';
import { messageKey } from '../format';
import { useChatRoom, type RoomState } from '../hooks/useChatRoom';

const STATE: Record<RoomState, string> = {
  joining: 'Joining…',
  joined: 'Joined',
  destroyed: 'This room was closed',
  failed: 'Could not join',
};

export function ChatRoomScreen({ roomId }: { roomId: string }) {
  const room = useChatRoom(roomId);
  const [text, setText] = useState('');
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');

  return (
    <View style={{ flex: 1 }}>
      <ScreenHeader title={`Room ${roomId}`} subtitle={STATE[room.state]} />
      {room.error ? <Text style={common.error}>{room.error}</Text> : null}
      <View style={common.section}>
        <Text style={common.sectionTitle}>Entries</Text>
        {Object.entries(room.entries).map(([k, v]) => (
          <View key={k} style={common.row}>
            <Text style={{ flex: 1 }}>
              {k} = {v}
            </Text>
            <Button
              kind="plain"
              title="Remove"
              accessibilityLabel={`Remove ${k}`}
              onPress={() => room.removeEntry(k)}
            />
          </View>
        ))}
        <View style={common.row}>
          <Field label="Key" value={key} onChangeText={setKey} />
          <Field label="Value" value={value} onChangeText={setValue} />
          <Button
            title="Set"
            disabled={!key.trim() || room.state !== 'joined'}
            onPress={() => {
              room.setEntry(key.trim(), value);
              setKey('');
              setValue('');
            }}
          />
        </View>
      </View>
      <FlatList
        data={room.messages}
        keyExtractor={messageKey}
        renderItem={({ item }: { item: RCIMIWMessage }) => <MessageBubble message={item} />}
      />
      {room.state === 'joined' ? (
        <Composer text={text} onChangeText={setText} onSend={room.sendText} />
      ) : null}
    </View>
  );
}
