/**
 * The RCIM example app: sign in, then one tab per feature area of RCIMIWEngine; chats,
 * chatrooms and ultra groups open on top.
 */
import React from 'react';
import { StatusBar, StyleSheet } from 'react-native';
import { SafeAreaProvider, SafeAreaView } from 'react-native-safe-area-context';
import { EngineProvider, useAuth } from './engine/EngineContext';
import { NavigationProvider, useNavigation } from './navigation/Navigator';
import { ChatRoomScreen } from './screens/ChatRoomScreen';
import { ChatScreen } from './screens/ChatScreen';
import { HomeScreen } from './screens/HomeScreen';
import { SignInScreen } from './screens/SignInScreen';
import { UltraGroupScreen } from './screens/UltraGroupScreen';

function CurrentScreen() {
  const { route } = useNavigation();
  switch (route.name) {
    case 'home':
      return <HomeScreen />;
    case 'chat':
      return (
        <ChatScreen
          key={`${route.type}:${route.targetId}:${route.channelId ?? ''}`}
          type={route.type}
          targetId={route.targetId}
          channelId={route.channelId}
          title={route.title}
        />
      );
    case 'chatroom':
      return <ChatRoomScreen key={route.roomId} roomId={route.roomId} />;
    case 'ultragroup':
      return <UltraGroupScreen key={route.groupId} groupId={route.groupId} />;
  }
}

function Main() {
  const { signedIn, userId } = useAuth();
  if (!signedIn) return <SignInScreen />;
  // A new navigation stack for each user.
  return (
    <NavigationProvider key={userId} initial={{ name: 'home' }}>
      <CurrentScreen />
    </NavigationProvider>
  );
}

export default function App() {
  return (
    <SafeAreaProvider>
      <StatusBar barStyle="dark-content" />
      <SafeAreaView style={styles.root}>
        <EngineProvider>
          <Main />
        </EngineProvider>
      </SafeAreaView>
    </SafeAreaProvider>
  );
}

const styles = StyleSheet.create({ root: { flex: 1, backgroundColor: '#fff' } });
