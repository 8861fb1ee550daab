/**
 * The signed-in engine for the whole app: `useSession()` gives the engine, its event hub, the
 * user id and the connection status; `useAuth()` signs in and out.
 */
import React, { createContext, useCallback, useContext, useMemo, useState } from 'react';
import type { RCIMIWConnectionStatus } from 'react-native-rcim';
import { RCIMIWEngine } from 'react-native-rcim';
import { EngineEvents } from './events';
import { RCIMError } from './request';

export interface SignInParams {
  appKey: string;
  /** The RCIM server's navigation URL, e.g. http://10.0.2.2:8101. */
  naviServer: string;
  token: string;
}

export interface Session {
  engine: RCIMIWEngine;
  events: EngineEvents;
  userId: string;
  appKey: string;
  naviServer: string;
}

interface EngineContextValue {
  session: Session | null;
  status: RCIMIWConnectionStatus | null;
  signIn(params: SignInParams): Promise<void>;
  signOut(): Promise<void>;
}

const EngineContext = createContext<EngineContextValue | null>(null);

/** Connects with `token`; resolves the user id the server knows the token by. */
function connect(engine: RCIMIWEngine, token: string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    engine
      .connect(token, 15, {
        onConnected: (code, userId) =>
          code === 0 ? resolve(userId) : reject(new RCIMError('connect', code)),
      })
      .then((status) => {
        if (status !== 0) reject(new RCIMError('connect', status));
      }, reject);
  });
}

export function EngineProvider({ children }: { children: React.ReactNode }) {
  const [session, setSession] = useState<Session | null>(null);
  const [status, setStatus] = useState<RCIMIWConnectionStatus | null>(null);

  const signIn = useCallback(async ({ appKey, naviServer, token }: SignInParams) => {
    const engine = RCIMIWEngine.create(appKey, { naviServer });
    const events = new EngineEvents(engine);
    events.on('ConnectionStatusChanged', setStatus);
    try {
      const userId = await connect(engine, token);
      setSession({ engine, events, userId, appKey, naviServer });
    } catch (e) {
      events.dispose();
      await engine.destroy();
      throw e;
    }
  }, []);

  const signOut = useCallback(async () => {
    if (!session) return;
    await session.engine.disconnect(false);
    session.events.dispose();
    await session.engine.destroy();
    setSession(null);
    setStatus(null);
  }, [session]);

  const value = useMemo(
    () => ({ session, status, signIn, signOut }),
    [session, status, signIn, signOut]
  );
  return <EngineContext.Provider value={value}>{children}</EngineContext.Provider>;
}

function useEngineContext(): EngineContextValue {
  const value = useContext(EngineContext);
  if (!value) throw new Error('useSession/useAuth must be used inside <EngineProvider>');
  return value;
}

/** Sign-in state and actions. */
export function useAuth() {
  const { session, status, signIn, signOut } = useEngineContext();
  return { signedIn: session !== null, userId: session?.userId ?? null, status, signIn, signOut };
}

/** The signed-in session; only for screens shown after sign-in. */
export function useSession(): Session {
  const { session } = useEngineContext();
  if (!session) throw new Error('useSession: not signed in');
  return session;
}
