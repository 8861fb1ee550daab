/**
 * One listener per slot is the engine's rule (setting a slot again replaces its listener), so
 * the app sets each slot once, here, and fans the events out to any number of subscribers.
 * Event names are the slot names without `setOn`/`Listener`: `MessageReceived` is
 * `setOnMessageReceivedListener`, and a subscriber gets that listener's arguments.
 */
import type { RCIMIWEngine } from 'react-native-rcim';

type SlotSetter<K> = K extends `setOn${infer Name}Listener` ? Name : never;

/** Every listener slot of the engine, e.g. 'MessageReceived' or 'ConnectionStatusChanged'. */
export type EngineEventName = SlotSetter<keyof RCIMIWEngine>;

type SetterOf<N extends EngineEventName> = RCIMIWEngine[`setOn${N}Listener`];

/** The arguments the engine passes to the listener of slot `N`. */
export type EngineEventArgs<N extends EngineEventName> =
  SetterOf<N> extends (listener?: (...args: infer A) => void) => void ? A : never;

export type EngineEventHandler<N extends EngineEventName> = (...args: EngineEventArgs<N>) => void;

type AnyHandler = (...args: unknown[]) => void;
type AnySetter = (listener?: AnyHandler) => void;

export class EngineEvents {
  private readonly handlers = new Map<EngineEventName, Set<AnyHandler>>();

  constructor(private readonly engine: RCIMIWEngine) {}

  /** Subscribes to an event; returns the unsubscribe function. */
  on<N extends EngineEventName>(name: N, handler: EngineEventHandler<N>): () => void {
    let set = this.handlers.get(name);
    if (!set) {
      const subscribers = new Set<AnyHandler>();
      set = subscribers;
      this.handlers.set(name, subscribers);
      this.setter(name).call(this.engine, (...args: unknown[]) => {
        for (const h of [...subscribers]) h(...args);
      });
    }
    const h = handler as unknown as AnyHandler;
    set.add(h);
    return () => {
      set.delete(h);
    };
  }

  /** Clears every slot this object set. */
  dispose(): void {
    for (const name of this.handlers.keys()) this.setter(name).call(this.engine, undefined);
    this.handlers.clear();
  }

  private setter(name: EngineEventName): AnySetter {
    return this.engine[`setOn${name}Listener`] as unknown as AnySetter;
  }
}
