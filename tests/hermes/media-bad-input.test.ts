// @media-fixtures
// Bad input gets the documented code (ISSUE7.md "Codes"), wherever the engine finds it
// (create*Message or sendMediaMessage), stores nothing, sends nothing, and the engine goes on
// working: a missing file or a directory 34234, an empty file 34018, a file over the file limit
// 26106, a GIF over the GIF limit 34003, a sight over 120 s 34002, an over-long channelId 1;
// a media message given to sendMessage 1, a text given to sendMediaMessage 34223, RECALL and
// UNKNOWN messages given to sendMessage 1, a download without a remote URL 34235.
import { RCIMIWMessageType, type RCIMIWMediaMessage, type RCIMIWMessage } from 'react-native-rcim';
import {
  Codes,
  created,
  fixtures,
  mediaSendCode,
  messageCount,
  startDownload,
} from './media-support';
import {
  PRIVATE,
  assertEqual,
  destroyAll,
  hostEnv,
  sendText,
  sleep,
  twoEngines,
  waitFor,
} from './support';

export default async function () {
  const env = hostEnv();
  const files = fixtures();
  const { a, b, userA, userB } = await twoEngines(env);
  try {
    const receivedByB: RCIMIWMessage[] = [];
    b.setOnMessageReceivedListener((m) => receivedByB.push(m));
    const to = (channelId: string | null = null) => [PRIVATE, userB, channelId] as const;

    const cases: Array<[string, () => Promise<RCIMIWMediaMessage | number>, number]> = [
      [
        'missing image path',
        () => a.createImageMessage(...to(), files.missing.path),
        Codes.INVALID_LOCAL_PATH,
      ],
      [
        'directory as a file',
        () => a.createFileMessage(...to(), files.directory.path),
        Codes.INVALID_LOCAL_PATH,
      ],
      ['empty file', () => a.createFileMessage(...to(), files['empty.txt'].path), Codes.EMPTY_FILE],
      [
        'file over the file limit',
        () => a.createFileMessage(...to(), files['over-limit.bin'].path),
        Codes.FILE_SIZE_LIMIT,
      ],
      [
        'GIF over the GIF limit',
        () => a.createGIFMessage(...to(), files['huge.gif'].path),
        Codes.GIF_SIZE_LIMIT,
      ],
      [
        'sight over 120 s',
        () => a.createSightMessage(...to(), files['clip.mp4'].path, 121),
        Codes.SIGHT_DURATION_LIMIT,
      ],
      [
        'over-long channelId (image)',
        () => a.createImageMessage(...to('c'.repeat(21)), files['photo.jpg'].path),
        Codes.PARAM_ERROR,
      ],
    ];
    for (const [what, create, code] of cases) {
      assertEqual(await mediaSendCode(a, create, what), code, `${what}: code`);
    }

    // Over-long channelId on a text: refused by create (or by send).
    const longText = (await a.createTextMessage(PRIVATE, userB, 'c'.repeat(21), 'x')) as unknown;
    if (typeof longText === 'number') {
      assertEqual(longText, Codes.PARAM_ERROR, 'over-long channelId (text): create code');
    } else {
      assertEqual(
        await a.sendMessage(longText as RCIMIWMessage),
        Codes.PARAM_ERROR,
        'over-long channelId (text): sendMessage status'
      );
    }

    // The wrong send method, and messages that cannot be sent.
    const image = created(
      await a.createImageMessage(PRIVATE, userB, null, files['photo.jpg'].path),
      'image'
    );
    assertEqual(await a.sendMessage(image), Codes.PARAM_ERROR, 'media message to sendMessage');
    assertEqual(
      await a.sendMediaMessage({ ...image, channelId: 'c'.repeat(21) }),
      Codes.PARAM_ERROR,
      'over-long channelId (image): sendMediaMessage status'
    );
    const text = await a.createTextMessage(PRIVATE, userB, null, 'not media');
    assertEqual(
      await a.sendMediaMessage(text),
      Codes.NOT_MEDIA_MESSAGE,
      'text message to sendMediaMessage'
    );
    const base = { conversationType: PRIVATE, targetId: userB, channelId: '' };
    assertEqual(
      await a.sendMessage({ ...base, messageType: RCIMIWMessageType.RECALL }),
      Codes.PARAM_ERROR,
      'RECALL message to sendMessage'
    );
    assertEqual(
      await a.sendMessage({ ...base, messageType: RCIMIWMessageType.UNKNOWN }),
      Codes.PARAM_ERROR,
      'UNKNOWN message to sendMessage'
    );

    // A download without a remote URL: refused at once or through onMediaMessageDownloaded.
    const t = await startDownload(a, image);
    const downloadCode =
      t.status !== 0 ? t.status : (await waitFor('onMediaMessageDownloaded', () => t.done)).code;
    assertEqual(downloadCode, Codes.NO_MEDIA_URL, 'download without a remote URL');

    // Nothing stored, nothing sent; the engine still works.
    await sleep(500);
    assertEqual(await messageCount(a, userB), 0, "A's stored messages after the bad input");
    assertEqual(receivedByB.length, 0, 'B received nothing');
    await sendText(a, userB, 'still working');
    await waitFor('B receives the text after the bad input', () => receivedByB.length === 1);
    assertEqual(await messageCount(b, userA), 1, "B's stored messages");
  } finally {
    await destroyAll(a, b);
  }
}
