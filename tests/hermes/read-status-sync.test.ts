// syncConversationReadStatus through the TS API, on two devices of A: B writes to A; A's
// tablet and phone both hold the messages unread; the phone reads them and syncs the read
// position (callback object and onConversationReadStatusSynced); the tablet gets
// onConversationReadStatusSyncMessageReceived with that position and its unread count drops
// to 0. Chatroom is refused.
import { RCIMIWConversationType, type RCIMIWEngine } from 'react-native-rcim';
import { assertParamError, recorder } from './settings-support';
import {
  PRIVATE,
  actionCode,
  assertEqual,
  connect,
  destroyAll,
  hostEnv,
  onlineDevice,
  sendText,
  signOut,
  twoEngines,
  viaCallback,
  waitForAsync,
} from './support';

function unread(e: RCIMIWEngine, targetId: string) {
  return viaCallback<number>('getUnreadCount', (ok, err) =>
    e.getUnreadCount(PRIVATE, targetId, null, { onSuccess: ok, onError: err })
  );
}

export default async function () {
  const env = hostEnv();
  const { a: tablet, b, userA, userB } = await twoEngines(env);
  let phone: RCIMIWEngine | undefined;
  try {
    await sendText(b, userA, 'one');
    const last = await sendText(b, userA, 'two');
    await waitForAsync(
      'the tablet has both unread',
      async () => (await unread(tablet, userB)) === 2
    );
    await signOut(tablet);

    phone = await onlineDevice(env, userA, 'a-phone');
    await waitForAsync(
      'the phone has both unread',
      async () => (await unread(phone!, userB)) === 2
    );
    const synced = recorder('onConversationReadStatusSynced');
    phone.setOnConversationReadStatusSyncedListener(synced.fn);
    assertEqual(
      await actionCode('syncConversationReadStatus', (done) =>
        phone!.syncConversationReadStatus(PRIVATE, userB, null, last.sentTime!, {
          onConversationReadStatusSynced: done,
        })
      ),
      0,
      'sync code'
    );
    assertEqual(
      await synced.next(),
      [0, PRIVATE, userB, '', last.sentTime],
      'onConversationReadStatusSynced'
    );
    assertParamError(
      await actionCode('sync a chatroom', (done) =>
        phone!.syncConversationReadStatus(RCIMIWConversationType.CHATROOM, 'room', null, 1, {
          onConversationReadStatusSynced: done,
        })
      ),
      'syncConversationReadStatus(CHATROOM)'
    );
    await signOut(phone);

    const received = recorder('onConversationReadStatusSyncMessageReceived');
    tablet.setOnConversationReadStatusSyncMessageReceivedListener(received.fn);
    await connect(tablet, env.tokens[userA]);
    assertEqual(
      await received.next(),
      [PRIVATE, userB, last.sentTime],
      'the tablet is told of the read position'
    );
    assertEqual(await unread(tablet, userB), 0, "the tablet's unread count");
  } finally {
    await destroyAll(tablet, b, phone);
  }
}
