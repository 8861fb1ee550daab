import type { RCIMBridge, RCIMIWMessage } from 'react-native-rcim';

export * from 'react-native-rcim';

/** Controls of the in-memory fake bridge installed by the mock. */
export interface RCIMMockControl {
  /** The fake host object (also `globalThis.__rcimBridge`). */
  bridge: RCIMBridge;
  /** Every call made: method name and the JSON args as sent (with `eventId` if any). */
  calls: Array<{ handle: number; method: string; args: { [name: string]: unknown } | null }>;
  /** Forgets all messages, conversations, tokens, scripted replies and recorded calls. */
  reset(): void;
  /** Makes `connect(token)` log in as `userId` (unregistered tokens log in as the token itself). */
  registerToken(token: string, userId: string): void;
  /** Makes `connect(token)` fail with 31004 (so do '' and tokens starting with "invalid"). */
  invalidateToken(token: string): void;
  /** The next call(s) of `method` resolve with these codes instead of running. */
  setReply(method: string, ...codes: number[]): void;
  /**
   * The server setting "only the sender may recall": others then get 25107. Off by default
   * (anyone may recall); `reset()` turns it off.
   */
  setRecallOnlySender(on: boolean): void;
  /** Delivers an incoming message to a connected user; returns the stored message. */
  receiveMessage<M extends RCIMIWMessage>(
    userId: string,
    message: M,
    options?: { left?: number; offline?: boolean; hasPackage?: boolean; appKey?: string }
  ): M;
  /**
   * Pushes a connection status to a user's engines. While it is NETWORK_UNAVAILABLE,
   * CONNECTING or SUSPEND, sends, recalls, read receipts and setting changes wait; CONNECTED
   * runs them in call order. UNCONNECTED, KICKED, TOKEN_INCORRECT, CONN_USER_BLOCKED, SIGN_OUT
   * and TIMEOUT end the session (queued sends fail, except on SIGN_OUT).
   */
  setConnectionStatus(userId: string, status: number): void;
  /**
   * Pauses media uploads and downloads after their first progress event (25), so that a test
   * can cancel them midway (transfers otherwise run 25, 50, 75, 100 within one `flush()`).
   */
  holdTransfers(): void;
  /** Lets the transfers paused by `holdTransfers()` go on. */
  releaseTransfers(): void;
  /**
   * Destroys a chatroom as the Server API would: its members get onChatRoomStatusChanged
   * (`status`, default DESTROY_MANUAL 1) and lose its local messages. Returns whether it existed.
   */
  destroyChatRoom(roomId: string, status?: number, appKey?: string): boolean;
  /** Local messages of a user. */
  messagesOf(userId: string): Array<RCIMIWMessage>;
  /** A user's push settings as the server would keep them (defaults when never changed). */
  pushSettingsOf(userId: string): { language: string; showContent: boolean; receive: boolean };
  /** Live engines. */
  engines(): Array<{
    handle: number;
    appKey: string;
    options: object;
    userId: string | null;
    /** A live session: connected once, not signed out, kicked or ended. */
    connected: boolean;
    /** Status CONNECTED: state-changing operations run at once. */
    online: boolean;
    /** The last token given to `setDeviceToken` (null: none). */
    deviceToken: string | null;
  }>;
  /** Resolves once pending replies and events have been delivered. */
  flush(): Promise<void>;
}

export declare const RCIMMock: RCIMMockControl;
export declare function createFakeBridge(): RCIMBridge;
