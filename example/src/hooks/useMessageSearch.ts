/** The conversations whose text messages contain `keyword`, with how many match. */
import { useEffect, useState } from 'react';
import {
  RCIMIWMessageType,
  type RCIMIWConversationType,
  type RCIMIWSearchConversationResult,
} from 'react-native-rcim';
import { useSession } from '../engine/EngineContext';
import { query } from '../engine/request';

export function useMessageSearch(types: RCIMIWConversationType[], keyword: string) {
  const { engine } = useSession();
  const [results, setResults] = useState<RCIMIWSearchConversationResult[]>([]);
  const typesKey = types.join(',');
  const text = keyword.trim();

  useEffect(() => {
    if (!text) return undefined;
    let live = true;
    query<RCIMIWSearchConversationResult[]>('searchConversations', (cb) =>
      engine.searchConversations(
        typesKey.split(',').map(Number),
        null,
        [RCIMIWMessageType.TEXT],
        text,
        cb
      )
    ).then(
      (found) => live && setResults(found),
      () => live && setResults([])
    );
    return () => {
      live = false;
    };
  }, [engine, typesKey, text]);

  return text ? results : [];
}
