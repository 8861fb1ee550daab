import * as lib from '../src';
import { LISTENER_PARAMS } from '../src/listeners';
import { CALLBACK_ROUTES } from '../src/callbacks';
import { apiMembers } from '../tests/hermes/engine-methods';

test('enum values are the official ones', () => {
  expect(lib.RCIMIWConversationType.ULTRA_GROUP).toBe(5);
  expect(lib.RCIMIWConnectionStatus.TOKEN_INCORRECT).toBe(5);
  expect(lib.RCIMIWConnectionStatus.UNKNOWN).toBe(10);
  expect(lib.RCIMIWSentStatus.SENT).toBe(2);
  expect(lib.RCIMIWMessageType.LOCATION).toBe(12);
  expect(lib.RCIMIWPushNotificationLevel.ALL_MESSAGE).toBe(0);
  expect(lib.RCIMIWPushNotificationLevel.BLOCKED).toBe(5);
  expect(lib.RCIMIWErrorCode.ENGINE_DESTROYED).toBe(2);
  expect(lib.RCIMIWChatRoomEntriesOperationType.Remove).toBe(1);
  expect(lib.RCIMIWLogLevel.VERBOSE).toBe(5);
});

test('every listener slot has a setter and a parameter list', () => {
  const setters = apiMembers().filter((n) => /^setOn\w+Listener$/.test(n));
  expect(setters).toHaveLength(120);
  expect(Object.keys(LISTENER_PARAMS)).toHaveLength(115);
  for (const name of Object.keys(LISTENER_PARAMS)) {
    expect(setters).toContain(`set${name[0].toUpperCase()}${name.slice(1)}Listener`);
  }
});

test('callback routes only name known events', () => {
  for (const name of Object.keys(CALLBACK_ROUTES)) {
    expect(LISTENER_PARAMS).toHaveProperty(name);
  }
});

test('index exports the API surface', () => {
  expect(typeof lib.RCIMIWEngine.create).toBe('function');
  expect(typeof lib.RCIMIWEngine.createStandalone).toBe('function');
  expect(lib.logger.enable).toBe(false);
});
