// @media-fixtures
// @file-proxy: 1000000 4000000
// Cancelling midway, through the runner's file proxy (bodies at full speed for 1 MB, then
// 4 MB/s, so a 16 MiB transfer is still running when the test cancels it):
// - an upload: the send's listener gets onSendingMediaMessageCanceled and nothing else, the
//   cancel call's callback onCancelSendingMediaMessageCalled(0, message), the slot
//   setOnSendingMediaMessageCanceledListener(0, message) once; the stored message is CANCELED
//   with its local path; B receives nothing; sending the same object again uploads it again
//   and B gets it once;
// - a download: the same three, no onMediaMessageDownloaded, nothing local in B's store; a
//   second downloadMediaMessage resumes: the proxy sees `Range: bytes=N-` (N > 0) and serves
//   only the rest, and the file equals the original (SHA-256);
// - an upload cancelled from its own onMediaMessageSaved (the attached event): the cancel is
//   accepted (0), the send ends with onSendingMediaMessageCanceled and no
//   onMediaMessageSent, the stored message is CANCELED and B receives nothing.
import {
  RCIMIWSentStatus,
  type RCIMIWFileMessage,
  type RCIMIWMediaMessage,
  type RCIMIWMessage,
} from 'react-native-rcim';
import {
  assertProgress,
  assertSameFile,
  created,
  fixtures,
  messageById,
  messageCount,
  proxyLog,
  startDownload,
  startUpload,
  upload,
  type Transfer,
} from './media-support';
import {
  PRIVATE,
  assert,
  assertEqual,
  destroyAll,
  hostEnv,
  sleep,
  twoEngines,
  waitFor,
} from './support';

/** Waits until `t` has reported progress in 1..99 (it is running, not done). */
async function midway(t: Transfer, what: string): Promise<number> {
  const p = await waitFor(`${what}: progress in 1..99`, () => {
    assert(!t.done, `${what}: finished before it could be cancelled (${JSON.stringify(t.done)})`);
    const last = t.progress[t.progress.length - 1];
    return last !== undefined && last > 0 && last < 100 ? last : undefined;
  });
  return p;
}

export default async function () {
  const env = hostEnv();
  assert(env.fileServer, 'RCIM_FILE_SERVER is missing: the test needs `// @file-proxy`');
  const big = fixtures()['big-16mb.bin'];
  const { a, b, userB } = await twoEngines(env);
  try {
    const received: RCIMIWMessage[] = [];
    b.setOnMessageReceivedListener((m) => received.push(m));
    const sendCanceledSlot: Array<[number, RCIMIWMediaMessage]> = [];
    a.setOnSendingMediaMessageCanceledListener((code, m) => sendCanceledSlot.push([code, m]));
    const downloadCanceledSlot: Array<[number, RCIMIWMediaMessage]> = [];
    b.setOnDownloadingMediaMessageCanceledListener((code, m) =>
      downloadCanceledSlot.push([code, m])
    );

    // ---- upload cancelled midway ----
    const file = created(await a.createFileMessage(PRIVATE, userB, null, big.path), 'file');
    const up = await startUpload(a, file);
    assertEqual(up.status, 0, 'sendMediaMessage status');
    await midway(up, 'upload');
    assert(up.saved?.messageId, 'upload: attached with a messageId before the upload');
    let cancelCalled: [number, RCIMIWMediaMessage] | undefined;
    const cancelStatus = await a.cancelSendingMediaMessage(up.saved, {
      onCancelSendingMediaMessageCalled: (code, m) => (cancelCalled = [code, m]),
    });
    assertEqual(cancelStatus, 0, 'cancelSendingMediaMessage status');
    const [cancelCode, cancelMessage] = await waitFor(
      'onCancelSendingMediaMessageCalled',
      () => cancelCalled
    );
    assertEqual(cancelCode, 0, 'onCancelSendingMediaMessageCalled code');
    assertEqual(cancelMessage.messageId, up.saved.messageId, 'cancelled messageId');
    await waitFor('send listener onSendingMediaMessageCanceled', () => up.canceled);
    await waitFor('slot onSendingMediaMessageCanceled', () => sendCanceledSlot.length > 0);
    await sleep(1500); // nothing else may follow
    assertEqual(sendCanceledSlot.length, 1, 'slot onSendingMediaMessageCanceled count');
    assertEqual(sendCanceledSlot[0][0], 0, 'slot onSendingMediaMessageCanceled code');
    assertEqual(up.done, undefined, 'no onMediaMessageSent after the cancel');
    const canceled = (await messageById(a, up.saved.messageId)) as RCIMIWFileMessage;
    assertEqual(canceled.sentStatus, RCIMIWSentStatus.CANCELED, 'stored sentStatus after cancel');
    assertEqual(canceled.local, up.saved.local, 'local path kept after cancel');
    assertEqual(received.length, 0, 'B received nothing');
    const puts = proxyLog().filter((r) => r.method === 'PUT');
    assert(
      puts.length === 1 && !puts[0].complete && puts[0].requestBytes < big.size,
      `the cancelled upload stopped midway: ${JSON.stringify(puts)}`
    );

    // Same object again: uploaded again, delivered once, still one stored record.
    const sent = await upload(a, canceled, 'resent after cancel');
    assertEqual(sent.messageId, canceled.messageId, 'resend keeps the messageId');
    const got = (await waitFor('B receives the resent file', () =>
      received.find((m) => m.messageUId === sent.messageUId)
    )) as RCIMIWFileMessage;
    assertEqual(await messageCount(a, userB), 1, "A's stored messages after the resend");

    // ---- download cancelled midway, then resumed ----
    const down = await startDownload(b, got);
    assertEqual(down.status, 0, 'downloadMediaMessage status');
    await midway(down, 'download');
    let dlCancelCalled: [number, RCIMIWMediaMessage] | undefined;
    assertEqual(
      await b.cancelDownloadingMediaMessage(got, {
        onCancelDownloadingMediaMessageCalled: (code, m) => (dlCancelCalled = [code, m]),
      }),
      0,
      'cancelDownloadingMediaMessage status'
    );
    const [dlCode] = await waitFor('onCancelDownloadingMediaMessageCalled', () => dlCancelCalled);
    assertEqual(dlCode, 0, 'onCancelDownloadingMediaMessageCalled code');
    await waitFor('download listener onDownloadingMediaMessageCanceled', () => down.canceled);
    await waitFor('slot onDownloadingMediaMessageCanceled', () => downloadCanceledSlot.length > 0);
    await sleep(1500);
    assertEqual(downloadCanceledSlot.length, 1, 'slot onDownloadingMediaMessageCanceled count');
    assertEqual(down.done, undefined, 'no onMediaMessageDownloaded after the cancel');
    const notYet = (await messageById(b, got.messageId!)) as RCIMIWFileMessage;
    assert(!notYet.local, `nothing local after a cancelled download (${notYet.local})`);

    const resumed = await startDownload(b, got);
    assertEqual(resumed.status, 0, 'resumed downloadMediaMessage status');
    const done = await waitFor('resumed onMediaMessageDownloaded', () => resumed.done, 30000);
    assertEqual(done.code, 0, 'resumed onMediaMessageDownloaded code');
    assertProgress(resumed.progress, 'resumed download');
    assertSameFile(done.message.local, big, 'resumed download');
    assertEqual(
      ((await messageById(b, got.messageId!)) as RCIMIWFileMessage).local,
      done.message.local,
      "local path kept in B's store"
    );

    // The proxy saw: a first GET stopped midway, then one asking only for the rest.
    const gets = await waitFor('the proxy logs both downloads', () => {
      const g = proxyLog().filter((r) => r.method === 'GET');
      return g.length >= 2 && g[g.length - 1].complete ? g : undefined;
    });
    const first = gets[0];
    const last = gets[gets.length - 1];
    assert(!first.complete, `the first GET was cut short: ${JSON.stringify(first)}`);
    const from = Number(/^bytes=(\d+)-$/.exec(last.range ?? '')?.[1] ?? NaN);
    assert(from > 0 && from < big.size, `resumed GET asks for the rest: ${JSON.stringify(last)}`);
    assertEqual(last.status, 206, 'resumed GET status');
    assertEqual(last.responseBytes, big.size - from, 'resumed GET body = only the rest');

    // ---- upload cancelled from its attached event ----
    const receivedBefore = received.length;
    const early = created(await a.createFileMessage(PRIVATE, userB, null, big.path), 'file');
    let earlyStatus: Promise<number> | undefined;
    let earlyCalled: [number, RCIMIWMediaMessage] | undefined;
    const atAttached = await startUpload(a, early, (saved) => {
      earlyStatus = a.cancelSendingMediaMessage(saved, {
        onCancelSendingMediaMessageCalled: (code, m) => (earlyCalled = [code, m]),
      });
    });
    assertEqual(atAttached.status, 0, 'sendMediaMessage status (cancel at attached)');
    const cancelAtAttached = await waitFor('cancel called at attached', () => earlyStatus);
    assertEqual(await cancelAtAttached, 0, 'cancelSendingMediaMessage at attached: status');
    const [earlyCode] = await waitFor('onCancelSendingMediaMessageCalled (at attached)', () => {
      return earlyCalled;
    });
    assertEqual(earlyCode, 0, 'onCancelSendingMediaMessageCalled code (at attached)');
    await waitFor('send listener onSendingMediaMessageCanceled (at attached)', () => {
      return atAttached.canceled;
    });
    await sleep(1500); // nothing else may follow
    assertEqual(atAttached.done, undefined, 'no onMediaMessageSent after a cancel at attached');
    const earlyStored = (await messageById(a, atAttached.saved!.messageId!)) as RCIMIWFileMessage;
    assertEqual(
      earlyStored.sentStatus,
      RCIMIWSentStatus.CANCELED,
      'stored sentStatus after a cancel at attached'
    );
    assertEqual(received.length, receivedBefore, 'B received nothing after a cancel at attached');
  } finally {
    await destroyAll(a, b);
  }
}
