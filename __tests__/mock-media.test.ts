/**
 * The shipped Jest mock's message types and media methods, used as an app would: create each
 * type, send media with progress, cancel, download, custom message policies.
 */
import {
  RCIMIWConversationType,
  RCIMIWCustomMessagePolicy,
  RCIMIWEngine,
  RCIMIWMessageType,
  RCIMIWSentStatus,
  type RCIMIWFileMessage,
  type RCIMIWImageMessage,
  type RCIMIWMediaMessage,
  type RCIMIWMessage,
} from 'react-native-rcim';
import { RCIMMock } from 'react-native-rcim/jest';

jest.mock('react-native-rcim', () => require('react-native-rcim/jest'));

const PRIVATE = RCIMIWConversationType.PRIVATE;

afterEach(() => RCIMMock.reset());

async function twoUsers() {
  const alice = RCIMIWEngine.createStandalone('app');
  const bob = RCIMIWEngine.createStandalone('app');
  await alice.connect('alice', 0);
  await bob.connect('bob', 0);
  await RCIMMock.flush();
  return { alice, bob };
}

test('create*Message builds each typed message; bad input resolves its code', async () => {
  const { alice } = await twoUsers();
  const image = await alice.createImageMessage(PRIVATE, 'bob', null, '/tmp/cat.png');
  expect(image).toEqual(
    expect.objectContaining({ messageType: RCIMIWMessageType.IMAGE, local: '/tmp/cat.png' })
  );
  const file = await alice.createFileMessage(PRIVATE, 'bob', null, '/tmp/report.pdf');
  expect(file).toEqual(expect.objectContaining({ name: 'report.pdf', fileType: 'pdf' }));
  const sight = await alice.createSightMessage(PRIVATE, 'bob', null, '/tmp/clip.mp4', 12);
  expect(sight).toEqual(
    expect.objectContaining({ messageType: 6, duration: 12, name: 'clip.mp4' })
  );
  const voice = await alice.createVoiceMessage(PRIVATE, 'bob', null, '/tmp/hi.aac', 3);
  expect(voice).toEqual(expect.objectContaining({ messageType: 3, duration: 3 }));
  const gif = await alice.createGIFMessage(PRIVATE, 'bob', null, '/tmp/a.gif');
  expect(gif.messageType).toBe(RCIMIWMessageType.GIF);
  const quoted = await alice.createTextMessage(PRIVATE, 'bob', null, 'original');
  const reference = await alice.createReferenceMessage(PRIVATE, 'bob', null, quoted, 'reply');
  expect(reference).toEqual(
    expect.objectContaining({ messageType: 9, text: 'reply', referenceMessage: quoted })
  );
  const custom = await alice.createCustomMessage(
    PRIVATE,
    'bob',
    null,
    RCIMIWCustomMessagePolicy.NORMAL,
    'app:card',
    new Map([['title', 'hello']])
  );
  expect(custom).toEqual(
    expect.objectContaining({ identifier: 'app:card', policy: 1, fields: { title: 'hello' } })
  );
  const location = await alice.createLocationMessage(
    PRIVATE,
    'bob',
    null,
    2.35,
    48.85,
    'Paris',
    '/m.jpg'
  );
  expect(location).toEqual(expect.objectContaining({ messageType: 12, poiName: 'Paris' }));

  await expect(alice.createImageMessage(PRIVATE, 'bob', null, '')).resolves.toBe(34234);
  await expect(alice.createSightMessage(PRIVATE, 'bob', null, '/v.mp4', 121)).resolves.toBe(34002);
  await expect(alice.createImageMessage(PRIVATE, 'bob', 'c'.repeat(21), '/a.png')).resolves.toBe(1);
});

test('sendMediaMessage: attached, rising progress to 100, sent; the peer downloads it', async () => {
  const { alice, bob } = await twoUsers();
  const received: RCIMIWMessage[] = [];
  bob.setOnMessageReceivedListener((m) => received.push(m));
  const seen: string[] = [];
  const file = await alice.createFileMessage(PRIVATE, 'bob', null, '/tmp/report.pdf');
  await expect(
    alice.sendMediaMessage(file, {
      onMediaMessageSaved: (m) => seen.push(`saved:${!!m.messageId}`),
      onMediaMessageSending: (_m, p) => seen.push(`sending:${p}`),
      onMediaMessageSent: (code, m) => seen.push(`sent:${code}:${m.sentStatus}:${!!m.remote}`),
    })
  ).resolves.toBe(0);
  await RCIMMock.flush();
  expect(seen).toEqual([
    'saved:true',
    'sending:25',
    'sending:50',
    'sending:75',
    'sending:100',
    `sent:0:${RCIMIWSentStatus.SENT}:true`,
  ]);

  const got = received[0] as RCIMIWFileMessage;
  expect(got).toEqual(expect.objectContaining({ messageType: 5, name: 'report.pdf', local: '' }));
  expect(got.remote).toMatch(/^https:\/\/mock\.rcim\/media\/.+\/report\.pdf$/);
  const progress: number[] = [];
  let downloaded: RCIMIWMediaMessage | undefined;
  await bob.downloadMediaMessage(got, {
    onMediaMessageDownloading: (_m, p) => progress.push(p),
    onMediaMessageDownloaded: (code, m) => (downloaded = code === 0 ? m : undefined),
  });
  await RCIMMock.flush();
  expect(progress).toEqual([25, 50, 75, 100]);
  expect(downloaded?.local).toMatch(/report\.pdf$/);
  // The local path is kept in the store.
  const stored = RCIMMock.messagesOf('bob').find((m) => m.messageId === got.messageId);
  expect((stored as RCIMIWFileMessage).local).toBe(downloaded?.local);
});

test('cancelling an upload midway ends both calls; a cancelled download resumes', async () => {
  const { alice, bob } = await twoUsers();
  const canceledSlot = jest.fn();
  alice.setOnSendingMediaMessageCanceledListener(canceledSlot);
  const image = await alice.createImageMessage(PRIVATE, 'bob', null, '/tmp/cat.png');
  RCIMMock.holdTransfers();
  let attached: RCIMIWImageMessage | undefined;
  const send = {
    onMediaMessageSaved: (m: RCIMIWImageMessage) => (attached = m),
    onMediaMessageSending: jest.fn(),
    onSendingMediaMessageCanceled: jest.fn(),
    onMediaMessageSent: jest.fn(),
  };
  await alice.sendMediaMessage(image, send);
  await RCIMMock.flush();
  expect(send.onMediaMessageSending).toHaveBeenCalledTimes(1);
  const cancel = { onCancelSendingMediaMessageCalled: jest.fn() };
  await expect(alice.cancelSendingMediaMessage(attached!, cancel)).resolves.toBe(0);
  RCIMMock.releaseTransfers();
  await RCIMMock.flush();
  const canceled = expect.objectContaining({ sentStatus: RCIMIWSentStatus.CANCELED });
  expect(send.onSendingMediaMessageCanceled).toHaveBeenCalledWith(canceled);
  expect(cancel.onCancelSendingMediaMessageCalled).toHaveBeenCalledWith(0, canceled);
  expect(canceledSlot).toHaveBeenCalledTimes(1);
  expect(send.onMediaMessageSent).not.toHaveBeenCalled();
  expect(RCIMMock.messagesOf('bob')).toEqual([]);

  // Resend the same object: uploaded again, delivered.
  const received: RCIMIWMessage[] = [];
  bob.setOnMessageReceivedListener((m) => received.push(m));
  await alice.sendMediaMessage(attached!);
  await RCIMMock.flush();
  expect(received).toHaveLength(1);

  RCIMMock.holdTransfers();
  const progress: number[] = [];
  const download = {
    onMediaMessageDownloading: (_m: RCIMIWMediaMessage, p: number) => progress.push(p),
    onDownloadingMediaMessageCanceled: jest.fn(),
  };
  await bob.downloadMediaMessage(received[0], download);
  await RCIMMock.flush();
  await bob.cancelDownloadingMediaMessage(received[0]);
  await RCIMMock.flush();
  expect(download.onDownloadingMediaMessageCanceled).toHaveBeenCalledTimes(1);
  RCIMMock.releaseTransfers();
  await bob.downloadMediaMessage(received[0], download);
  await RCIMMock.flush();
  // 25 before the cancel; the resumed download goes on from there.
  expect(progress).toEqual([25, 50, 75, 100]);
});

test('send rules: media through sendMessage is PARAM_ERROR, text through sendMediaMessage 34223', async () => {
  const { alice } = await twoUsers();
  const image = await alice.createImageMessage(PRIVATE, 'bob', null, '/tmp/cat.png');
  await expect(alice.sendMessage(image)).resolves.toBe(1);
  const text = await alice.createTextMessage(PRIVATE, 'bob', null, 'hi');
  await expect(alice.sendMediaMessage(text)).resolves.toBe(34223);
  await expect(alice.downloadMediaMessage(image)).resolves.toBe(34235);
});

test('custom message policies decide storage and unread counts on both sides', async () => {
  const kept: Array<[RCIMIWCustomMessagePolicy, boolean, boolean]> = [
    [RCIMIWCustomMessagePolicy.NORMAL, true, true],
    [RCIMIWCustomMessagePolicy.STORAGE, true, false],
    [RCIMIWCustomMessagePolicy.COMMAND, false, false],
    [RCIMIWCustomMessagePolicy.STATUS, false, false],
  ];
  for (const [policy, stored, counted] of kept) {
    RCIMMock.reset();
    const pair = await twoUsers();
    const m = await pair.alice.createCustomMessage(
      PRIVATE,
      'bob',
      null,
      policy,
      'app:ping',
      new Map([['n', String(policy)]])
    );
    let attached: RCIMIWMessage | undefined;
    await pair.alice.sendMessage(m, { onMessageSaved: (x) => (attached = x) });
    await RCIMMock.flush();
    expect([policy, !!attached?.messageId]).toEqual([policy, stored]);
    expect([policy, RCIMMock.messagesOf('alice').length]).toEqual([policy, stored ? 1 : 0]);
    expect([policy, RCIMMock.messagesOf('bob').length]).toEqual([policy, stored ? 1 : 0]);
    const unread = await new Promise<number>((resolve) =>
      pair.bob.getUnreadCount(PRIVATE, 'alice', null, { onSuccess: resolve })
    );
    expect([policy, unread]).toEqual([policy, counted ? 1 : 0]);
  }
});
