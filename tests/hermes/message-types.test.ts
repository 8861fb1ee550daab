// @media-fixtures
// @publish: RC:ImgMsg {"content":"{{jpeg:48x36}}","imageUri":"http://files.example.invalid/media/i1/cat.jpg","full":true}
// @publish: RC:FileMsg {"name":"report.pdf","size":12345,"type":"pdf","fileUrl":"{{fileServer}}/media/nosuchfile/report.pdf"}
// @publish: RC:LBSMsg {"content":"{{jpeg:40x30}}","latitude":39.9087,"longitude":116.3975,"poi":"Tiananmen"}
// @publish: App:NoSuchType {"foo":"bar","n":1}
// @publish: RC:FutureMsg {"what":"a type from a later SDK"}
// The non-media types and RongCloud's object names (issue 7):
// - published by the Server API (directives above, B to A, before A connects): RC:ImgMsg,
//   RC:FileMsg and RC:LBSMsg arrive typed with their fields, unknown object names arrive as
//   UNKNOWN with objectName and the raw content; all are stored and counted; downloading the
//   file, which the file service does not have (HTTP 404), ends with -3;
// - custom messages of the four policies, online: NORMAL stored + counted, STORAGE stored, not
//   counted, COMMAND and STATUS neither (no messageId on the sender either); offline: all but
//   STATUS are delivered when B comes back;
// - a COMMAND (RC:CmdMsg) is delivered and stored nowhere; a COMMAND_NOTIFICATION (RC:CmdNtf)
//   is stored, not counted;
// - location and reference messages (the quoted message travels with the reply);
// - channelId is ignored outside ultra groups: a private message with one arrives with "" and
//   does not split the conversation.
import {
  RCIMIWCustomMessagePolicy,
  RCIMIWEngine,
  RCIMIWMessageType,
  type RCIMIWCommandMessage,
  type RCIMIWCommandNotificationMessage,
  type RCIMIWConversation,
  type RCIMIWCustomMessage,
  type RCIMIWFileMessage,
  type RCIMIWImageMessage,
  type RCIMIWLocationMessage,
  type RCIMIWMessage,
  type RCIMIWReferenceMessage,
  type RCIMIWTextMessage,
  type RCIMIWUnknownMessage,
} from 'react-native-rcim';
import {
  Codes,
  base64Bytes,
  created,
  fixtures,
  imageInfo,
  messageCount,
  startDownload,
  unreadCount,
} from './media-support';
import {
  PRIVATE,
  assert,
  assertEqual,
  connect,
  destroyAll,
  engineOptions,
  hostEnv,
  sendText,
  paceSend,
  sleep,
  twoEngines,
  viaCallback,
  waitFor,
} from './support';

const POLICIES: Array<[string, RCIMIWCustomMessagePolicy, boolean, boolean]> = [
  // name, policy, stored, counted
  ['NORMAL', RCIMIWCustomMessagePolicy.NORMAL, true, true],
  ['STORAGE', RCIMIWCustomMessagePolicy.STORAGE, true, false],
  ['COMMAND', RCIMIWCustomMessagePolicy.COMMAND, false, false],
  ['STATUS', RCIMIWCustomMessagePolicy.STATUS, false, false],
];

/** `o` with its keys sorted (JSON objects from the engine need not keep the sender's order). */
function sorted(o: unknown): unknown {
  if (o === null || typeof o !== 'object' || Array.isArray(o)) return o;
  const out: { [key: string]: unknown } = {};
  for (const k of Object.keys(o).sort()) out[k] = sorted((o as { [key: string]: unknown })[k]);
  return out;
}

/** Sends with sendMessage; resolves what the callback object saw (onMessageSent code 0). */
async function send(engine: RCIMIWEngine, value: RCIMIWMessage | number, what: string) {
  const message = created(value, what);
  let saved: RCIMIWMessage | undefined;
  let sent: { code: number; message: RCIMIWMessage } | undefined;
  await paceSend();
  const status = await engine.sendMessage(message, {
    onMessageSaved: (m) => (saved = m),
    onMessageSent: (code, m) => (sent = { code, message: m }),
  });
  assertEqual(status, 0, `${what}: sendMessage status`);
  const r = await waitFor(`${what}: onMessageSent`, () => sent);
  assertEqual(r.code, 0, `${what}: onMessageSent code`);
  assert(saved, `${what}: onMessageSaved before onMessageSent`);
  return { saved, sent: r.message };
}

export default async function () {
  const env = hostEnv();
  const [userA, userB] = env.users;
  // A's listener is set before it connects: the Server API messages wait for it offline.
  const receivedByA: RCIMIWMessage[] = [];
  RCIMIWEngine.create(env.appKey, engineOptions(env)).setOnMessageReceivedListener((m) =>
    receivedByA.push(m)
  );
  const pair = await twoEngines(env);
  const a = pair.a;
  let b: RCIMIWEngine | undefined = pair.b;
  try {
    const receivedByB: RCIMIWMessage[] = [];
    const listenB = (engine: RCIMIWEngine) =>
      engine.setOnMessageReceivedListener((m) => receivedByB.push(m));
    listenB(b);

    // ---- Server API object names ----
    await waitFor('5 published messages reach A', () => receivedByA.length >= 5);
    const byType = (t: RCIMIWMessageType) => receivedByA.filter((m) => m.messageType === t);
    const img = byType(RCIMIWMessageType.IMAGE)[0] as RCIMIWImageMessage;
    const arrived = receivedByA.map((m) => [m.messageType, (m as RCIMIWUnknownMessage).objectName]);
    assert(
      img,
      `RC:ImgMsg arrives as IMAGE; arrived [type, objectName]: ${JSON.stringify(arrived)}`
    );
    assertEqual(img.remote, 'http://files.example.invalid/media/i1/cat.jpg', 'RC:ImgMsg remote');
    assertEqual(img.original, true, 'RC:ImgMsg full -> original');
    const thumb = imageInfo(base64Bytes(img.thumbnailBase64String ?? ''), 'RC:ImgMsg thumbnail');
    assertEqual([thumb.format, thumb.width, thumb.height], ['jpeg', 48, 36], 'RC:ImgMsg thumb');
    const file = byType(RCIMIWMessageType.FILE)[0] as RCIMIWFileMessage;
    assert(file, 'RC:FileMsg arrives as FILE');
    assertEqual(
      [file.name, file.size, file.fileType, file.remote],
      ['report.pdf', 12345, 'pdf', `${env.navi}/media/nosuchfile/report.pdf`],
      'RC:FileMsg fields'
    );
    const missing = await startDownload(a, file);
    const missingCode =
      missing.status !== 0
        ? missing.status
        : (await waitFor('onMediaMessageDownloaded (404)', () => missing.done)).code;
    assertEqual(missingCode, Codes.MEDIA_NOT_FOUND, 'download of a file the server lacks');
    const lbs = byType(RCIMIWMessageType.LOCATION)[0] as RCIMIWLocationMessage;
    assert(lbs, 'RC:LBSMsg arrives as LOCATION');
    assertEqual(
      [lbs.latitude, lbs.longitude, lbs.poiName],
      [39.9087, 116.3975, 'Tiananmen'],
      'RC:LBSMsg fields'
    );
    const unknown = byType(RCIMIWMessageType.UNKNOWN) as RCIMIWUnknownMessage[];
    assertEqual(
      unknown.map((u) => u.objectName).sort(),
      ['App:NoSuchType', 'RC:FutureMsg'],
      'unknown object names arrive as UNKNOWN'
    );
    const raw = unknown.find((u) => u.objectName === 'App:NoSuchType')!.rawData ?? '';
    assertEqual(sorted(JSON.parse(raw)), { foo: 'bar', n: 1 }, 'UNKNOWN rawData keeps the content');
    for (const m of receivedByA) assertEqual(m.senderUserId, userB, 'published sender');
    assertEqual(await messageCount(a, userB), 5, "A's stored messages (published)");
    assertEqual(await unreadCount(a, userB), 5, "A's unread (published)");
    receivedByA.length = 0;

    // ---- custom messages, online ----
    let countA = 5;
    let countB = await messageCount(b, userA);
    let unreadB = await unreadCount(b, userA);
    for (const [name, policy, stored, counted] of POLICIES) {
      const fields = new Map([
        ['policy', name],
        ['when', 'online'],
      ]);
      const m = await a.createCustomMessage(PRIVATE, userB, null, policy, `app:${name}`, fields);
      assertEqual(created(m, name).messageType, RCIMIWMessageType.CUSTOM, `${name}: messageType`);
      const { saved } = await send(a, m, `custom ${name}`);
      assertEqual(!!saved.messageId, stored, `${name}: sender's attached message has a messageId`);
      const got = (await waitFor(`B receives custom ${name}`, () =>
        receivedByB.find((x) => (x as RCIMIWCustomMessage).identifier === `app:${name}`)
      )) as RCIMIWCustomMessage;
      assertEqual(
        [got.messageType, got.policy, sorted(got.fields)],
        [RCIMIWMessageType.CUSTOM, policy, { policy: name, when: 'online' }],
        `${name}: received type/policy/fields`
      );
      assertEqual(!!got.messageId, stored, `${name}: receiver's message has a messageId`);
      if (stored) {
        countA++;
        countB++;
      }
      if (counted) unreadB++;
      assertEqual(await messageCount(a, userB), countA, `${name}: A's stored messages`);
      assertEqual(await messageCount(b, userA), countB, `${name}: B's stored messages`);
      assertEqual(await unreadCount(b, userA), unreadB, `${name}: B's unread`);
    }

    // ---- command (not stored) and command notification (stored, not counted) ----
    const command: RCIMIWCommandMessage = {
      conversationType: PRIVATE,
      targetId: userB,
      channelId: '',
      messageType: RCIMIWMessageType.COMMAND,
      name: 'refresh',
      data: '{"k":1}',
    };
    const cmd = await send(a, command, 'command');
    assert(!cmd.saved.messageId, 'a COMMAND is attached without a messageId');
    const gotCmd = (await waitFor('B receives the command', () =>
      receivedByB.find((x) => x.messageType === RCIMIWMessageType.COMMAND)
    )) as RCIMIWCommandMessage;
    assertEqual([gotCmd.name, gotCmd.data], ['refresh', '{"k":1}'], 'command name/data');
    const notification: RCIMIWCommandNotificationMessage = {
      ...command,
      messageType: RCIMIWMessageType.COMMAND_NOTIFICATION,
      name: 'joined',
      data: 'welcome',
    };
    const ntf = await send(a, notification, 'command notification');
    assert(ntf.saved.messageId, 'a COMMAND_NOTIFICATION is stored on send');
    const gotNtf = (await waitFor('B receives the command notification', () =>
      receivedByB.find((x) => x.messageType === RCIMIWMessageType.COMMAND_NOTIFICATION)
    )) as RCIMIWCommandNotificationMessage;
    assertEqual([gotNtf.name, gotNtf.data], ['joined', 'welcome'], 'command notification');
    countA++;
    countB++;
    assertEqual(await messageCount(a, userB), countA, "A's stored messages after commands");
    assertEqual(await messageCount(b, userA), countB, "B's stored messages after commands");
    assertEqual(await unreadCount(b, userA), unreadB, "B's unread after commands");

    // ---- location and reference ----
    const map = fixtures()['map.jpg'];
    const location = await a.createLocationMessage(
      PRIVATE,
      userB,
      null,
      2.2945,
      48.8584,
      'Tour Eiffel',
      map.path
    );
    const sentLocation = await send(a, location, 'location');
    const gotLocation = (await waitFor('B receives the location', () =>
      receivedByB.find((x) => x.messageUId === sentLocation.sent.messageUId)
    )) as RCIMIWLocationMessage;
    assertEqual(
      [gotLocation.messageType, gotLocation.longitude, gotLocation.latitude, gotLocation.poiName],
      [RCIMIWMessageType.LOCATION, 2.2945, 48.8584, 'Tour Eiffel'],
      'received location'
    );

    const quoted = await sendText(a, userB, 'quote me');
    const gotQuoted = await waitFor('B receives the text to quote', () =>
      receivedByB.find((x) => x.messageUId === quoted.messageUId)
    );
    const reference = await b.createReferenceMessage(PRIVATE, userA, null, gotQuoted, 'agreed');
    const sentReference = await send(b, reference, 'reference');
    const gotReference = (await waitFor('A receives the reference', () =>
      receivedByA.find((x) => x.messageUId === sentReference.sent.messageUId)
    )) as RCIMIWReferenceMessage;
    assertEqual(gotReference.messageType, RCIMIWMessageType.REFERENCE, 'reference messageType');
    assertEqual(gotReference.text, 'agreed', 'reference text');
    const inner = gotReference.referenceMessage as RCIMIWTextMessage;
    assert(inner, 'the referenced message travels with the reference');
    assertEqual(
      [inner.messageType, inner.text, inner.senderUserId, inner.messageUId],
      [RCIMIWMessageType.TEXT, 'quote me', userA, quoted.messageUId],
      'referenced message'
    );

    // ---- channelId outside ultra groups ----
    const withChannel = await a.createTextMessage(PRIVATE, userB, 'ch-1', 'channel test');
    const sentWithChannel = await send(a, withChannel, 'text with a channelId');
    const gotWithChannel = await waitFor('B receives the text with a channelId', () =>
      receivedByB.find((x) => x.messageUId === sentWithChannel.sent.messageUId)
    );
    assertEqual(gotWithChannel.channelId, '', 'private channelId normalised to ""');
    const conversations = await viaCallback<RCIMIWConversation[]>('B getConversations', (ok, err) =>
      b!.getConversations([PRIVATE], null, 0, 50, { onSuccess: ok, onError: err })
    );
    assertEqual(
      conversations.filter((c) => c.targetId === userA).length,
      1,
      'one private conversation with A'
    );

    // ---- custom messages while B is offline: all but STATUS arrive later ----
    await b.destroy();
    b = undefined;
    receivedByB.length = 0;
    for (const [name, policy] of POLICIES) {
      const fields = new Map([
        ['policy', name],
        ['when', 'offline'],
      ]);
      const m = await a.createCustomMessage(PRIVATE, userB, null, policy, `app:${name}`, fields);
      await send(a, m, `offline custom ${name}`);
    }
    b = RCIMIWEngine.createStandalone(env.appKey, engineOptions(env));
    listenB(b);
    assertEqual(await connect(b, env.tokens[userB]), userB, 'B reconnects');
    await sendText(a, userB, 'after the offline ones');
    await waitFor('B receives the marker text', () =>
      receivedByB.find((x) => (x as RCIMIWTextMessage).text === 'after the offline ones')
    );
    await sleep(500);
    const offline = receivedByB
      .filter((x) => x.messageType === RCIMIWMessageType.CUSTOM)
      .map((x) => (x as RCIMIWCustomMessage).fields?.policy)
      .sort();
    assertEqual(offline, ['COMMAND', 'NORMAL', 'STORAGE'], 'custom messages delivered offline');
  } finally {
    await destroyAll(b, a);
  }
}
