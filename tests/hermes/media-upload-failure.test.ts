// @media-fixtures
// An upload that fails (the file service is unreachable) ends with onMediaMessageSent(34011);
// the message stays stored as FAILED with its local path and nothing reaches B (R083). Sent
// again — the same stored message, from an engine that reaches the file service — it is
// uploaded again and delivered, and A still has one record of it.
import {
  RCIMIWEngine,
  RCIMIWSentStatus,
  type RCIMIWFileMessage,
  type RCIMIWMessage,
} from 'react-native-rcim';
import {
  Codes,
  assertSameFile,
  created,
  download,
  fixtures,
  messageById,
  messageCount,
  startUpload,
  upload,
} from './media-support';
import {
  PRIVATE,
  assert,
  assertEqual,
  connect,
  destroyAll,
  engineOptions,
  hostEnv,
  sleep,
  waitFor,
} from './support';

// Nothing listens on the discard port of loopback: every upload is refused at once.
const UNREACHABLE = 'http://127.0.0.1:9';

export default async function () {
  const env = hostEnv();
  const bin = fixtures()['random-2mb.bin'];
  const [userA, userB] = env.users;
  let broken: RCIMIWEngine | undefined = RCIMIWEngine.createStandalone(
    env.appKey,
    engineOptions(env, { fileServer: UNREACHABLE })
  );
  let a: RCIMIWEngine | undefined;
  const b = RCIMIWEngine.createStandalone(env.appKey, engineOptions(env));
  try {
    const received: RCIMIWMessage[] = [];
    b.setOnMessageReceivedListener((m) => received.push(m));
    assertEqual(await connect(b, env.tokens[userB]), userB, 'B userId');
    assertEqual(await connect(broken, env.tokens[userA]), userA, 'A (broken file server) userId');

    const file = created(await broken.createFileMessage(PRIVATE, userB, null, bin.path), 'file');
    const t = await startUpload(broken, file);
    assertEqual(t.status, 0, 'sendMediaMessage status');
    const failed = await waitFor('onMediaMessageSent', () => t.done, 30000);
    assertEqual(failed.code, Codes.FILE_UPLOAD_FAILED, 'onMediaMessageSent code');
    assert(t.saved?.messageId, 'attached (stored) before the upload');
    const messageId = t.saved.messageId;
    const stored = (await messageById(broken, messageId)) as RCIMIWFileMessage;
    assertEqual(stored.sentStatus, RCIMIWSentStatus.FAILED, 'stored sentStatus after the failure');
    assertEqual(stored.local, t.saved.local, 'local path kept after the failure');
    await sleep(500);
    assertEqual(received.length, 0, 'B received nothing');
    await broken.destroy();
    broken = undefined;

    // The same stored message, resent by an engine that reaches the file service.
    a = RCIMIWEngine.createStandalone(env.appKey, engineOptions(env));
    assertEqual(await connect(a, env.tokens[userA]), userA, 'A userId');
    const again = (await messageById(a, messageId)) as RCIMIWFileMessage;
    const sent = await upload(a, again, 'resend after a failed upload');
    assertEqual(sent.messageId, messageId, 'the resend keeps the messageId');
    assertEqual(sent.sentStatus, RCIMIWSentStatus.SENT, 'sentStatus after the resend');
    const got = (await waitFor('B receives the resent file', () =>
      received.find((m) => m.messageUId === sent.messageUId)
    )) as RCIMIWFileMessage;
    assertEqual(await messageCount(a, userB), 1, "A's stored messages: one record");
    const done = await download(b, got, 'resent file');
    assertSameFile(done.local, bin, 'resent file downloaded');
  } finally {
    await destroyAll(broken, a, b);
  }
}
