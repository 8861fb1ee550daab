/**
 * The user's settings: push (language, show content, receive), quiet hours and blacklist.
 * The API has no getters for the push switches, so they show what was last set here.
 */
import { useCallback, useEffect, useState } from 'react';
import { RCIMIWPushNotificationQuietHoursLevel } from 'react-native-rcim';
import { useSession } from '../engine/EngineContext';
import { perform, query } from '../engine/request';

type Errors = (message: string | null) => void;

export function usePushSettings(onError: Errors) {
  const { engine } = useSession();
  const [language, setLanguage] = useState('en_US');
  const [showContent, setShowContent] = useState(true);
  const [receive, setReceive] = useState(true);

  const changeLanguage = useCallback(
    (value: string) =>
      perform('changePushLanguage', (done) =>
        engine.changePushLanguage(value, { onPushLanguageChanged: done })
      ).then(
        () => setLanguage(value),
        (e: Error) => onError(e.message)
      ),
    [engine, onError]
  );
  const changeShowContent = useCallback(
    (value: boolean) =>
      perform('changePushContentShowStatus', (done) =>
        engine.changePushContentShowStatus(value, { onPushContentShowStatusChanged: done })
      ).then(
        () => setShowContent(value),
        (e: Error) => onError(e.message)
      ),
    [engine, onError]
  );
  const changeReceive = useCallback(
    (value: boolean) =>
      perform('changePushReceiveStatus', (done) =>
        engine.changePushReceiveStatus(value, { onPushReceiveStatusChanged: done })
      ).then(
        () => setReceive(value),
        (e: Error) => onError(e.message)
      ),
    [engine, onError]
  );

  return { language, showContent, receive, changeLanguage, changeShowContent, changeReceive };
}

export interface QuietHours {
  startTime: string;
  spanMinutes: number;
  level: RCIMIWPushNotificationQuietHoursLevel;
}

export function useQuietHours(onError: Errors) {
  const { engine } = useSession();
  const [quietHours, setQuietHours] = useState<QuietHours | null>(null);

  const load = useCallback(
    () =>
      new Promise<void>((resolve) => {
        engine.getNotificationQuietHours({
          onSuccess: (startTime, spanMinutes, level) => {
            setQuietHours(spanMinutes > 0 ? { startTime, spanMinutes, level } : null);
            resolve();
          },
          onError: () => {
            setQuietHours(null);
            resolve();
          },
        });
      }),
    [engine]
  );

  useEffect(() => {
    load();
  }, [load]);

  const change = useCallback(
    (startTime: string, spanMinutes: number) =>
      perform('changeNotificationQuietHours', (done) =>
        engine.changeNotificationQuietHours(
          startTime,
          spanMinutes,
          RCIMIWPushNotificationQuietHoursLevel.BLOCKED,
          { onNotificationQuietHoursChanged: done }
        )
      ).then(load, (e: Error) => onError(e.message)),
    [engine, load, onError]
  );
  const remove = useCallback(
    () =>
      perform('removeNotificationQuietHours', (done) =>
        engine.removeNotificationQuietHours({ onNotificationQuietHoursRemoved: done })
      ).then(load, (e: Error) => onError(e.message)),
    [engine, load, onError]
  );

  return { quietHours, change, remove };
}

export function useBlacklist(onError: Errors) {
  const { engine } = useSession();
  const [blacklist, setBlacklist] = useState<string[]>([]);

  const load = useCallback(
    () =>
      query<string[]>('getBlacklist', (cb) => engine.getBlacklist(cb)).then(setBlacklist, (e) =>
        onError((e as Error).message)
      ),
    [engine, onError]
  );

  useEffect(() => {
    load();
  }, [load]);

  const add = useCallback(
    (userId: string) =>
      perform('addToBlacklist', (done) =>
        engine.addToBlacklist(userId, { onBlacklistAdded: (code) => done(code) })
      ).then(load, (e: Error) => onError(e.message)),
    [engine, load, onError]
  );
  const remove = useCallback(
    (userId: string) =>
      perform('removeFromBlacklist', (done) =>
        engine.removeFromBlacklist(userId, { onBlacklistRemoved: (code) => done(code) })
      ).then(load, (e: Error) => onError(e.message)),
    [engine, load, onError]
  );

  return { blacklist, add, remove };
}
