// Push through the TS API against the real server: setDeviceToken before connect (refused when
// empty or over 512 bytes; a connect carrying the token is accepted, again after a sign-out
// that keeps or stops the device's pushes); changePushLanguage, changePushContentShowStatus
// and changePushReceiveStatus each answered by the server (code 0) to the promise, the
// listener (with the argument) and the callback object; their argument refusals (1, nothing
// fired) and their refusal without a session (33001).
import { RCIMIWConnectionStatus, RCIMIWErrorCode, type RCIMIWEngine } from 'react-native-rcim';
import { recorder } from './settings-support';
import {
  actionCode,
  assert,
  assertEqual,
  connect,
  destroyAll,
  deviceEngine,
  hostEnv,
  signOut,
  sleep,
} from './support';

const PARAM_ERROR = RCIMIWErrorCode.PARAM_ERROR;
const CLIENT_NOT_INIT = 33001;

/** The listener calls and the callback codes of the three push settings on `e`. */
function watch(e: RCIMIWEngine) {
  const language = recorder('onPushLanguageChanged');
  const show = recorder('onPushContentShowStatusChanged');
  const receive = recorder('onPushReceiveStatusChanged');
  e.setOnPushLanguageChangedListener(language.fn);
  e.setOnPushContentShowStatusChangedListener(show.fn);
  e.setOnPushReceiveStatusChangedListener(receive.fn);
  return { language, show, receive };
}

function changeLanguage(e: RCIMIWEngine, language: string) {
  return actionCode(`changePushLanguage(${JSON.stringify(language)})`, (done) =>
    e.changePushLanguage(language, { onPushLanguageChanged: done })
  );
}

function changeShow(e: RCIMIWEngine, showContent: boolean) {
  return actionCode(`changePushContentShowStatus(${showContent})`, (done) =>
    e.changePushContentShowStatus(showContent, { onPushContentShowStatusChanged: done })
  );
}

function changeReceive(e: RCIMIWEngine, receive: boolean) {
  return actionCode(`changePushReceiveStatus(${receive})`, (done) =>
    e.changePushReceiveStatus(receive, { onPushReceiveStatusChanged: done })
  );
}

export default async function () {
  const env = hostEnv();
  const [userA] = env.users;
  let phone: RCIMIWEngine | undefined;
  try {
    // ── the device token, before connect
    phone = deviceEngine(env, 'a-phone', { pushOptions: { enableFCM: true } });
    const heard = watch(phone);
    assertEqual(await phone.setDeviceToken(''), PARAM_ERROR, 'setDeviceToken("")');
    assertEqual(
      await phone.setDeviceToken('t'.repeat(513)),
      PARAM_ERROR,
      'setDeviceToken(513 bytes)'
    );
    assertEqual(
      await phone.setDeviceToken(42 as unknown as string),
      PARAM_ERROR,
      'setDeviceToken(number)'
    );
    assertEqual(await phone.setDeviceToken('t'.repeat(512)), 0, 'setDeviceToken(512 bytes)');
    assertEqual(await phone.setDeviceToken('fcm-token-of-a-phone'), 0, 'setDeviceToken');
    // No session yet: the settings are refused, nothing is queued or fired.
    assertEqual(
      await phone.changePushLanguage('en_US'),
      CLIENT_NOT_INIT,
      'changePushLanguage before connect'
    );
    assertEqual(
      await phone.changePushContentShowStatus(false),
      CLIENT_NOT_INIT,
      'changePushContentShowStatus before connect'
    );
    assertEqual(
      await phone.changePushReceiveStatus(true),
      CLIENT_NOT_INIT,
      'changePushReceiveStatus before connect'
    );
    // The server takes the connect that carries the token.
    assertEqual(await connect(phone, env.tokens[userA]), userA, 'connect with a device token');

    // ── changePushLanguage: promise, listener, callback object
    let cbArgs: unknown[] | undefined;
    assertEqual(
      await actionCode('changePushLanguage(en_US)', (done) =>
        phone!.changePushLanguage('en_US', {
          onPushLanguageChanged: (...args: unknown[]) => {
            cbArgs = args;
            done(args[0] as number);
          },
        })
      ),
      0,
      'changePushLanguage code'
    );
    assertEqual(cbArgs, [0], 'onPushLanguageChanged callback arguments (code only)');
    assertEqual(await heard.language.next(), [0, 'en_US'], 'onPushLanguageChanged listener');
    assertEqual(await changeLanguage(phone, 'ar_SA'), 0, 'a built-in language');
    assertEqual(await heard.language.next(), [0, 'ar_SA'], 'listener after ar_SA');
    assertEqual(await changeLanguage(phone, 'pt-BR_custom'), 0, 'a template language id');
    assertEqual(await heard.language.next(), [0, 'pt-BR_custom'], 'listener, custom id');
    assertEqual(await changeLanguage(phone, ''), 0, 'back to the App default');
    assertEqual(await heard.language.next(), [0, ''], 'listener, App default');

    // ── changePushContentShowStatus
    assertEqual(await changeShow(phone, false), 0, 'hide the content');
    assertEqual(await heard.show.next(), [0, false], 'onPushContentShowStatusChanged(false)');
    assertEqual(await changeShow(phone, true), 0, 'show the content');
    assertEqual(await heard.show.next(), [0, true], 'onPushContentShowStatusChanged(true)');

    // ── changePushReceiveStatus
    assertEqual(await changeReceive(phone, true), 0, 'receive while a desktop is online');
    assertEqual(await heard.receive.next(), [0, true], 'onPushReceiveStatusChanged(true)');
    assertEqual(await changeReceive(phone, false), 0, 'not while a desktop is online');
    assertEqual(await heard.receive.next(), [0, false], 'onPushReceiveStatusChanged(false)');

    // ── argument refusals: 1 at once, nothing fired
    const before = [heard.language, heard.show, heard.receive].map((r) => r.calls.length);
    const refusals: Array<[string, Promise<number>]> = [
      ['changePushLanguage("en US")', phone.changePushLanguage('en US')],
      ['changePushLanguage(17 chars)', phone.changePushLanguage('abcdefghij0123456')],
      ['changePushLanguage("zh.CN")', phone.changePushLanguage('zh.CN')],
      ['changePushLanguage(number)', phone.changePushLanguage(7 as unknown as string)],
      [
        'changePushContentShowStatus("no")',
        phone.changePushContentShowStatus('no' as unknown as boolean),
      ],
      ['changePushReceiveStatus(1)', phone.changePushReceiveStatus(1 as unknown as boolean)],
    ];
    for (const [what, status] of refusals) assertEqual(await status, PARAM_ERROR, what);
    await sleep(300);
    assertEqual(
      [heard.language, heard.show, heard.receive].map((r) => r.calls.length),
      before,
      'nothing fired for the refusals'
    );

    // ── sign-outs that keep or stop pushes, then connects that carry the token again
    for (const receivePush of [true, false]) {
      let out = false;
      phone.setOnConnectionStatusChangedListener((s) => {
        if (s === RCIMIWConnectionStatus.SIGN_OUT) out = true;
      });
      assertEqual(await phone.disconnect(receivePush), 0, `disconnect(${receivePush})`);
      const deadline = Date.now() + 10000;
      while (!out && Date.now() < deadline) await sleep(20);
      assert(out, `SIGN_OUT after disconnect(${receivePush})`);
      phone.setOnConnectionStatusChangedListener(undefined);
      assertEqual(
        await phone.changePushReceiveStatus(true),
        CLIENT_NOT_INIT,
        'a push setting after the sign-out'
      );
      assertEqual(
        await connect(phone, env.tokens[userA]),
        userA,
        `connect again after disconnect(${receivePush})`
      );
    }
    // A setting made on the new session reaches the server.
    assertEqual(await changeShow(phone, false), 0, 'a push setting after reconnecting');
    assertEqual(await heard.show.next(), [0, false], 'its listener');
    await signOut(phone);
  } finally {
    await destroyAll(phone);
  }
}
