/** Chatrooms: join one by id (it is created when it does not exist yet). */
import React from 'react';
import { Text, View } from 'react-native';
import { OpenById } from '../components/OpenById';
import { common } from '../components/theme';
import { useNavigation } from '../navigation/Navigator';

export function ChatRoomsScreen() {
  const { push } = useNavigation();
  return (
    <View>
      <OpenById
        label="Room id"
        action="Join"
        onOpen={(roomId) => push({ name: 'chatroom', roomId })}
      />
      <Text style={[common.muted, { padding: 12 }]}>
        Chatrooms are online only: you get the room&apos;s recent messages when you join, and
        nothing once you leave. Its key-value entries are shared by all members.
      </Text>
    </View>
  );
}
