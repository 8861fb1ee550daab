import { useEffect, useRef } from 'react';
import { useSession } from './EngineContext';
import type { EngineEventHandler, EngineEventName } from './events';

/**
 * Calls `handler` on every `name` event of the signed-in engine while the component is
 * mounted. The latest `handler` is used, so it may close over fresh state.
 */
export function useEngineEvent<N extends EngineEventName>(
  name: N,
  handler: EngineEventHandler<N>
): void {
  const { events } = useSession();
  const latest = useRef(handler);
  useEffect(() => {
    latest.current = handler;
  });
  useEffect(
    () =>
      events.on(name, ((...args: Parameters<EngineEventHandler<N>>) =>
        latest.current(...args)) as EngineEventHandler<N>),
    [events, name]
  );
}
