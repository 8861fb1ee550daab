// @media-fixtures
// Every media type, A to B with real files: image (a 1600x1200 JPEG sent as the original, and
// a 1200x900 PNG the engine compresses), GIF, voice (a WAV tone), sight (a video-named file),
// file (2 MB of random bytes). Each upload reports attached, rising progress ending at 100
// and sent with a remote URL; B receives the typed message with its fields and no local
// path, downloads it (progress again), and the bytes equal the original (SHA-256) — for the
// compressed PNG, a well-formed image within originalImageSize. Image thumbnails are
// well-formed images within thumbnailMaxSize. The downloaded path is kept in B's store.
import {
  RCIMIWMessageType,
  RCIMIWSentStatus,
  type RCIMIWFileMessage,
  type RCIMIWGIFMessage,
  type RCIMIWImageMessage,
  type RCIMIWMediaMessage,
  type RCIMIWMessage,
  type RCIMIWSightMessage,
  type RCIMIWVoiceMessage,
} from 'react-native-rcim';
import {
  assertSameFile,
  assertThumbnail,
  created,
  download,
  fixtures,
  hostFs,
  imageInfo,
  messageById,
  messageCount,
  upload,
  type Fixture,
} from './media-support';
import { PRIVATE, assert, assertEqual, destroyAll, hostEnv, twoEngines, waitFor } from './support';

const THUMBNAIL_MAX = 160;
const ORIGINAL_IMAGE_SIZE = 800;

export default async function () {
  const env = hostEnv();
  const files = fixtures();
  const { a, b, userA, userB } = await twoEngines(env, {
    compressOptions: {
      thumbnailMaxSize: THUMBNAIL_MAX,
      thumbnailQuality: 40,
      originalImageSize: ORIGINAL_IMAGE_SIZE,
    },
  });
  try {
    const received: RCIMIWMessage[] = [];
    b.setOnMessageReceivedListener((m) => received.push(m));

    /** Sends `message` from A, waits until B has it; returns [sent, received]. */
    async function sendAndReceive<M extends RCIMIWMediaMessage>(
      value: M | number,
      what: string
    ): Promise<[M, M]> {
      const message = created(value, what);
      const sent = await upload(a, message, what);
      assertEqual(sent.sentStatus, RCIMIWSentStatus.SENT, `${what}: sentStatus`);
      const got = await waitFor(`${what}: B receives it`, () =>
        received.find((m) => m.messageUId === sent.messageUId)
      );
      assertEqual(got.messageType, message.messageType, `${what}: received messageType`);
      assertEqual(got.senderUserId, userA, `${what}: senderUserId`);
      assertEqual((got as M).remote, sent.remote, `${what}: received remote URL`);
      assert(!(got as M).local, `${what}: nothing local before the download`);
      return [sent, got as M];
    }

    /** B downloads `got`; the file has the bytes of `fixture`; the path is kept in the store. */
    async function downloadSame(got: RCIMIWMediaMessage, fixture: Fixture, what: string) {
      const done = await download(b, got, what);
      assertSameFile(done.local, fixture, `${what} downloaded`);
      const stored = (await messageById(b, got.messageId!)) as RCIMIWMediaMessage;
      assertEqual(stored.local, done.local, `${what}: local path kept in B's store`);
      return done;
    }

    // Image, sent as the original: the bytes travel unchanged.
    const jpg = files['photo.jpg'];
    const image = created(await a.createImageMessage(PRIVATE, userB, null, jpg.path), 'image');
    assertEqual(image.messageType, RCIMIWMessageType.IMAGE, 'createImageMessage messageType');
    assertEqual(image.local, jpg.path, 'createImageMessage local');
    image.original = true;
    const [sentImage, gotImage] = await sendAndReceive<RCIMIWImageMessage>(image, 'original JPEG');
    assertThumbnail(sentImage.thumbnailBase64String, THUMBNAIL_MAX, 'sent JPEG');
    assertEqual(gotImage.original, true, 'received original flag');
    const thumb = assertThumbnail(gotImage.thumbnailBase64String, THUMBNAIL_MAX, 'received JPEG');
    // The thumbnail keeps the aspect ratio (4:3) within a pixel.
    assert(
      Math.abs(thumb.width * 3 - thumb.height * 4) <= 4,
      `thumbnail ${thumb.width}x${thumb.height} is not 4:3`
    );
    await downloadSame(gotImage, jpg, 'original JPEG');

    // Image the engine compresses: a well-formed image within originalImageSize.
    const png = files['photo.png'];
    const compressed = created(await a.createImageMessage(PRIVATE, userB, null, png.path), 'PNG');
    const [, gotPng] = await sendAndReceive<RCIMIWImageMessage>(compressed, 'compressed PNG');
    assertThumbnail(gotPng.thumbnailBase64String, THUMBNAIL_MAX, 'received PNG');
    const pngDone = await download(b, gotPng, 'compressed PNG');
    assert(pngDone.local && hostFs().stat(pngDone.local), 'compressed PNG: downloaded file');
    const pngInfo = imageInfo(new Uint8Array(hostFs().readFile(pngDone.local)), 'compressed PNG');
    assert(
      Math.max(pngInfo.width, pngInfo.height) <= ORIGINAL_IMAGE_SIZE,
      `compressed image ${pngInfo.width}x${pngInfo.height} over originalImageSize`
    );

    // GIF: size and dimensions read from the file, bytes unchanged.
    const gifFile = files['anim.gif'];
    const gif = await a.createGIFMessage(PRIVATE, userB, null, gifFile.path);
    const [sentGif, gotGif] = await sendAndReceive<RCIMIWGIFMessage>(gif, 'GIF');
    assertEqual(
      [sentGif.dataSize, sentGif.width, sentGif.height],
      [gifFile.size, gifFile.width, gifFile.height],
      'sent GIF dataSize/width/height'
    );
    assertEqual(
      [gotGif.dataSize, gotGif.width, gotGif.height],
      [gifFile.size, gifFile.width, gifFile.height],
      'received GIF dataSize/width/height'
    );
    await downloadSame(gotGif, gifFile, 'GIF');

    // Voice (high quality): duration travels.
    const wav = files['voice.wav'];
    const voice = await a.createVoiceMessage(PRIVATE, userB, null, wav.path, 2);
    const [, gotVoice] = await sendAndReceive<RCIMIWVoiceMessage>(voice, 'voice');
    assertEqual(gotVoice.duration, 2, 'received voice duration');
    await downloadSame(gotVoice, wav, 'voice');

    // Sight (short video): name, size, duration travel; the Linux host makes no thumbnail.
    const clip = files['clip.mp4'];
    const sight = await a.createSightMessage(PRIVATE, userB, null, clip.path, 9);
    const [, gotSight] = await sendAndReceive<RCIMIWSightMessage>(sight, 'sight');
    assertEqual(
      [gotSight.name, gotSight.size, gotSight.duration],
      ['clip.mp4', clip.size, 9],
      'received sight name/size/duration'
    );
    await downloadSame(gotSight, clip, 'sight');

    // File: name, type, size travel.
    const bin = files['random-2mb.bin'];
    const file = await a.createFileMessage(PRIVATE, userB, null, bin.path);
    const [sentFile, gotFile] = await sendAndReceive<RCIMIWFileMessage>(file, 'file');
    assertEqual(
      [sentFile.name, sentFile.fileType, sentFile.size],
      ['random-2mb.bin', 'bin', bin.size],
      'sent file name/fileType/size'
    );
    assertEqual(
      [gotFile.name, gotFile.fileType, gotFile.size],
      ['random-2mb.bin', 'bin', bin.size],
      'received file name/fileType/size'
    );
    await downloadSame(gotFile, bin, 'file');

    // Every media message is stored on both sides, once.
    assertEqual(await messageCount(a, userB), 6, "A's stored messages");
    assertEqual(await messageCount(b, userA), 6, "B's stored messages");
  } finally {
    await destroyAll(a, b);
  }
}
