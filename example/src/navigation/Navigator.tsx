/**
 * A small stack navigator: `useNavigation().push(route)` shows a screen on top, `goBack()`
 * (or Android's back button) returns. The screens below stay mounted (hidden), so they keep
 * their state, as in a native stack. Enough for this example without native dependencies;
 * an app would use React Navigation the same way.
 */
import React, { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { BackHandler } from 'react-native';
import type { Route } from './routes';

interface Navigation {
  /** Every screen, the bottom one first; the last one shows. */
  stack: Route[];
  push(route: Route): void;
  goBack(): void;
  canGoBack: boolean;
}

const NavigationContext = createContext<Navigation | null>(null);

export function NavigationProvider({
  initial,
  children,
}: {
  initial: Route;
  children: React.ReactNode;
}) {
  const [stack, setStack] = useState<Route[]>([initial]);
  const push = useCallback((route: Route) => setStack((s) => [...s, route]), []);
  const goBack = useCallback(() => setStack((s) => (s.length > 1 ? s.slice(0, -1) : s)), []);
  const canGoBack = stack.length > 1;

  useEffect(() => {
    if (!canGoBack) return undefined;
    const sub = BackHandler.addEventListener('hardwareBackPress', () => {
      goBack();
      return true;
    });
    return () => sub.remove();
  }, [canGoBack, goBack]);

  const value = useMemo(
    () => ({ stack, push, goBack, canGoBack }),
    [stack, push, goBack, canGoBack]
  );
  return <NavigationContext.Provider value={value}>{children}</NavigationContext.Provider>;
}

export function useNavigation(): Navigation {
  const value = useContext(NavigationContext);
  if (!value) throw new Error('useNavigation must be used inside <NavigationProvider>');
  return value;
}
