// Destroy and re-create the engine (as after an app restart): the local store still holds the
// conversation and its history; the default engine's listener slots survive.
import {
  RCIMIWEngine,
  RCIMIWMessageOperationPolicy,
  RCIMIWSentStatus,
  RCIMIWTimeOrder,
  type RCIMIWConversation,
  type RCIMIWMessage,
  type RCIMIWTextMessage,
} from 'react-native-rcim';
import {
  PRIVATE,
  assertEqual,
  connect,
  destroyAll,
  engineOptions,
  hostEnv,
  sendText,
  viaCallback,
  waitFor,
} from './support';

export default async function () {
  const env = hostEnv();
  const [userA, userB] = env.users;
  let engine = RCIMIWEngine.create(env.appKey, engineOptions(env));
  try {
    const statuses: number[] = [];
    engine.setOnConnectionStatusChangedListener((s) => statuses.push(s));
    assertEqual(await connect(engine, env.tokens[userA]), userA, 'first connect');
    await sendText(engine, userB, 'before restart 1');
    await sendText(engine, userB, 'before restart 2');
    assertEqual(await engine.destroy(), 0, 'destroy');

    engine = RCIMIWEngine.create(env.appKey, engineOptions(env));
    statuses.length = 0;
    assertEqual(await connect(engine, env.tokens[userA]), userA, 'second connect');
    await waitFor('status listener kept across destroy/create', () => statuses.includes(1));

    const history = await viaCallback<RCIMIWMessage[]>('getMessages', (ok, err) =>
      engine.getMessages(
        PRIVATE,
        userB,
        null,
        0,
        RCIMIWTimeOrder.BEFORE,
        RCIMIWMessageOperationPolicy.LOCAL,
        20,
        { onSuccess: ok, onError: err }
      )
    );
    assertEqual(
      history.map((m) => [(m as RCIMIWTextMessage).text, m.sentStatus]),
      [
        ['before restart 2', RCIMIWSentStatus.SENT],
        ['before restart 1', RCIMIWSentStatus.SENT],
      ],
      'history after restart'
    );
    const list = await viaCallback<RCIMIWConversation[]>('getConversations', (ok, err) =>
      engine.getConversations([PRIVATE], null, 0, 20, { onSuccess: ok, onError: err })
    );
    assertEqual(
      list.map((c) => c.targetId),
      [userB],
      'conversations after restart'
    );
  } finally {
    await destroyAll(engine);
  }
}
