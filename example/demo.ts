/**
 * RCIM demo (run with `npm run demo`): two users chat through a local rcim-server and share a
 * photo (compressed, thumbnailed, uploaded to the server's file service, downloaded by the
 * other), then the conversation lists and the history are printed as a transcript.
 *
 * Runs inside rcim-jshost, which provides `globalThis.__rcimHostEnv` (RCIM_NAVI,
 * RCIM_APP_KEY, RCIM_TOKENS = {userId: token}, RCIM_DEMO_PHOTO = a JPEG on disk). In an app
 * the same calls work unchanged: `RCIMIWEngine.create(appKey, { naviServer })`,
 * `connect(token, 0)`, `sendMessage(...)`, `sendMediaMessage(...)`.
 */
import {
  RCIMIWConversationType,
  RCIMIWEngine,
  RCIMIWMessageType,
  RCIMIWMessageOperationPolicy,
  RCIMIWSentStatus,
  RCIMIWTimeOrder,
  type RCIMIWConversation,
  type RCIMIWImageMessage,
  type RCIMIWMediaMessage,
  type RCIMIWMessage,
  type RCIMIWTextMessage,
} from 'react-native-rcim';

const PRIVATE = RCIMIWConversationType.PRIVATE;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function until<T>(what: string, check: () => T | undefined, ms = 15000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = check();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

function connect(engine: RCIMIWEngine, token: string): Promise<string> {
  return new Promise((resolve, reject) => {
    engine
      .connect(token, 0, {
        onConnected: (code, userId) =>
          code === 0 ? resolve(userId) : reject(new Error(`connect: ${code}`)),
      })
      .then((status) => status !== 0 && reject(new Error(`connect status ${status}`)));
  });
}

function getConversations(engine: RCIMIWEngine): Promise<RCIMIWConversation[]> {
  return new Promise((resolve, reject) => {
    engine.getConversations([PRIVATE], null, 0, 20, {
      onSuccess: resolve,
      onError: (code) => reject(new Error(`getConversations: ${code}`)),
    });
  });
}

function getHistory(engine: RCIMIWEngine, targetId: string): Promise<RCIMIWMessage[]> {
  return new Promise((resolve, reject) => {
    engine.getMessages(
      PRIVATE,
      targetId,
      null,
      0,
      RCIMIWTimeOrder.BEFORE,
      RCIMIWMessageOperationPolicy.LOCAL,
      20,
      { onSuccess: resolve, onError: (code) => reject(new Error(`getMessages: ${code}`)) }
    );
  });
}

const time = (ms?: number) => (ms ? new Date(ms).toISOString().slice(11, 19) : '--:--:--');
const text = (m?: RCIMIWMessage) =>
  m?.messageType === RCIMIWMessageType.IMAGE
    ? '[photo]'
    : ((m as RCIMIWTextMessage | undefined)?.text ?? '');
const status = (m: RCIMIWMessage) =>
  m.direction === 1
    ? 'received'
    : m.sentStatus === RCIMIWSentStatus.SENT
      ? 'sent'
      : `status ${m.sentStatus}`;

/** Alice sends the photo with sendMediaMessage; bob receives it and downloads the original. */
async function sharePhoto(
  from: RCIMIWEngine,
  to: RCIMIWEngine,
  alice: string,
  bob: string,
  path: string
) {
  console.log(`\n-- photo --`);
  let arrived: RCIMIWImageMessage | undefined;
  to.setOnMessageReceivedListener((m) => {
    if (m.messageType === RCIMIWMessageType.IMAGE) arrived = m as RCIMIWImageMessage;
  });
  const photo = await from.createImageMessage(PRIVATE, bob, null, path);
  let sent: { code: number; message: RCIMIWMediaMessage } | undefined;
  let shown = -1;
  const status = await from.sendMediaMessage(photo, {
    onMediaMessageSending: (_m, progress) => {
      if (progress >= shown + 25 || progress === 100) {
        shown = progress;
        console.log(`  ${alice} uploading… ${progress}%`);
      }
    },
    onMediaMessageSent: (code, message) => (sent = { code, message }),
  });
  if (status !== 0) throw new Error(`sendMediaMessage status ${status}`);
  const result = await until('onMediaMessageSent', () => sent);
  if (result.code !== 0) throw new Error(`onMediaMessageSent code ${result.code}`);
  console.log(`  ${alice} -> ${bob}: a photo, now at ${result.message.remote}`);
  const got = await until(`${bob} receiving the photo`, () => arrived);
  const thumb = got.thumbnailBase64String ?? '';
  console.log(
    `      (${bob} received it with a ${Math.round((thumb.length * 3) / 4)}-byte thumbnail)`
  );
  let downloaded: { code: number; message: RCIMIWMediaMessage } | undefined;
  await to.downloadMediaMessage(got, {
    onMediaMessageDownloaded: (code, message) => (downloaded = { code, message }),
  });
  const d = await until('onMediaMessageDownloaded', () => downloaded);
  if (d.code !== 0) throw new Error(`onMediaMessageDownloaded code ${d.code}`);
  console.log(`      (${bob} downloaded it to ${d.message.local})`);
}

export default async function demo() {
  const env = (globalThis as { __rcimHostEnv?: { [k: string]: string } }).__rcimHostEnv ?? {};
  const tokens = JSON.parse(env.RCIM_TOKENS ?? '{}') as { [userId: string]: string };
  const [alice, bob] = Object.keys(tokens);
  if (!alice || !bob) throw new Error('RCIM_TOKENS must hold two users');
  const options = { naviServer: env.RCIM_NAVI };

  // The app's engine (singleton) for the first user; a second, independent engine for the other.
  const engines: { [userId: string]: RCIMIWEngine } = {
    [alice]: RCIMIWEngine.create(env.RCIM_APP_KEY, options),
    [bob]: RCIMIWEngine.createStandalone(env.RCIM_APP_KEY, options),
  };
  try {
    for (const user of [alice, bob]) {
      const engine = engines[user];
      console.log(`${user} connected as "${await connect(engine, tokens[user])}"`);
    }

    const script: Array<[string, string]> = [
      [alice, `Hi ${bob}! This message went through our own server.`],
      [bob, `Hello ${alice}, loud and clear.`],
      [alice, 'Shall we ship the RCIM SDK today?'],
      [bob, 'Tests are green on Hermes, so yes.'],
      [alice, 'See you in the release notes.'],
    ];
    console.log('\n-- chat --');
    let received = 0;
    for (const [from, line] of script) {
      const to = from === alice ? bob : alice;
      const engine = engines[from];
      const before = received;
      engines[to].setOnMessageReceivedListener((m) => {
        received++;
        console.log(`      (${to} received it from ${m.senderUserId})`);
      });
      console.log(`  ${from} -> ${to}: ${line}`);
      const msg = await engine.createTextMessage(PRIVATE, to, null, line);
      let sent: number | undefined;
      const code = await engine.sendMessage(msg, { onMessageSent: (c) => (sent = c) });
      if (code !== 0) throw new Error(`sendMessage status ${code}`);
      const result = await until('onMessageSent', () => sent);
      if (result !== 0) throw new Error(`onMessageSent code ${result}`);
      await until(`${to} receiving`, () => (received > before ? true : undefined));
    }

    if (env.RCIM_DEMO_PHOTO) {
      await sharePhoto(engines[alice], engines[bob], alice, bob, env.RCIM_DEMO_PHOTO);
    }

    for (const user of [alice, bob]) {
      console.log(`\n-- ${user}'s conversations --`);
      for (const c of await getConversations(engines[user])) {
        console.log(
          `  ${c.targetId}  unread ${c.unreadCount}  last [${time(c.lastMessage?.sentTime)}] ${text(c.lastMessage)}`
        );
      }
    }

    console.log(`\n-- transcript (${alice}'s history with ${bob}) --`);
    const history = (await getHistory(engines[alice], bob)).slice().reverse();
    for (const m of history) {
      console.log(`  [${time(m.sentTime)}] ${m.senderUserId}: ${text(m)}  (${status(m)})`);
    }
  } finally {
    await engines[bob].destroy();
    await engines[alice].destroy();
  }
}
