/**
 * An app's test with no setup: no `jest.mock('react-native-rcim', ...)` line and no setupFiles
 * entry. The package finds no native module under Jest and uses its in-memory fake bridge by
 * itself (as react-native-mmkv does); `react-native-rcim/jest` drives that same fake.
 */
import { RCIMIWConversationType, RCIMIWEngine, RCIMIWSentStatus } from 'react-native-rcim';
import type * as Lib from 'react-native-rcim';
import type { RCIMIWMessage, RCIMIWTextMessage } from 'react-native-rcim';
import type { RCIMMockControl as MockControl } from 'react-native-rcim/jest';

test('RCIMIWEngine works in Jest without any mock setup', async () => {
  expect(globalThis.__rcimBridge).toBeUndefined();
  const engine = RCIMIWEngine.create('app-key');
  // The fake was installed on first use, not at import.
  const bridge = globalThis.__rcimBridge as { __rcimMock?: MockControl } | undefined;
  expect(bridge?.__rcimMock).toBeDefined();
  // react-native-rcim/jest drives the same fake.
  const { RCIMMock } = require('react-native-rcim/jest') as { RCIMMock: MockControl };
  expect(RCIMMock).toBe(bridge?.__rcimMock);

  RCIMMock.registerToken('token-of-alice', 'alice');
  const connected = new Promise<[number, string]>((resolve) => {
    void engine.connect('token-of-alice', 0, {
      onConnected: (code, userId) => resolve([code, userId]),
    });
  });
  expect(await connected).toEqual([0, 'alice']);

  const text = (await engine.createTextMessage(
    RCIMIWConversationType.PRIVATE,
    'bob',
    null,
    'hello'
  )) as RCIMIWTextMessage;
  const sent = new Promise<[number, RCIMIWMessage]>((resolve) => {
    void engine
      .sendMessage(text, { onMessageSent: (code, message) => resolve([code, message]) })
      .then((status) => expect(status).toBe(0));
  });
  const [code, message] = await sent;
  expect(code).toBe(0);
  expect(message.sentStatus).toBe(RCIMIWSentStatus.SENT);
  expect(message.messageUId).toBeTruthy();
  expect(RCIMMock.messagesOf('alice').map((m) => (m as RCIMIWTextMessage).text)).toEqual(['hello']);
  await engine.destroy();
});

test("the README's order: RCIMMock imported first, still no jest.mock line", async () => {
  jest.resetModules();
  delete globalThis.__rcimBridge;
  delete (globalThis as { __rcimDefaultEngine?: unknown }).__rcimDefaultEngine;
  const { RCIMMock } = require('react-native-rcim/jest') as { RCIMMock: MockControl };
  const lib = require('react-native-rcim') as typeof Lib;
  const engine = lib.RCIMIWEngine.create('app-key');
  RCIMMock.registerToken('token-of-alice', 'alice');
  await engine.connect('token-of-alice', 0);
  const onMessage = jest.fn();
  engine.setOnMessageReceivedListener(onMessage);
  RCIMMock.receiveMessage('alice', {
    conversationType: lib.RCIMIWConversationType.PRIVATE,
    targetId: 'bob',
    text: 'hello',
  } as RCIMIWTextMessage);
  await RCIMMock.flush();
  expect(onMessage).toHaveBeenCalledWith(
    expect.objectContaining({ text: 'hello' }),
    0,
    false,
    false
  );
  await engine.destroy();
});
