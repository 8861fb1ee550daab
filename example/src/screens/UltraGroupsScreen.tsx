/** Ultra groups: open one by id to see its channels. */
import React from 'react';
import { Text, View } from 'react-native';
import { OpenById } from '../components/OpenById';
import { common } from '../components/theme';
import { useNavigation } from '../navigation/Navigator';

export function UltraGroupsScreen() {
  const { push } = useNavigation();
  return (
    <View>
      <OpenById
        label="Ultra group id"
        action="Open"
        onOpen={(groupId) => push({ name: 'ultragroup', groupId })}
      />
      <Text style={[common.muted, { padding: 12 }]}>
        Ultra groups and their channels are created on the server (Server API /ultragroup/…).
      </Text>
    </View>
  );
}
