/**
 * The RCIM example app: sign in, then one tab per feature area of RCIMIWEngine; chats,
 * chatrooms and ultra groups open on top.
 */
import React from 'react';
import { StatusBar, StyleSheet, View } from 'react-native';
import { SafeAreaProvider, SafeAreaView } from 'react-native-safe-area-context';
import { EngineProvider, useAuth } from './engine/EngineContext';
import { NavigationProvider, useNavigation } from './navigation/Navigator';
import type { Route } from './navigation/routes';
import { ChatRoomScreen } from './screens/ChatRoomScreen';
import { ChatScreen } from './screens/ChatScreen';
import { HomeScreen } from './screens/HomeScreen';
import { SignInScreen } from './screens/SignInScreen';
import { UltraGroupScreen } from './screens/UltraGroupScreen';

function screenFor(route: Route) {
  switch (route.name) {
    case 'home':
      return <HomeScreen />;
    case 'chat':
      return (
        <ChatScreen
          type={route.type}
          targetId={route.targetId}
          channelId={route.channelId}
          title={route.title}
        />
      );
    case 'chatroom':
      return <ChatRoomScreen roomId={route.roomId} />;
    case 'ultragroup':
      return <UltraGroupScreen groupId={route.groupId} />;
  }
}

/** The stack: the top screen shows, the ones below keep their state out of sight. */
function Screens() {
  const { stack } = useNavigation();
  return (
    <>
      {stack.map((route, i) => (
        // Screens are only pushed and popped at the end: a position is one screen's key.
        <View key={i} style={i === stack.length - 1 ? styles.root : styles.hidden}>
          {screenFor(route)}
        </View>
      ))}
    </>
  );
}

function Main() {
  const { signedIn, userId } = useAuth();
  if (!signedIn) return <SignInScreen />;
  // A new navigation stack for each user.
  return (
    <NavigationProvider key={userId} initial={{ name: 'home' }}>
      <Screens />
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

const styles = StyleSheet.create({
  root: { flex: 1, backgroundColor: '#fff' },
  hidden: { display: 'none' },
});
