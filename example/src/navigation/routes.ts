import type { RCIMIWConversationType } from 'react-native-rcim';

/** Where the app can be: the tabs after sign-in, and the screens pushed on top of them. */
export type Route =
  | { name: 'home' }
  | {
      name: 'chat';
      type: RCIMIWConversationType;
      targetId: string;
      channelId: string | null;
      title: string;
    }
  | { name: 'chatroom'; roomId: string }
  | { name: 'ultragroup'; groupId: string };
