/** After sign-in: one tab per feature area, with the connection status on top. */
import React, { useState } from 'react';
import { View } from 'react-native';
import { RCIMIWConnectionStatus } from 'react-native-rcim';
import { ScreenHeader } from '../components/ScreenHeader';
import { TabBar } from '../components/TabBar';
import { useAuth } from '../engine/EngineContext';
import { ChatRoomsScreen } from './ChatRoomsScreen';
import { ConversationListScreen } from './ConversationListScreen';
import { GroupsScreen } from './GroupsScreen';
import { SettingsScreen } from './SettingsScreen';
import { UltraGroupsScreen } from './UltraGroupsScreen';

const TABS = ['Chats', 'Groups', 'Chatroom', 'Ultra groups', 'Settings'] as const;
type Tab = (typeof TABS)[number];

const STATUS: Partial<Record<RCIMIWConnectionStatus, string>> = {
  [RCIMIWConnectionStatus.CONNECTED]: 'Connected',
  [RCIMIWConnectionStatus.CONNECTING]: 'Connecting…',
  [RCIMIWConnectionStatus.NETWORK_UNAVAILABLE]: 'Waiting for network…',
  [RCIMIWConnectionStatus.SUSPEND]: 'Reconnecting…',
  [RCIMIWConnectionStatus.KICKED_OFFLINE_BY_OTHER_CLIENT]: 'Signed in on another device',
  [RCIMIWConnectionStatus.TOKEN_INCORRECT]: 'Token rejected',
};

const SCREENS: Record<Tab, React.ComponentType> = {
  Chats: ConversationListScreen,
  Groups: GroupsScreen,
  Chatroom: ChatRoomsScreen,
  'Ultra groups': UltraGroupsScreen,
  Settings: SettingsScreen,
};

export function HomeScreen() {
  const { userId, status } = useAuth();
  const [tab, setTab] = useState<Tab>('Chats');
  const Screen = SCREENS[tab];
  const subtitle = `${userId} · ${(status !== null && STATUS[status]) || 'Connected'}`;
  return (
    <View style={{ flex: 1 }}>
      <ScreenHeader title={tab} subtitle={subtitle} />
      <View style={{ flex: 1 }}>
        <Screen />
      </View>
      <TabBar tabs={TABS} selected={tab} onSelect={setTab} />
    </View>
  );
}
