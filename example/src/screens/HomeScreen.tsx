/** After sign-in: one tab per feature area, with the connection status on top. */
import React, { useState } from 'react';
import { View } from 'react-native';
import { RCIMIWConnectionStatus } from 'react-native-rcim';
import { ScreenHeader } from '../components/ScreenHeader';
import { TabBar } from '../components/TabBar';
import { useAuth } from '../engine/EngineContext';
import { useTotalUnreadCount } from '../hooks/useTotalUnreadCount';
import { ChatRoomsScreen } from './ChatRoomsScreen';
import { ConversationListScreen } from './ConversationListScreen';
import { GroupsScreen } from './GroupsScreen';
import { SettingsScreen } from './SettingsScreen';
import { UltraGroupsScreen } from './UltraGroupsScreen';

const TABS = ['Chats', 'Groups', 'Chatroom', 'Ultra groups', 'Settings'] as const;
type Tab = (typeof TABS)[number];

const STATUS: Record<RCIMIWConnectionStatus, string> = {
  [RCIMIWConnectionStatus.NETWORK_UNAVAILABLE]: 'Waiting for network…',
  [RCIMIWConnectionStatus.CONNECTED]: 'Connected',
  [RCIMIWConnectionStatus.CONNECTING]: 'Connecting…',
  [RCIMIWConnectionStatus.UNCONNECTED]: 'Disconnected',
  [RCIMIWConnectionStatus.KICKED_OFFLINE_BY_OTHER_CLIENT]: 'Signed in on another device',
  [RCIMIWConnectionStatus.TOKEN_INCORRECT]: 'Token rejected',
  [RCIMIWConnectionStatus.CONN_USER_BLOCKED]: 'This user is blocked',
  [RCIMIWConnectionStatus.SIGN_OUT]: 'Signed out',
  [RCIMIWConnectionStatus.SUSPEND]: 'Reconnecting…',
  [RCIMIWConnectionStatus.TIMEOUT]: 'Connection timed out',
  [RCIMIWConnectionStatus.UNKNOWN]: 'Connection state unknown',
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
  const unread = useTotalUnreadCount();
  // Signed in means connected once; the status events say what happened since.
  const subtitle = `${userId} · ${STATUS[status ?? RCIMIWConnectionStatus.CONNECTED]}`;
  return (
    <View style={{ flex: 1 }}>
      <ScreenHeader title={tab} subtitle={subtitle} />
      <View style={{ flex: 1 }}>
        <Screen />
      </View>
      <TabBar tabs={TABS} selected={tab} onSelect={setTab} badges={{ Chats: unread }} />
    </View>
  );
}
