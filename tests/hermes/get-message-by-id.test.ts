// getMessageById for both audiences: without a callback it resolves the message (the seed's
// form); with a callback object it resolves the status of the call and calls
// onSuccess(message) or onError(code) (5.2.5). Unknown ids and bad arguments included.
import { RCIMIWErrorCode, type RCIMIWMessage, type RCIMIWTextMessage } from 'react-native-rcim';
import {
  assert,
  assertEqual,
  destroyAll,
  hostEnv,
  sendText,
  sleep,
  twoEngines,
  waitFor,
} from './support';

/** Local id that no message has (ids start at 1 in a fresh data dir). */
const UNKNOWN_ID = 987654321;
/** RC error code of an unknown message id. */
const INVALID_MESSAGE_ID = 34204;

export default async function () {
  const env = hostEnv();
  const { a, b, userB } = await twoEngines(env);
  try {
    const sent = await sendText(a, userB, 'find me');
    const id = sent.messageId;
    assert(typeof id === 'number' && id > 0, `sent messageId ${String(id)}`);

    // ── the seed's form: the Promise carries the message, or a code
    const message: RCIMIWMessage = await a.getMessageById(id);
    assertEqual((message as RCIMIWTextMessage).text, 'find me', 'seed form: the message');
    assertEqual(message.messageId, id, 'seed form: messageId');
    assertEqual(
      await a.getMessageById(UNKNOWN_ID),
      INVALID_MESSAGE_ID as unknown as RCIMIWMessage,
      'seed form: an unknown id resolves its code'
    );

    // ── 5.2.5's form: the Promise carries the status, the callback the result
    let found: RCIMIWMessage | undefined;
    let foundError: number | undefined;
    const status: number = await a.getMessageById(id, {
      onSuccess: (m) => (found = m),
      onError: (code) => (foundError = code),
    });
    assertEqual(status, 0, 'callback form: status');
    const got = await waitFor('onSuccess', () => found);
    assertEqual((got as RCIMIWTextMessage).text, 'find me', 'callback form: onSuccess(message)');
    assertEqual(foundError, undefined, 'callback form: no onError');

    let missing: number | undefined;
    let missingFound: RCIMIWMessage | undefined;
    assertEqual(
      await a.getMessageById(UNKNOWN_ID, {
        onSuccess: (m) => (missingFound = m),
        onError: (code) => (missing = code),
      }),
      0,
      'callback form: an unknown id is accepted'
    );
    assertEqual(await waitFor('onError', () => missing), INVALID_MESSAGE_ID, 'onError(code)');
    assertEqual(missingFound, undefined, 'unknown id: no onSuccess');

    // ── bad arguments: PARAM_ERROR, and no callback at all
    const fired: string[] = [];
    const cb = {
      onSuccess: () => fired.push('onSuccess'),
      onError: (code: number) => fired.push(`onError(${code})`),
    };
    assertEqual(
      await a.getMessageById('1' as unknown as number, cb),
      RCIMIWErrorCode.PARAM_ERROR,
      'callback form: a string id'
    );
    assertEqual(
      await a.getMessageById(null as unknown as number, cb),
      RCIMIWErrorCode.PARAM_ERROR,
      'callback form: a null id'
    );
    assertEqual(
      await a.getMessageById('1' as unknown as number),
      RCIMIWErrorCode.PARAM_ERROR as unknown as RCIMIWMessage,
      'seed form: a string id'
    );
    await sleep(300);
    assertEqual(fired, [], 'nothing fires for rejected calls');
  } finally {
    await destroyAll(a, b);
  }
}
