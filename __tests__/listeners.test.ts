// Every listener slot of the API is reachable: an event named after the slot reaches the
// listener set through its setter, with the arguments in the declared order (Maps rebuilt),
// and the seed's alias setters fill the same slots as their 5.2.5 names.
import type * as LibModule from '../src';
import { LISTENER_PARAMS, MAP_PARAMS, type ListenerName } from '../src/listeners';
import { tick, loadOverTestBridge, unloadTestBridge, type TestBridge } from './helpers';

type Lib = typeof LibModule;
type Setter = (fn?: (...args: unknown[]) => void) => void;

let tb: TestBridge;
let lib: Lib;

beforeEach(() => {
  ({ tb, lib } = loadOverTestBridge());
});

afterEach(unloadTestBridge);

const setterOf = (slot: string) => `set${slot[0].toUpperCase()}${slot.slice(1)}Listener`;

function setter(engine: LibModule.RCIMIWEngine, name: string): Setter {
  const fn = (engine as unknown as { [k: string]: Setter })[name];
  expect(typeof fn).toBe('function');
  return fn.bind(engine);
}

/** Distinct sample values for a slot's parameters, as the engine would send them. */
function sampleArgs(slot: ListenerName) {
  const args: { [name: string]: unknown } = {};
  const expected: unknown[] = [];
  LISTENER_PARAMS[slot].forEach((param, i) => {
    if (MAP_PARAMS.has(`${slot}.${param}`)) {
      args[param] = { [`k${i}`]: `v${i}` };
      expected.push(new Map([[`k${i}`, `v${i}`]]));
    } else {
      args[param] = `${slot}:${param}:${i}`;
      expected.push(`${slot}:${param}:${i}`);
    }
  });
  return { args, expected };
}

test('every slot delivers its event with the declared arguments in order', async () => {
  const engine = lib.RCIMIWEngine.create('key');
  const slots = Object.keys(LISTENER_PARAMS) as ListenerName[];
  expect(slots.length).toBeGreaterThanOrEqual(115);
  const handle = (tb.bridge.createEngine as jest.Mock).mock.results[0].value as number;
  for (const slot of slots) {
    const listener = jest.fn();
    setter(engine, setterOf(slot))(listener);
    const { args, expected } = sampleArgs(slot);
    tb.emit(handle, slot, args);
    await tick();
    expect(listener).toHaveBeenCalledTimes(1);
    expect(listener.mock.calls[0]).toEqual(expected);
    // Clearing the slot: the next event reaches nobody.
    setter(engine, setterOf(slot))(undefined);
    tb.emit(handle, slot, args);
    await tick();
    expect(listener).toHaveBeenCalledTimes(1);
  }
});

test('seed spellings are aliases of the 5.2.5 slots', async () => {
  const engine = lib.RCIMIWEngine.create('key');
  const handle = (tb.bridge.createEngine as jest.Mock).mock.results[0].value as number;
  const aliases: Array<[string, ListenerName]> = [
    ['setOnConnectionStatusChangeListener', 'onConnectionStatusChanged'],
    ['setOnTypingStatusChangeListener', 'onTypingStatusChanged'],
    ['setOnMessageClearedListener', 'onMessagesCleared'],
    ['setOnAllChatRoomEntriesLoadedListener', 'onChatRoomAllEntriesLoaded'],
    [
      'setOnUltraGroupMessageExpansionRemovedListener',
      'onUltraGroupMessageExpansionForKeysRemoved',
    ],
    ['setMessageAttachedListener', 'onMessageAttached'],
    ['setMessageSentListener', 'onMessageSent'],
  ];
  for (const [alias, slot] of aliases) {
    const viaAlias = jest.fn();
    const viaName = jest.fn();
    setter(engine, setterOf(slot))(viaName);
    setter(engine, alias)(viaAlias); // one listener per slot: the alias replaces it
    const { args, expected } = sampleArgs(slot);
    tb.emit(handle, slot, args);
    await tick();
    expect(viaAlias.mock.calls).toEqual([expected]);
    expect(viaName).not.toHaveBeenCalled();
  }
});
