// Replacing a listener slot means only the new listener fires; clearing it means none fires.
// Seed-only aliases share the slot. After destroy, calls resolve 2 (ENGINE_DESTROYED).
import {
  RCIMIWEngine,
  RCIMIWErrorCode,
  RCIMIWMessageOperationPolicy,
  RCIMIWTimeOrder,
  type RCIMIWMessage,
  type RCIMIWTextMessage,
} from 'react-native-rcim';
import {
  PRIVATE,
  assertEqual,
  destroyAll,
  engineOptions,
  hostEnv,
  sendText,
  sleep,
  twoEngines,
  viaCallback,
  waitFor,
} from './support';

export default async function () {
  const env = hostEnv();
  const { a, b, userA, userB } = await twoEngines(env);
  try {
    const first: string[] = [];
    const second: string[] = [];
    const text = (m: RCIMIWMessage) => (m as RCIMIWTextMessage).text ?? '';

    b.setOnMessageReceivedListener((m) => first.push(text(m)));
    b.setOnMessageReceivedListener((m) => second.push(text(m)));
    await sendText(a, userB, 'after replace');
    await waitFor('replacement listener fired', () => second.length === 1);
    await sleep(300);
    assertEqual(first, [], 'replaced listener did not fire');
    assertEqual(second, ['after replace'], 'new listener fired once');

    b.setOnMessageReceivedListener(undefined);
    await sendText(a, userB, 'after clear');
    // the message reaches B's store, but no listener fires
    const stored = async () =>
      viaCallback<RCIMIWMessage[]>('B getMessages', (ok, err) =>
        b.getMessages(
          PRIVATE,
          userA,
          null,
          0,
          RCIMIWTimeOrder.BEFORE,
          RCIMIWMessageOperationPolicy.LOCAL,
          20,
          { onSuccess: ok, onError: err }
        )
      );
    const deadline = Date.now() + 15000;
    for (;;) {
      const msgs = await stored();
      if (msgs.some((m) => text(m) === 'after clear')) break;
      if (Date.now() > deadline) throw new Error('"after clear" never reached B');
      await sleep(50);
    }
    await sleep(300);
    assertEqual(first, [], 'first listener after clear');
    assertEqual(second, ['after replace'], 'second listener after clear');

    // seed-only alias shares the 5.2.5 slot: the alias replaces the official one and back
    const viaOfficial: string[] = [];
    const viaAlias: string[] = [];
    a.setOnMessageSentListener((_c, m) => viaOfficial.push(text(m)));
    a.setMessageSentListener((_c, m) => viaAlias.push(text(m)));
    await sendText(a, userB, 'alias');
    await waitFor('alias listener', () => viaAlias.length === 1);
    assertEqual(viaOfficial, [], 'official listener replaced by the alias');

    const statusOld: number[] = [];
    const statusAlias: number[] = [];
    a.setOnConnectionStatusChangedListener((s) => statusOld.push(s));
    a.setOnConnectionStatusChangeListener((s) => statusAlias.push(s));
    assertEqual(await a.disconnect(false), 0, 'disconnect status');
    await waitFor('SIGN_OUT via alias', () => statusAlias.includes(7));
    assertEqual(statusOld, [], 'replaced status listener');

    // destroy: the singleton is cleared at once; the old object answers ENGINE_DESTROYED
    assertEqual(await a.destroy(), 0, 'destroy');
    assertEqual(
      await a.loadTotalUnreadCount(null),
      RCIMIWErrorCode.ENGINE_DESTROYED,
      'call after destroy'
    );
    const again = RCIMIWEngine.create(env.appKey, engineOptions(env));
    if (again === a) throw new Error('create() after destroy returned the destroyed engine');
    assertEqual(RCIMIWEngine.create('other-key'), again, 'create() is a singleton');
    await destroyAll(again);
  } finally {
    await destroyAll(a, b);
  }
}
