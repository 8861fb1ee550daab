/**
 * Types and enums of the RCIMIWEngine API, as declared by the official
 * `@rongcloud/react-native-im-wrapper` 5.2.5 (RCIMDefines.ts): the same names, the
 * same numeric enum values, and every interface field optional.
 *
 * Mirrors shared/ref/api_reference.md §4–5 (5.2.5 names, official numbers).
 */
/* eslint-disable @typescript-eslint/no-wrapper-object-types */

// ───────────────────────────── Enums ─────────────────────────────

export enum RCIMIWImportanceHW {
  /** Service/communication message: lock screen + sound + vibration */
  NORMAL = 0,
  /** Marketing message: silent, only in the notification shade */
  LOW = 1,
}

export enum RCIMIWMessageOperationPolicy {
  /** Local DB only */
  LOCAL = 0,
  /** Server only */
  REMOTE = 1,
  /** Both */
  LOCAL_REMOTE = 2,
}

export enum RCIMIWVIVOPushType {
  /** Operational/marketing message */
  OPERATE = 0,
  /** System message */
  SYSTEM = 1,
}

export enum RCIMIWSentStatus {
  /** Sending */
  SENDING = 0,
  /** Failed */
  FAILED = 1,
  /** Sent */
  SENT = 2,
  /** Peer received */
  RECEIVED = 3,
  /** Peer read */
  READ = 4,
  /** Peer destroyed */
  DESTROYED = 5,
  /** Canceled */
  CANCELED = 6,
}

export enum RCIMIWPushNotificationQuietHoursLevel {
  /** Not set - fall back to conversation/group/App settings */
  NONE = 0,
  /** Only @-messages notify (group/ultra group); private chats: no notification */
  MENTION_MESSAGE = 1,
  /** No notifications at all */
  BLOCKED = 2,
}

export enum RCIMIWMessageDirection {
  /** Outgoing */
  SEND = 0,
  /** Incoming */
  RECEIVE = 1,
}

export enum RCIMIWReceivedStatus {
  /** Unread */
  UNREAD = 0,
  /** Read */
  READ = 1,
  /** Voice listened */
  LISTENED = 2,
  /** Media downloaded */
  DOWNLOADED = 3,
  /** Already fetched by another device of the user before this one logged in */
  RETRIEVED = 4,
  /** Delivered simultaneously to several online devices */
  MULTIPLE_RECEIVE = 5,
}

export enum RCIMIWChatRoomMemberActionType {
  /** Unknown */
  UNKNOWN = 0,
  /** Joined */
  JOIN = 1,
  /** Left */
  LEAVE = 2,
}

export enum RCIMIWPushNotificationLevel {
  /** Notify for all messages (explicitly un-muted) */
  ALL_MESSAGE = 0,
  /** Not set - inherit group/App level */
  NONE = 1,
  /** Group/ultra group: notify on @all or @me; private: no notification */
  MENTION = 2,
  /** Notify only when I am @-mentioned (not @all); private: none */
  MENTION_USERS = 3,
  /** Notify only on @all; private: none */
  MENTION_ALL = 4,
  /** No notifications */
  BLOCKED = 5,
}

export enum RCIMIWMessageType {
  /** Unrecognised type */
  UNKNOWN = 0,
  /** Custom */
  CUSTOM = 1,
  /** Text */
  TEXT = 2,
  /** Voice (HD) */
  VOICE = 3,
  /** Image */
  IMAGE = 4,
  /** File */
  FILE = 5,
  /** Short video */
  SIGHT = 6,
  /** GIF */
  GIF = 7,
  /** Recall record */
  RECALL = 8,
  /** Quote/reference */
  REFERENCE = 9,
  /** Command */
  COMMAND = 10,
  /** Command notification */
  COMMAND_NOTIFICATION = 11,
  /** Location (5.2.5) */
  LOCATION = 12,
}

export enum RCIMIWMessageBlockType {
  /** Unknown */
  UNKNOWN = 0,
  /** Hit RongCloud built-in global sensitive words */
  GLOBAL = 1,
  /** Hit the app's custom sensitive words */
  CUSTOM = 2,
  /** Blocked by third-party moderation or message-callback routing */
  THIRD_PARTY = 3,
}

export enum RCIMIWTimeOrder {
  /** Older than the reference time (time decreasing) */
  BEFORE = 0,
  /** Newer than the reference time (time increasing) */
  AFTER = 1,
}

export enum RCIMIWCustomMessagePolicy {
  /** Not stored on client; offline delivery; not counted unread */
  COMMAND = 0,
  /** Stored on client and in server history; offline delivery; counted unread */
  NORMAL = 1,
  /** Not stored on client or server; not counted unread */
  STATUS = 2,
  /** Stored on client and server history; offline delivery; not counted unread */
  STORAGE = 3,
}

export enum RCIMIWChatRoomStatus {
  /** Chatroom reset */
  RESET = 0,
  /** Destroyed via IM Server API */
  DESTROY_MANUAL = 1,
  /** Auto-destroyed by IM server */
  DESTROY_AUTO = 2,
}

export enum RCIMIWConversationType {
  /** Reserved, not usable */
  INVALID = 0,
  /** One-to-one */
  PRIVATE = 1,
  /** Group */
  GROUP = 2,
  /** Chatroom */
  CHATROOM = 3,
  /** System */
  SYSTEM = 4,
  /** Ultra group */
  ULTRA_GROUP = 5,
}

export enum RCIMIWErrorCode {
  /** Success */
  SUCCESS = 0,
  /** Invalid parameter */
  PARAM_ERROR = 1,
  /** Engine not created or already destroyed */
  ENGINE_DESTROYED = 2,
  /** Error thrown by the native SDK */
  NATIVE_OPERATION_ERROR = 3,
  /** Unknown error */
  RESULT_UNKNOWN = 4,
}

export enum RCIMIWUltraGroupTypingStatus {
  /** Typing text */
  TEXT = 0,
}

export enum RCIMIWMentionedType {
  /** @ everyone */
  ALL = 0,
  /** @ specific users */
  PART = 1,
}

export enum RCIMIWChatRoomEntriesOperationType {
  /** KV set/updated */
  Update = 0,
  /** KV removed */
  Remove = 1,
}

export enum RCIMIWLogLevel {
  /** No logs */
  NONE = 0,
  /** Errors */
  ERROR = 1,
  /** Errors + warnings */
  WARN = 2,
  /** + info */
  INFO = 3,
  /** + debug */
  DEBUG = 4,
  /** Everything */
  VERBOSE = 5,
}

export enum RCIMIWBlacklistStatus {
  /** Unknown */
  UNKNOWN = 0,
  /** In blacklist */
  IN_BLACKLIST = 1,
  /** Not in blacklist */
  NOT_IN_BLACKLIST = 2,
}

export enum RCIMIWConnectionStatus {
  /** No network */
  NETWORK_UNAVAILABLE = 0,
  /** Connected */
  CONNECTED = 1,
  /** Connecting */
  CONNECTING = 2,
  /** Not connected */
  UNCONNECTED = 3,
  /** Logged in elsewhere; this device kicked */
  KICKED_OFFLINE_BY_OTHER_CLIENT = 4,
  /** Token invalid */
  TOKEN_INCORRECT = 5,
  /** User banned via console/server */
  CONN_USER_BLOCKED = 6,
  /** App called disconnect/logout */
  SIGN_OUT = 7,
  /** Temporarily suspended (network); SDK will reconnect */
  SUSPEND = 8,
  /** Connect timeout reached; SDK stops; app must call connect again */
  TIMEOUT = 9,
  /** Abnormal state (5.2.5) */
  UNKNOWN = 10,
}

// ───────────────────────────── Data types ─────────────────────────────

/** Base message object; every message subtype extends it. */
export interface RCIMIWMessage {
  /** Conversation type. */
  conversationType?: RCIMIWConversationType;
  /** Message type. */
  messageType?: RCIMIWMessageType;
  /** Conversation id (peer user, group, chatroom, ultra group, system account). */
  targetId?: string;
  /** Ultra-group channel id, <= 20 characters; only effective for ultra groups. */
  channelId?: string;
  /** Local DB row id (unique per device). */
  messageId?: number;
  /** Server-assigned global id (unique per App Key); only set once sent successfully. (Seed spells messageUid.) */
  messageUId?: string;
  /** True if delivered as an offline message; only meaningful in the receive callback. */
  offLine?: boolean;
  /** Group read-receipt state. */
  groupReadReceiptInfo?: RCIMIWGroupReadReceiptInfo;
  /** Receive time, Unix ms. */
  receivedTime?: number;
  /** Send time, Unix ms. */
  sentTime?: number;
  /** Receive status. */
  receivedStatus?: RCIMIWReceivedStatus;
  /** Send status. */
  sentStatus?: RCIMIWSentStatus;
  /** Sender user id. */
  senderUserId?: string;
  /** SEND or RECEIVE. */
  direction?: RCIMIWMessageDirection;
  /** User info carried with the message. */
  userInfo?: RCIMIWUserInfo;
  /** @-mention info. */
  mentionedInfo?: RCIMIWMentionedInfo;
  /** Push configuration; sender side only (empty on receipt). */
  pushOptions?: RCIMIWMessagePushOptions;
  /** Extra string delivered to the receiver. */
  extra?: string;
  /** Expansion KV; setting it (even {}) before sending enables expansion; fixed at send time (later changes only via update/remove APIs); private & group only; key <= 32, value <= 4096 chars, <= 20 per update, <= 300 total. */
  expansion?: { [propName: string]: string };
}

/** Base of media messages (image, file, voice, sight, GIF). */
export interface RCIMIWMediaMessage extends RCIMIWMessage {
  /** Local file path. */
  local?: string;
  /** Remote (uploaded) URL. */
  remote?: string;
}

/** Text message (messageType TEXT). */
export interface RCIMIWTextMessage extends RCIMIWMessage {
  /** Text content. */
  text?: string;
}

/** Image message (messageType IMAGE). */
export interface RCIMIWImageMessage extends RCIMIWMediaMessage {
  /** Thumbnail as Base64. */
  thumbnailBase64String?: string;
  /** Whether the original (uncompressed) image is sent. */
  original?: boolean;
}

/** HD voice message (messageType VOICE). */
export interface RCIMIWVoiceMessage extends RCIMIWMediaMessage {
  /** Duration in seconds. */
  duration?: number;
}

/** File message (messageType FILE). */
export interface RCIMIWFileMessage extends RCIMIWMediaMessage {
  /** File name. */
  name?: string;
  /** File type/extension. */
  fileType?: string;
  /** File size in bytes. */
  size?: number;
}

/** Short-video message (messageType SIGHT). */
export interface RCIMIWSightMessage extends RCIMIWMediaMessage {
  /** Video duration in seconds. */
  duration?: number;
  /** Video size. */
  size?: number;
  /** Video file name. */
  name?: string;
  /** Thumbnail as Base64. */
  thumbnailBase64String?: string;
}

/** GIF message (messageType GIF). */
export interface RCIMIWGIFMessage extends RCIMIWMediaMessage {
  /** GIF size in bytes. */
  dataSize?: number;
  /** GIF width. */
  width?: number;
  /** GIF height. */
  height?: number;
}

/** Location message (messageType LOCATION) - new in 5.2.5, not in seed. */
export interface RCIMIWLocationMessage extends RCIMIWMessage {
  /** Longitude. */
  longitude?: number;
  /** Latitude. */
  latitude?: number;
  /** POI / place name. */
  poiName?: string;
  /** Map thumbnail path. */
  thumbnailPath?: string;
}

/** Quote/reply message (messageType REFERENCE). */
export interface RCIMIWReferenceMessage extends RCIMIWMessage {
  /** Reply text. */
  text?: string;
  /** The quoted message. */
  referenceMessage?: RCIMIWMessage;
}

/** Recall record that replaces a recalled message (messageType RECALL); cannot be constructed/sent directly. */
export interface RCIMIWRecallNotificationMessage extends RCIMIWMessage {
  /** Recalled by an administrator. */
  admin?: boolean;
  /** Whether the original was deleted. */
  deleted?: boolean;
  /** Code: recall time (ms). Seed: sentTime of the recalled original (ms). */
  recallTime?: number;
  /** Time of the recall action (ms). */
  recallActionTime?: number;
  /** The recalled original message. */
  originalMessage?: RCIMIWMessage;
}

/** Command message (messageType COMMAND): not stored locally, not counted as unread. */
export interface RCIMIWCommandMessage extends RCIMIWMessage {
  /** Command name. */
  name?: string;
  /** Command payload (any string, e.g. JSON). */
  data?: string;
}

/** Command notification (messageType COMMAND_NOTIFICATION): stored locally, not counted as unread. */
export interface RCIMIWCommandNotificationMessage extends RCIMIWMessage {
  /** Command notification name. */
  name?: string;
  /** Payload (any string, e.g. JSON). */
  data?: string;
}

/** Custom message (messageType CUSTOM). */
export interface RCIMIWCustomMessage extends RCIMIWMessage {
  /** Custom message identifier (unique; given as messageIdentifier at creation). */
  identifier?: string;
  /** Storage/counting policy (RCIMIWCustomMessagePolicy). */
  policy?: RCIMIWCustomMessagePolicy;
  /** Custom key/value content. */
  fields?: { [propName: string]: string };
}

/** Received message whose type the SDK does not recognise (messageType UNKNOWN); cannot be constructed/sent. */
export interface RCIMIWUnknownMessage extends RCIMIWMessage {
  /** Raw message payload. */
  rawData?: string;
  /** Message object name (type identifier). */
  objectName?: string;
}

/** Conversation entity (local conversation list item). */
export interface RCIMIWConversation {
  /** Conversation type. */
  conversationType?: RCIMIWConversationType;
  /** Conversation id (peer / group / chatroom / system account). */
  targetId?: string;
  /** Ultra-group channel id. */
  channelId?: string;
  /** Unread message count. */
  unreadCount?: number;
  /** Number of messages @-mentioning the current user. */
  mentionedCount?: number;
  /** Pinned. */
  top?: boolean;
  /** Draft text. */
  draft?: string;
  /** Last locally stored message. */
  lastMessage?: RCIMIWMessage;
  /** DND level of the conversation. */
  notificationLevel?: RCIMIWPushNotificationLevel;
  /** sentTime of the first unread message; ultra groups only (5.2.5; not in seed). */
  firstUnreadMsgSendTime?: number;
  /**
   * The conversation's time in the list (ms): what orders it after the pinned ones, i.e. its
   * last message's sentTime, or a later draft's or setting's time. A page of
   * getConversations/loadConversations ends at `lastMessage?.sentTime ?? operationTime` of
   * its last conversation: pass that as the next page's startTime (a conversation with only
   * a draft or settings has no lastMessage).
   */
  operationTime?: number;
}

/** Element returned by searchConversations. */
export interface RCIMIWSearchConversationResult {
  /** Matched conversation. */
  conversation?: RCIMIWConversation;
  /** Number of matching messages in it. */
  count?: number;
}

/** Second argument of RCIMIWEngine.create; only honoured at creation time. */
export interface RCIMIWEngineOptions {
  /** Navigation server for private deployment / non-default data centre; must be valid; set before init. */
  naviServer?: string;
  /** Media (file/image upload) server for private deployment. */
  fileServer?: string;
  /** Statistics server (dedicated data centres only). https://host[:port] (default 443) or host[:port] for http (default 80); iOS needs HTTPS unless ATS is relaxed. */
  statisticServer?: string;
  /** Reconnect kick policy (user-level, App Key must have it enabled): true = if another mobile device is online when reconnecting, give up and keep that device; false = kick the other device. */
  kickReconnectDevice?: boolean;
  /** Compression settings. */
  compressOptions?: RCIMIWCompressOptions;
  /** Android third-party push configuration; must be present at create(). */
  pushOptions?: RCIMIWPushOptions;
  /**
   * RCIM extension (not in RongCloud's SDK): extra trust for a self-hosted server reached over
   * TLS (`naviServer: 'https://…'`, and the gateway when navigation hands it out as
   * `tls://host:port`). The platform's trusted roots always apply.
   */
  tls?: RCIMTlsOptions;
}

/**
 * RCIM extension: TLS trust for self-hosters (`RCIMIWEngineOptions.tls`). Invalid entries make
 * every TLS connection fail (never less checking).
 */
export interface RCIMTlsOptions {
  /**
   * PEM certificates of CAs to trust besides the platform's roots (a private CA, or a
   * self-signed server certificate's CA); one string may hold several certificates.
   */
  caCertificates?: string[];
  /**
   * SHA-256 fingerprints of server certificates (of their DER: `openssl x509 -noout
   * -fingerprint -sha256`; hex with or without colons, or base64). When given, a server is
   * accepted only if its chain is trusted and its own (end-entity) certificate has one of these
   * fingerprints. Intermediates and CAs are never matched, so pinning a CA refuses every server;
   * list a renewed certificate's fingerprint before the server switches to it.
   */
  pinnedSha256?: string[];
}

/** Android third-party push credentials (RCIMIWEngineOptions.pushOptions); fields have no JSDoc in code, meanings from the seed. */
export interface RCIMIWPushOptions {
  /** Xiaomi push app id. */
  idMI?: string;
  /** Xiaomi push app key. */
  appKeyMI?: string;
  /** Meizu push app id. */
  appIdMeizu?: string;
  /** Meizu push app key. */
  appKeyMeizu?: string;
  /** OPPO push app key. */
  appKeyOPPO?: string;
  /** OPPO push app secret. */
  appSecretOPPO?: string;
  /** Enable Huawei push. */
  enableHWPush?: boolean;
  /** Enable FCM push. */
  enableFCM?: boolean;
  /** Enable vivo push. */
  enableVIVOPush?: boolean;
}

/** Image / video / location-thumbnail compression settings (RCIMIWEngineOptions.compressOptions). */
export interface RCIMIWCompressOptions {
  /** Compression quality of the original image. */
  originalImageQuality?: number;
  /** Code JSDoc: max length of the original image's long edge. (Seed swaps the meanings of originalImageSize and originalImageMaxSize.) */
  originalImageSize?: number;
  /** Code JSDoc: size limit under which the original image is sent uncompressed. (Seed: long-edge limit.) */
  originalImageMaxSize?: number;
  /** Thumbnail compression quality. */
  thumbnailQuality?: number;
  /** Thumbnail max width/height. */
  thumbnailMaxSize?: number;
  /** Thumbnail min width/height. */
  thumbnailMinSize?: number;
  /** Short-video compression width (multiple of 16 recommended). */
  sightCompressWidth?: number;
  /** Short-video compression height (multiple of 16 recommended). */
  sightCompressHeight?: number;
  /** Location-message thumbnail quality (5.2.5; not in seed). */
  locationThumbnailQuality?: number;
  /** Location-message thumbnail width (5.2.5; not in seed). */
  locationThumbnailWidth?: number;
  /** Location-message thumbnail height (5.2.5; not in seed). */
  locationThumbnailHeight?: number;
}

/** Per-message push configuration (RCIMIWMessage.pushOptions); only set by the sender, empty on the receiving side. */
export interface RCIMIWMessagePushOptions {
  /** Suppress the push notification for this message (seed's table describes it as hiding the title). */
  disableNotification?: boolean;
  /** Hide the notification title; iOS targets only (Android vendors require a title). */
  disablePushTitle?: boolean;
  /** Push title; highest priority. Default: sender name (private) / group name (group); custom messages: none. */
  pushTitle?: string;
  /** Push body text; highest priority (but an @-message's mentionedContent overrides it). */
  pushContent?: string;
  /** Extra payload delivered with the remote push. */
  pushData?: string;
  /** Show the push body even if the receiver disabled push details (changePushContentShowStatus(false)). */
  forceShowDetailContent?: boolean;
  /** Multi-language push template id (console); matched against the receiver's push language; explicit pushTitle/pushContent take precedence, so leave them empty to use a template. */
  templateId?: string;
  /** Deliver via the iOS VoIP push channel when the receiver is on iOS. */
  voIPPush?: boolean;
  /** iOS-specific push options. */
  iOSPushOptions?: RCIMIWIOSPushOptions;
  /** Android-specific push options. */
  androidPushOptions?: RCIMIWAndroidPushOptions;
}

/** Per-message APNs options (inside RCIMIWMessagePushOptions.iOSPushOptions). */
export interface RCIMIWIOSPushOptions {
  /** iOS notification grouping id (thread-id, iOS 10+). */
  threadId?: string;
  /** iOS rich-notification category (sets mutable-content=1); used with richMediaUri; defaults to the message object name (e.g. RC:TxtMsg). */
  category?: string;
  /** APNs collapse id; a newer notification with the same id replaces the older; max 64 bytes (iOS 10+). */
  apnsCollapseId?: string;
  /** URL of rich notification content; used with category. */
  richMediaUri?: string;
}

/** Per-message Android vendor push options (inside RCIMIWMessagePushOptions.androidPushOptions). */
export interface RCIMIWAndroidPushOptions {
  /** Android push notification id (Xiaomi/Huawei); normally leave unset - code JSDoc: the message's messageUId is used (seed says messageId). */
  notificationId?: string;
  /** Xiaomi notification channel id (created by the developer). */
  channelIdMi?: string;
  /** Huawei notification channel id (created in-app by the developer). */
  channelIdHW?: string;
  /** OPPO notification channel id (created in-app and registered on OPPO console). */
  channelIdOPPO?: string;
  /** vivo push category: OPERATE (marketing) or SYSTEM. */
  pushTypeVIVO?: RCIMIWVIVOPushType;
  /** FCM notification group (collapse) key; requires FCM 'notification message' mode (native SDK 5.1.3+). */
  collapseKeyFCM?: string;
  /** FCM notification image URL (right-side icon). */
  imageUrlFCM?: string;
  /** Huawei message importance: NORMAL (service/communication) or LOW (marketing, silent). Enum in 5.2.5; string in 5.2.4/seed. */
  importanceHW?: RCIMIWImportanceHW;
  /** Huawei large right-side icon URL; HTTPS, < 512 KB, ~40x40dp suggested. */
  imageUrlHW?: string;
  /** Xiaomi large icon URL (120x120 png/jpg; MIUI 12+ in China). */
  imageUrlMi?: string;
  /** FCM Android notification channel id; the app must create the channel first. */
  channelIdFCM?: string;
}

/** @-mention information attached to a (group) message via RCIMIWMessage.mentionedInfo. */
export interface RCIMIWMentionedInfo {
  /** ALL (@everyone) or PART (@ specific users). */
  type?: RCIMIWMentionedType;
  /** Mentioned user ids (required for PART; may be empty for ALL). */
  userIdList?: Array<string>;
  /** Text shown in local/remote notifications; overrides every default or custom pushContent. */
  mentionedContent?: string;
}

/** User info carried inside a message. */
export interface RCIMIWUserInfo {
  /** User id. */
  userId?: string;
  /** Display name / nickname. */
  name?: string;
  /** Avatar URL. */
  portrait?: string;
  /** Remark / alias. */
  alias?: string;
  /** Extra data. */
  extra?: string;
}

/** Group read-receipt state carried on RCIMIWMessage.groupReadReceiptInfo. */
export interface RCIMIWGroupReadReceiptInfo {
  /** True if a read receipt was requested for this message. */
  readReceiptMessage?: boolean;
  /** Whether the current user already responded (receiver side only). */
  hasRespond?: boolean;
  /** userId -> response time of members who responded. */
  respondUserIds?: { [propName: string]: number };
}

/** Element of the typing list in setOnTypingStatusChangedListener. */
export interface RCIMIWTypingStatus {
  /** User currently typing. */
  userId?: string;
  /** Object name of what is typed (the sender's currentType, e.g. RC:TxtMsg). */
  contentType?: string;
  /** Time of the typing event. */
  sentTime?: number;
}

/** Element of the list in setOnUltraGroupTypingStatusChangedListener. */
export interface RCIMIWUltraGroupTypingStatusInfo {
  /** Ultra group id. */
  targetId?: string;
  /** Channel id. */
  channelId?: string;
  /** Typing user id. */
  userId?: string;
  /** Number of typing users. */
  userNums?: number;
  /** Typing state (RCIMIWUltraGroupTypingStatus). */
  status?: RCIMIWUltraGroupTypingStatus;
  /** Server time when the typing event was received. */
  timestamp?: number;
}

/** Argument of setOnMessageBlockedListener. */
export interface RCIMIWBlockedMessageInfo {
  /** Conversation type of the blocked message. */
  conversationType?: RCIMIWConversationType;
  /** Conversation id of the blocked message. */
  targetId?: string;
  /** Channel of the blocked message (ultra groups; '' otherwise). */
  channelId?: string;
  /** UID of the blocked message (seed calls it blockMsgUid). */
  blockedMsgUId?: string;
  /** Why it was blocked (RCIMIWMessageBlockType). */
  blockType?: RCIMIWMessageBlockType;
  /** Extra info about the block. */
  extra?: string;
}

/** Element of setOnChatRoomMemberChangedListener's actions. */
export interface RCIMIWChatRoomMemberAction {
  /** User who joined/left. */
  userId?: string;
  /** UNKNOWN / JOIN / LEAVE. */
  actionType?: RCIMIWChatRoomMemberActionType;
}

// ───────────────────────────── Callback objects (5.2.5) ─────────────────────────────

/** (base / parent type) */
export interface IRCIMIWObjectCallback<T> {
  onSuccess?(t: T): void;
  onError?(code: number): void;
}

/** Callback object of 'connect'. */
export interface RCIMIWConnectCallback extends IRCIMIWConnectCallback {}

/** Callback object of 'sendMessage'. */
export interface RCIMIWSendMessageCallback extends IRCIMIWSendMessageCallback {}

/** Callback object of 'sendMediaMessage'. */
export interface RCIMIWSendMediaMessageListener extends IRCIMIWSendMediaMessageListener {}

/** Callback object of 'downloadMediaMessage'. */
export interface RCIMIWDownloadMediaMessageListener extends IRCIMIWDownloadMediaMessageListener {}

/** Callback object of 'sendGroupMessageToDesignatedUsers'. */
export interface RCIMIWSendGroupMessageToDesignatedUsersCallback extends IRCIMIWSendGroupMessageToDesignatedUsersCallback {}

/** (base / parent type) */
export interface IRCIMIWConnectCallback {
  onConnected?(code: number, userId: string): void;
  onDatabaseOpened?(code: number): void;
}

/** (base / parent type) */
export interface IRCIMIWSendMessageCallback {
  onMessageSaved?(message: RCIMIWMessage): void;
  onMessageSent?(code: number, message: RCIMIWMessage): void;
}

/** (base / parent type) */
export interface IRCIMIWSendMediaMessageListener {
  onMediaMessageSaved?(message: RCIMIWMediaMessage): void;
  onMediaMessageSending?(message: RCIMIWMediaMessage, progress: number): void;
  onSendingMediaMessageCanceled?(message: RCIMIWMediaMessage): void;
  onMediaMessageSent?(code: number, message: RCIMIWMediaMessage): void;
}

/** Callback object of 'cancelSendingMediaMessage'. */
export interface IRCIMIWCancelSendingMediaMessageCallback {
  onCancelSendingMediaMessageCalled?(code: number, message: RCIMIWMediaMessage): void;
}

/** (base / parent type) */
export interface IRCIMIWDownloadMediaMessageListener {
  onMediaMessageDownloading?(message: RCIMIWMediaMessage, progress: number): void;
  onDownloadingMediaMessageCanceled?(message: RCIMIWMediaMessage): void;
  onMediaMessageDownloaded?(code: number, message: RCIMIWMediaMessage): void;
}

/** Callback object of 'cancelDownloadingMediaMessage'. */
export interface IRCIMIWCancelDownloadingMediaMessageCallback {
  onCancelDownloadingMediaMessageCalled?(code: number, message: RCIMIWMediaMessage): void;
}

/** Callback object of 'getConversation'. */
export interface IRCIMIWGetConversationCallback extends IRCIMIWObjectCallback<RCIMIWConversation> {}

/** Callback object of 'getConversations'. */
export interface IRCIMIWGetConversationsCallback extends IRCIMIWObjectCallback<
  Array<RCIMIWConversation>
> {}

/** Callback object of 'removeConversation'. */
export interface IRCIMIWRemoveConversationCallback {
  onConversationRemoved?(code: number): void;
}

/** Callback object of 'removeConversations'. */
export interface IRCIMIWRemoveConversationsCallback {
  onConversationsRemoved?(code: number): void;
}

/** Callback object of 'getUnreadCount'. */
export interface IRCIMIWGetUnreadCountCallback extends IRCIMIWObjectCallback<number> {}

/** Callback object of 'getTotalUnreadCount'. */
export interface IRCIMIWGetTotalUnreadCountCallback extends IRCIMIWObjectCallback<number> {}

/** Callback object of 'getUnreadMentionedCount'. */
export interface IRCIMIWGetUnreadMentionedCountCallback extends IRCIMIWObjectCallback<number> {}

/** Callback object of 'getUltraGroupAllUnreadCount'. */
export interface IRCIMIWGetUltraGroupAllUnreadCountCallback extends IRCIMIWObjectCallback<number> {}

/** Callback object of 'getUltraGroupAllUnreadMentionedCount'. */
export interface IRCIMIWGetUltraGroupAllUnreadMentionedCountCallback extends IRCIMIWObjectCallback<number> {}

/** Callback object of 'getUltraGroupUnreadCount'. */
export interface IRCIMIWGetUltraGroupUnreadCountCallback extends IRCIMIWObjectCallback<number> {}

/** Callback object of 'getUltraGroupUnreadMentionedCount'. */
export interface IRCIMIWGetUltraGroupUnreadMentionedCountCallback extends IRCIMIWObjectCallback<number> {}

/** Callback object of 'getUnreadCountByConversationTypes'. */
export interface IRCIMIWGetUnreadCountByConversationTypesCallback extends IRCIMIWObjectCallback<number> {}

/** Callback object of 'clearUnreadCount'. */
export interface IRCIMIWClearUnreadCountCallback {
  onUnreadCountCleared?(code: number): void;
}

/** Callback object of 'saveDraftMessage'. */
export interface IRCIMIWSaveDraftMessageCallback {
  onDraftMessageSaved?(code: number): void;
}

/** Callback object of 'getDraftMessage'. */
export interface IRCIMIWGetDraftMessageCallback extends IRCIMIWObjectCallback<string> {}

/** Callback object of 'clearDraftMessage'. */
export interface IRCIMIWClearDraftMessageCallback {
  onDraftMessageCleared?(code: number): void;
}

/** Callback object of 'getBlockedConversations'. */
export interface IRCIMIWGetBlockedConversationsCallback extends IRCIMIWObjectCallback<
  Array<RCIMIWConversation>
> {}

/** Callback object of 'changeConversationTopStatus'. */
export interface IRCIMIWChangeConversationTopStatusCallback {
  onConversationTopStatusChanged?(code: number): void;
}

/** Callback object of 'getConversationTopStatus'. */
export interface IRCIMIWGetConversationTopStatusCallback extends IRCIMIWObjectCallback<Boolean> {}

/** Callback object of 'syncConversationReadStatus'. */
export interface IRCIMIWSyncConversationReadStatusCallback {
  onConversationReadStatusSynced?(code: number): void;
}

/** Callback object of 'getMessages'. */
export interface IRCIMIWGetMessagesCallback extends IRCIMIWObjectCallback<Array<RCIMIWMessage>> {}

/** Callback object of 'getMessageById', 'getMessageByUId'. */
export interface IRCIMIWGetMessageCallback extends IRCIMIWObjectCallback<RCIMIWMessage> {}

/** Callback object of 'getFirstUnreadMessage'. */
export interface IRCIMIWGetFirstUnreadMessageCallback extends IRCIMIWObjectCallback<RCIMIWMessage> {}

/** Callback object of 'getUnreadMentionedMessages'. */
export interface IRCIMIWGetUnreadMentionedMessagesCallback extends IRCIMIWObjectCallback<
  Array<RCIMIWMessage>
> {}

/** Callback object of 'insertMessage'. */
export interface IRCIMIWInsertMessageCallback {
  onMessageInserted?(code: number, message: RCIMIWMessage): void;
}

/** Callback object of 'insertMessages'. */
export interface IRCIMIWInsertMessagesCallback {
  onMessagesInserted?(code: number, messages: Array<RCIMIWMessage>): void;
}

/** Callback object of 'clearMessages'. */
export interface IRCIMIWClearMessagesCallback {
  onMessagesCleared?(code: number): void;
}

/** Callback object of 'deleteLocalMessages'. */
export interface IRCIMIWDeleteLocalMessagesCallback {
  onLocalMessagesDeleted?(code: number, messages: Array<RCIMIWMessage>): void;
}

/** Callback object of 'deleteMessages'. */
export interface IRCIMIWDeleteMessagesCallback {
  onMessagesDeleted?(code: number, messages: Array<RCIMIWMessage>): void;
}

/** Callback object of 'recallMessage'. */
export interface IRCIMIWRecallMessageCallback {
  onMessageRecalled?(code: number, message: RCIMIWMessage): void;
}

/** Callback object of 'sendPrivateReadReceiptMessage'. */
export interface IRCIMIWSendPrivateReadReceiptMessageCallback {
  onPrivateReadReceiptMessageSent?(code: number): void;
}

/** Callback object of 'sendGroupReadReceiptRequest'. */
export interface IRCIMIWSendGroupReadReceiptRequestCallback {
  onGroupReadReceiptRequestSent?(code: number, message: RCIMIWMessage): void;
}

/** Callback object of 'sendGroupReadReceiptResponse'. */
export interface IRCIMIWSendGroupReadReceiptResponseCallback {
  onGroupReadReceiptResponseSent?(code: number, message: Array<RCIMIWMessage>): void;
}

/** Callback object of 'updateMessageExpansion'. */
export interface IRCIMIWUpdateMessageExpansionCallback {
  onMessageExpansionUpdated?(code: number): void;
}

/** Callback object of 'removeMessageExpansionForKeys'. */
export interface IRCIMIWRemoveMessageExpansionForKeysCallback {
  onMessageExpansionForKeysRemoved?(code: number): void;
}

/** Callback object of 'changeMessageSentStatus'. */
export interface IRCIMIWChangeMessageSentStatusCallback {
  onMessageSentStatusChanged?(code: number): void;
}

/** Callback object of 'changeMessageReceiveStatus'. */
export interface IRCIMIWChangeMessageReceivedStatusCallback {
  onMessageReceiveStatusChanged?(code: number): void;
}

/** Callback object of 'joinChatRoom'. */
export interface IRCIMIWJoinChatRoomCallback {
  onChatRoomJoined?(code: number, targetId: string): void;
}

/** Callback object of 'leaveChatRoom'. */
export interface IRCIMIWLeaveChatRoomCallback {
  onChatRoomLeft?(code: number, targetId: string): void;
}

/** Callback object of 'getChatRoomMessages'. */
export interface IRCIMIWGetChatRoomMessagesCallback extends IRCIMIWObjectCallback<
  Array<RCIMIWMessage>
> {}

/** Callback object of 'addChatRoomEntry'. */
export interface IRCIMIWAddChatRoomEntryCallback {
  onChatRoomEntryAdded?(code: number): void;
}

/** Callback object of 'addChatRoomEntries'. */
export interface IRCIMIWAddChatRoomEntriesCallback {
  onChatRoomEntriesAdded?(code: number, errors: Map<string, number>): void;
}

/** Callback object of 'getChatRoomEntry'. */
export interface IRCIMIWGetChatRoomEntryCallback extends IRCIMIWObjectCallback<
  Map<string, string>
> {}

/** Callback object of 'getChatRoomAllEntries'. */
export interface IRCIMIWGetChatRoomAllEntriesCallback extends IRCIMIWObjectCallback<
  Map<string, string>
> {}

/** Callback object of 'removeChatRoomEntry'. */
export interface IRCIMIWRemoveChatRoomEntryCallback {
  onChatRoomEntryRemoved?(code: number): void;
}

/** Callback object of 'removeChatRoomEntries'. */
export interface IRCIMIWRemoveChatRoomEntriesCallback {
  onChatRoomEntriesRemoved?(code: number): void;
}

/** Callback object of 'addToBlacklist'. */
export interface IRCIMIWAddToBlacklistCallback {
  onBlacklistAdded?(code: number, userId: string): void;
}

/** Callback object of 'removeFromBlacklist'. */
export interface IRCIMIWRemoveFromBlacklistCallback {
  onBlacklistRemoved?(code: number, userId: string): void;
}

/** Callback object of 'getBlacklistStatus'. */
export interface IRCIMIWGetBlacklistStatusCallback extends IRCIMIWObjectCallback<RCIMIWBlacklistStatus> {}

/** Callback object of 'getBlacklist'. */
export interface IRCIMIWGetBlacklistCallback extends IRCIMIWObjectCallback<Array<string>> {}

/** Callback object of 'searchMessages'. */
export interface IRCIMIWSearchMessagesCallback extends IRCIMIWObjectCallback<
  Array<RCIMIWMessage>
> {}

/** Callback object of 'searchMessagesByTimeRange'. */
export interface IRCIMIWSearchMessagesByTimeRangeCallback extends IRCIMIWObjectCallback<
  Array<RCIMIWMessage>
> {}

/** Callback object of 'searchMessagesByUserId'. */
export interface IRCIMIWSearchMessagesByUserIdCallback extends IRCIMIWObjectCallback<
  Array<RCIMIWMessage>
> {}

/** Callback object of 'searchConversations'. */
export interface IRCIMIWSearchConversationsCallback extends IRCIMIWObjectCallback<
  Array<RCIMIWSearchConversationResult>
> {}

/** Callback object of 'changeNotificationQuietHours'. */
export interface IRCIMIWChangeNotificationQuietHoursCallback {
  onNotificationQuietHoursChanged?(code: number): void;
}

/** Callback object of 'removeNotificationQuietHours'. */
export interface IRCIMIWRemoveNotificationQuietHoursCallback {
  onNotificationQuietHoursRemoved?(code: number): void;
}

/** Callback object of 'getNotificationQuietHours'. */
export interface IRCIMIWGetNotificationQuietHoursCallback {
  onSuccess?(
    startTime: string,
    spanMinutes: number,
    level: RCIMIWPushNotificationQuietHoursLevel
  ): void;
  onError?(code: number): void;
}

/** Callback object of 'changeConversationNotificationLevel'. */
export interface IRCIMIWChangeConversationNotificationLevelCallback {
  onConversationNotificationLevelChanged?(code: number): void;
}

/** Callback object of 'getConversationNotificationLevel'. */
export interface IRCIMIWGetConversationNotificationLevelCallback extends IRCIMIWObjectCallback<RCIMIWPushNotificationLevel> {}

/** Callback object of 'changeConversationTypeNotificationLevel'. */
export interface IRCIMIWChangeConversationTypeNotificationLevelCallback {
  onConversationTypeNotificationLevelChanged?(code: number): void;
}

/** Callback object of 'getConversationTypeNotificationLevel'. */
export interface IRCIMIWGetConversationTypeNotificationLevelCallback extends IRCIMIWObjectCallback<RCIMIWPushNotificationLevel> {}

/** Callback object of 'changeUltraGroupDefaultNotificationLevel'. */
export interface IRCIMIWChangeUltraGroupDefaultNotificationLevelCallback {
  onUltraGroupDefaultNotificationLevelChanged?(code: number): void;
}

/** Callback object of 'getUltraGroupDefaultNotificationLevel'. */
export interface IRCIMIWGetUltraGroupDefaultNotificationLevelCallback extends IRCIMIWObjectCallback<RCIMIWPushNotificationLevel> {}

/** Callback object of 'changeUltraGroupChannelDefaultNotificationLevel'. */
export interface IRCIMIWChangeUltraGroupChannelDefaultNotificationLevelCallback {
  onUltraGroupChannelDefaultNotificationLevelChanged?(code: number): void;
}

/** Callback object of 'getUltraGroupChannelDefaultNotificationLevel'. */
export interface IRCIMIWGetUltraGroupChannelDefaultNotificationLevelCallback extends IRCIMIWObjectCallback<RCIMIWPushNotificationLevel> {}

/** Callback object of 'changePushContentShowStatus'. */
export interface IRCIMIWChangePushContentShowStatusCallback {
  onPushContentShowStatusChanged?(code: number): void;
}

/** Callback object of 'changePushLanguage'. */
export interface IRCIMIWChangePushLanguageCallback {
  onPushLanguageChanged?(code: number): void;
}

/** Callback object of 'changePushReceiveStatus'. */
export interface IRCIMIWChangePushReceiveStatusCallback {
  onPushReceiveStatusChanged?(code: number): void;
}

/** (base / parent type) */
export interface IRCIMIWSendGroupMessageToDesignatedUsersCallback extends IRCIMIWSendMessageCallback {}

/** Callback object of 'getMessageCount'. */
export interface IRCIMIWGetMessageCountCallback extends IRCIMIWObjectCallback<number> {}

/** Callback object of 'getTopConversations'. */
export interface IRCIMIWGetTopConversationsCallback extends IRCIMIWObjectCallback<
  Array<RCIMIWConversation>
> {}

/** Callback object of 'syncUltraGroupReadStatus'. */
export interface IRCIMIWSyncUltraGroupReadStatusCallback {
  onUltraGroupReadStatusSynced?(code: number): void;
}

/** Callback object of 'getConversationsForAllChannel'. */
export interface IRCIMIWGetConversationsForAllChannelCallback extends IRCIMIWObjectCallback<
  Array<RCIMIWConversation>
> {}

/** Callback object of 'modifyUltraGroupMessage'. */
export interface IRCIMIWModifyUltraGroupMessageCallback {
  onUltraGroupMessageModified?(code: number): void;
}

/** Callback object of 'recallUltraGroupMessage'. */
export interface IRCIMIWRecallUltraGroupMessageCallback {
  onUltraGroupMessageRecalled?(code: number): void;
}

/** Callback object of 'clearUltraGroupMessages'. */
export interface IRCIMIWClearUltraGroupMessagesCallback {
  onUltraGroupMessagesCleared?(code: number): void;
}

/** Callback object of 'sendUltraGroupTypingStatus'. */
export interface IRCIMIWSendUltraGroupTypingStatusCallback {
  onUltraGroupTypingStatusSent?(code: number): void;
}

/** Callback object of 'clearUltraGroupMessagesForAllChannel'. */
export interface IRCIMIWClearUltraGroupMessagesForAllChannelCallback {
  onUltraGroupMessagesClearedForAllChannel?(code: number): void;
}

/** Callback object of 'getBatchRemoteUltraGroupMessages'. */
export interface IRCIMIWGetBatchRemoteUltraGroupMessagesCallback {
  onSuccess?(matchedMessages: Array<RCIMIWMessage>, notMatchedMessages: Array<RCIMIWMessage>): void;
  onError?(code: number): void;
}

/** Callback object of 'updateUltraGroupMessageExpansion'. */
export interface IRCIMIWUpdateUltraGroupMessageExpansionCallback {
  onUltraGroupMessageExpansionUpdated?(code: number): void;
}

/** Callback object of 'removeUltraGroupMessageExpansionForKeys'. */
export interface IRCIMIWRemoveUltraGroupMessageExpansionForKeysCallback {
  onUltraGroupMessageExpansionForKeysRemoved?(code: number): void;
}

// ───────────────────────────── Global listener ─────────────────────────────

/** All global listener callbacks, one per 'setOn<Name>Listener' slot of RCIMIWEngine (same parameter lists). A type only. */
export interface IRCIMIWListener {
  /** Slot of 'setOnMessageReceivedListener' (event). */
  onMessageReceived?: (
    message: RCIMIWMessage,
    left: number,
    offline: boolean,
    hasPackage: boolean
  ) => void;
  /** Slot of 'setOnConnectionStatusChangedListener' (event). */
  onConnectionStatusChanged?: (status: RCIMIWConnectionStatus) => void;
  /** Slot of 'setOnConversationTopStatusSyncedListener' (event). */
  onConversationTopStatusSynced?: (
    type: RCIMIWConversationType,
    targetId: string,
    channelId: string,
    top: boolean
  ) => void;
  /** Slot of 'setOnRemoteMessageRecalledListener' (event). */
  onRemoteMessageRecalled?: (message: RCIMIWMessage) => void;
  /** Slot of 'setOnPrivateReadReceiptReceivedListener' (event). */
  onPrivateReadReceiptReceived?: (targetId: string, channelId: string, timestamp: number) => void;
  /** Slot of 'setOnRemoteMessageExpansionUpdatedListener' (event). */
  onRemoteMessageExpansionUpdated?: (
    expansion: Map<string, string>,
    message: RCIMIWMessage
  ) => void;
  /** Slot of 'setOnRemoteMessageExpansionForKeyRemovedListener' (event). */
  onRemoteMessageExpansionForKeyRemoved?: (message: RCIMIWMessage, keys: Array<string>) => void;
  /** Slot of 'setOnChatRoomMemberChangedListener' (event). */
  onChatRoomMemberChanged?: (targetId: string, actions: Array<RCIMIWChatRoomMemberAction>) => void;
  /** Slot of 'setOnTypingStatusChangedListener' (event). */
  onTypingStatusChanged?: (
    type: RCIMIWConversationType,
    targetId: string,
    channelId: string,
    userTypingStatus: Array<RCIMIWTypingStatus>
  ) => void;
  /** Slot of 'setOnConversationReadStatusSyncMessageReceivedListener' (event). */
  onConversationReadStatusSyncMessageReceived?: (
    type: RCIMIWConversationType,
    targetId: string,
    timestamp: number
  ) => void;
  /** Slot of 'setOnChatRoomEntriesSyncedListener' (event). */
  onChatRoomEntriesSynced?: (roomId: string) => void;
  /** Slot of 'setOnChatRoomEntriesChangedListener' (event). */
  onChatRoomEntriesChanged?: (
    operationType: RCIMIWChatRoomEntriesOperationType,
    roomId: string,
    entries: Map<string, string>
  ) => void;
  /** Slot of 'setOnRemoteUltraGroupMessageExpansionUpdatedListener' (event). */
  onRemoteUltraGroupMessageExpansionUpdated?: (messages: Array<RCIMIWMessage>) => void;
  /** Slot of 'setOnRemoteUltraGroupMessageModifiedListener' (event). */
  onRemoteUltraGroupMessageModified?: (messages: Array<RCIMIWMessage>) => void;
  /** Slot of 'setOnRemoteUltraGroupMessageRecalledListener' (event). */
  onRemoteUltraGroupMessageRecalled?: (messages: Array<RCIMIWMessage>) => void;
  /** Slot of 'setOnUltraGroupReadTimeReceivedListener' (event). */
  onUltraGroupReadTimeReceived?: (targetId: string, channelId: string, timestamp: number) => void;
  /** Slot of 'setOnUltraGroupTypingStatusChangedListener' (event). */
  onUltraGroupTypingStatusChanged?: (info: Array<RCIMIWUltraGroupTypingStatusInfo>) => void;
  /** Slot of 'setOnMessageBlockedListener' (event). */
  onMessageBlocked?: (info: RCIMIWBlockedMessageInfo) => void;
  /** Slot of 'setOnChatRoomStatusChangedListener' (event). */
  onChatRoomStatusChanged?: (targetId: string, status: RCIMIWChatRoomStatus) => void;
  /** Slot of 'setOnGroupMessageReadReceiptRequestReceivedListener' (event). */
  onGroupMessageReadReceiptRequestReceived?: (targetId: string, messageUId: string) => void;
  /** Slot of 'setOnGroupMessageReadReceiptResponseReceivedListener' (event). */
  onGroupMessageReadReceiptResponseReceived?: (
    targetId: string,
    messageUId: string,
    respondUserIds: Map<string, number>
  ) => void;
  /** Slot of 'setOnConnectedListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onConnected?: (code: number, userId: string) => void;
  /** Slot of 'setOnDatabaseOpenedListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onDatabaseOpened?: (code: number) => void;
  /** Slot of 'setOnConversationLoadedListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onConversationLoaded?: (
    code: number,
    type: RCIMIWConversationType,
    targetId: string,
    channelId: string,
    conversation: RCIMIWConversation
  ) => void;
  /** Slot of 'setOnConversationsLoadedListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onConversationsLoaded?: (
    code: number,
    conversationTypes: Array<RCIMIWConversationType>,
    channelId: string,
    startTime: number,
    count: number,
    conversations: Array<RCIMIWConversation>
  ) => void;
  /** Slot of 'setOnConversationRemovedListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onConversationRemoved?: (
    code: number,
    type: RCIMIWConversationType,
    targetId: string,
    channelId: string
  ) => void;
  /** Slot of 'setOnConversationsRemovedListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onConversationsRemoved?: (
    code: number,
    conversationTypes: Array<RCIMIWConversationType>,
    channelId: string
  ) => void;
  /** Slot of 'setOnTotalUnreadCountLoadedListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onTotalUnreadCountLoaded?: (code: number, channelId: string, count: number) => void;
  /** Slot of 'setOnUnreadCountLoadedListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onUnreadCountLoaded?: (
    code: number,
    type: RCIMIWConversationType,
    targetId: string,
    channelId: string,
    count: number
  ) => void;
  /** Slot of 'setOnUnreadCountByConversationTypesLoadedListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onUnreadCountByConversationTypesLoaded?: (
    code: number,
    conversationTypes: Array<RCIMIWConversationType>,
    channelId: string,
    contain: boolean,
    count: number
  ) => void;
  /** Slot of 'setOnUnreadMentionedCountLoadedListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onUnreadMentionedCountLoaded?: (
    code: number,
    type: RCIMIWConversationType,
    targetId: string,
    channelId: string,
    count: number
  ) => void;
  /** Slot of 'setOnUltraGroupAllUnreadCountLoadedListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onUltraGroupAllUnreadCountLoaded?: (code: number, count: number) => void;
  /** Slot of 'setOnUltraGroupAllUnreadMentionedCountLoadedListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onUltraGroupAllUnreadMentionedCountLoaded?: (code: number, count: number) => void;
  /** Slot of 'setOnUnreadCountClearedListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onUnreadCountCleared?: (
    code: number,
    type: RCIMIWConversationType,
    targetId: string,
    channelId: string,
    timestamp: number
  ) => void;
  /** Slot of 'setOnDraftMessageSavedListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onDraftMessageSaved?: (
    code: number,
    type: RCIMIWConversationType,
    targetId: string,
    channelId: string,
    draft: string
  ) => void;
  /** Slot of 'setOnDraftMessageClearedListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onDraftMessageCleared?: (
    code: number,
    type: RCIMIWConversationType,
    targetId: string,
    channelId: string
  ) => void;
  /** Slot of 'setOnDraftMessageLoadedListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onDraftMessageLoaded?: (
    code: number,
    type: RCIMIWConversationType,
    targetId: string,
    channelId: string,
    draft: string
  ) => void;
  /** Slot of 'setOnBlockedConversationsLoadedListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onBlockedConversationsLoaded?: (
    code: number,
    conversationTypes: Array<RCIMIWConversationType>,
    channelId: string,
    conversations: Array<RCIMIWConversation>
  ) => void;
  /** Slot of 'setOnConversationTopStatusChangedListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onConversationTopStatusChanged?: (
    code: number,
    type: RCIMIWConversationType,
    targetId: string,
    channelId: string,
    top: boolean
  ) => void;
  /** Slot of 'setOnConversationTopStatusLoadedListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onConversationTopStatusLoaded?: (
    code: number,
    type: RCIMIWConversationType,
    targetId: string,
    channelId: string,
    top: boolean
  ) => void;
  /** Slot of 'setOnConversationReadStatusSyncedListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onConversationReadStatusSynced?: (
    code: number,
    type: RCIMIWConversationType,
    targetId: string,
    channelId: string,
    timestamp: number
  ) => void;
  /** Slot of 'setOnMessageAttachedListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onMessageAttached?: (message: RCIMIWMessage) => void;
  /** Slot of 'setOnMessageSentListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onMessageSent?: (code: number, message: RCIMIWMessage) => void;
  /** Slot of 'setOnMediaMessageAttachedListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onMediaMessageAttached?: (message: RCIMIWMediaMessage) => void;
  /** Slot of 'setOnMediaMessageSendingListener' (progress). @deprecated in 5.2.5: use the per-call callback object. */
  onMediaMessageSending?: (message: RCIMIWMediaMessage, progress: number) => void;
  /** Slot of 'setOnSendingMediaMessageCanceledListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onSendingMediaMessageCanceled?: (code: number, message: RCIMIWMediaMessage) => void;
  /** Slot of 'setOnMediaMessageSentListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onMediaMessageSent?: (code: number, message: RCIMIWMediaMessage) => void;
  /** Slot of 'setOnMediaMessageDownloadingListener' (progress). @deprecated in 5.2.5: use the per-call callback object. */
  onMediaMessageDownloading?: (message: RCIMIWMediaMessage, progress: number) => void;
  /** Slot of 'setOnMediaMessageDownloadedListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onMediaMessageDownloaded?: (code: number, message: RCIMIWMediaMessage) => void;
  /** Slot of 'setOnDownloadingMediaMessageCanceledListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onDownloadingMediaMessageCanceled?: (code: number, message: RCIMIWMediaMessage) => void;
  /** Slot of 'setOnMessagesLoadedListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onMessagesLoaded?: (
    code: number,
    type: RCIMIWConversationType,
    targetId: string,
    channelId: string,
    sentTime: number,
    order: RCIMIWTimeOrder,
    messages: Array<RCIMIWMessage>
  ) => void;
  /** Slot of 'setOnUnreadMentionedMessagesLoadedListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onUnreadMentionedMessagesLoaded?: (
    code: number,
    type: RCIMIWConversationType,
    targetId: string,
    channelId: string,
    messages: Array<RCIMIWMessage>
  ) => void;
  /** Slot of 'setOnFirstUnreadMessageLoadedListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onFirstUnreadMessageLoaded?: (
    code: number,
    type: RCIMIWConversationType,
    targetId: string,
    channelId: string,
    message: RCIMIWMessage
  ) => void;
  /** Slot of 'setOnMessageInsertedListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onMessageInserted?: (code: number, message: RCIMIWMessage) => void;
  /** Slot of 'setOnMessagesInsertedListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onMessagesInserted?: (code: number, messages: Array<RCIMIWMessage>) => void;
  /** Slot of 'setOnMessagesClearedListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onMessagesCleared?: (
    code: number,
    type: RCIMIWConversationType,
    targetId: string,
    channelId: string,
    timestamp: number
  ) => void;
  /** Slot of 'setOnLocalMessagesDeletedListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onLocalMessagesDeleted?: (code: number, messages: Array<RCIMIWMessage>) => void;
  /** Slot of 'setOnMessagesDeletedListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onMessagesDeleted?: (
    code: number,
    type: RCIMIWConversationType,
    targetId: string,
    channelId: string,
    messages: Array<RCIMIWMessage>
  ) => void;
  /** Slot of 'setOnMessageRecalledListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onMessageRecalled?: (code: number, message: RCIMIWMessage) => void;
  /** Slot of 'setOnPrivateReadReceiptMessageSentListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onPrivateReadReceiptMessageSent?: (
    code: number,
    targetId: string,
    channelId: string,
    timestamp: number
  ) => void;
  /** Slot of 'setOnMessageExpansionUpdatedListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onMessageExpansionUpdated?: (
    code: number,
    messageUId: string,
    expansion: Map<string, string>
  ) => void;
  /** Slot of 'setOnMessageExpansionForKeysRemovedListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onMessageExpansionForKeysRemoved?: (
    code: number,
    messageUId: string,
    keys: Array<string>
  ) => void;
  /** Slot of 'setOnMessageReceiveStatusChangedListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onMessageReceiveStatusChanged?: (code: number, messageId: number) => void;
  /** Slot of 'setOnMessageSentStatusChangedListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onMessageSentStatusChanged?: (code: number, messageId: number) => void;
  /** Slot of 'setOnChatRoomJoinedListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onChatRoomJoined?: (code: number, targetId: string) => void;
  /** Slot of 'setOnChatRoomJoiningListener' (progress). @deprecated in 5.2.5: use the per-call callback object. */
  onChatRoomJoining?: (targetId: string) => void;
  /** Slot of 'setOnChatRoomLeftListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onChatRoomLeft?: (code: number, targetId: string) => void;
  /** Slot of 'setOnChatRoomMessagesLoadedListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onChatRoomMessagesLoaded?: (
    code: number,
    targetId: string,
    messages: Array<RCIMIWMessage>,
    syncTime: number
  ) => void;
  /** Slot of 'setOnChatRoomEntryAddedListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onChatRoomEntryAdded?: (code: number, targetId: string, key: string) => void;
  /** Slot of 'setOnChatRoomEntriesAddedListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onChatRoomEntriesAdded?: (
    code: number,
    targetId: string,
    entries: Map<string, string>,
    errorEntries: Map<string, number>
  ) => void;
  /** Slot of 'setOnChatRoomEntryLoadedListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onChatRoomEntryLoaded?: (code: number, targetId: string, entry: Map<string, string>) => void;
  /** Slot of 'setOnChatRoomAllEntriesLoadedListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onChatRoomAllEntriesLoaded?: (
    code: number,
    targetId: string,
    entries: Map<string, string>
  ) => void;
  /** Slot of 'setOnChatRoomEntryRemovedListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onChatRoomEntryRemoved?: (code: number, targetId: string, key: string) => void;
  /** Slot of 'setOnChatRoomEntriesRemovedListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onChatRoomEntriesRemoved?: (code: number, targetId: string, keys: Array<string>) => void;
  /** Slot of 'setOnBlacklistAddedListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onBlacklistAdded?: (code: number, userId: string) => void;
  /** Slot of 'setOnBlacklistRemovedListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onBlacklistRemoved?: (code: number, userId: string) => void;
  /** Slot of 'setOnBlacklistStatusLoadedListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onBlacklistStatusLoaded?: (code: number, userId: string, status: RCIMIWBlacklistStatus) => void;
  /** Slot of 'setOnBlacklistLoadedListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onBlacklistLoaded?: (code: number, userIds: Array<string>) => void;
  /** Slot of 'setOnMessagesSearchedListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onMessagesSearched?: (
    code: number,
    type: RCIMIWConversationType,
    targetId: string,
    channelId: string,
    keyword: string,
    startTime: number,
    count: number,
    messages: Array<RCIMIWMessage>
  ) => void;
  /** Slot of 'setOnMessagesSearchedByTimeRangeListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onMessagesSearchedByTimeRange?: (
    code: number,
    type: RCIMIWConversationType,
    targetId: string,
    channelId: string,
    keyword: string,
    startTime: number,
    endTime: number,
    offset: number,
    count: number,
    messages: Array<RCIMIWMessage>
  ) => void;
  /** Slot of 'setOnMessagesSearchedByUserIdListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onMessagesSearchedByUserId?: (
    code: number,
    userId: string,
    type: RCIMIWConversationType,
    targetId: string,
    channelId: string,
    startTime: number,
    count: number,
    messages: Array<RCIMIWMessage>
  ) => void;
  /** Slot of 'setOnConversationsSearchedListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onConversationsSearched?: (
    code: number,
    conversationTypes: Array<RCIMIWConversationType>,
    channelId: string,
    messageTypes: Array<RCIMIWMessageType>,
    keyword: string,
    conversations: Array<RCIMIWSearchConversationResult>
  ) => void;
  /** Slot of 'setOnGroupReadReceiptRequestSentListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onGroupReadReceiptRequestSent?: (code: number, message: RCIMIWMessage) => void;
  /** Slot of 'setOnGroupReadReceiptResponseSentListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onGroupReadReceiptResponseSent?: (
    code: number,
    targetId: string,
    channelId: string,
    messages: Array<RCIMIWMessage>
  ) => void;
  /** Slot of 'setOnNotificationQuietHoursChangedListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onNotificationQuietHoursChanged?: (
    code: number,
    startTime: string,
    spanMinutes: number,
    level: RCIMIWPushNotificationQuietHoursLevel
  ) => void;
  /** Slot of 'setOnNotificationQuietHoursRemovedListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onNotificationQuietHoursRemoved?: (code: number) => void;
  /** Slot of 'setOnNotificationQuietHoursLoadedListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onNotificationQuietHoursLoaded?: (
    code: number,
    startTime: string,
    spanMinutes: number,
    level: RCIMIWPushNotificationQuietHoursLevel
  ) => void;
  /** Slot of 'setOnConversationNotificationLevelChangedListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onConversationNotificationLevelChanged?: (
    code: number,
    type: RCIMIWConversationType,
    targetId: string,
    channelId: string,
    level: RCIMIWPushNotificationLevel
  ) => void;
  /** Slot of 'setOnConversationNotificationLevelLoadedListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onConversationNotificationLevelLoaded?: (
    code: number,
    type: RCIMIWConversationType,
    targetId: string,
    channelId: string,
    level: RCIMIWPushNotificationLevel
  ) => void;
  /** Slot of 'setOnConversationTypeNotificationLevelChangedListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onConversationTypeNotificationLevelChanged?: (
    code: number,
    type: RCIMIWConversationType,
    level: RCIMIWPushNotificationLevel
  ) => void;
  /** Slot of 'setOnConversationTypeNotificationLevelLoadedListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onConversationTypeNotificationLevelLoaded?: (
    code: number,
    type: RCIMIWConversationType,
    level: RCIMIWPushNotificationLevel
  ) => void;
  /** Slot of 'setOnUltraGroupDefaultNotificationLevelChangedListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onUltraGroupDefaultNotificationLevelChanged?: (
    code: number,
    targetId: string,
    level: RCIMIWPushNotificationLevel
  ) => void;
  /** Slot of 'setOnUltraGroupDefaultNotificationLevelLoadedListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onUltraGroupDefaultNotificationLevelLoaded?: (
    code: number,
    targetId: string,
    level: RCIMIWPushNotificationLevel
  ) => void;
  /** Slot of 'setOnUltraGroupChannelDefaultNotificationLevelChangedListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onUltraGroupChannelDefaultNotificationLevelChanged?: (
    code: number,
    targetId: string,
    channelId: string,
    level: RCIMIWPushNotificationLevel
  ) => void;
  /** Slot of 'setOnUltraGroupChannelDefaultNotificationLevelLoadedListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onUltraGroupChannelDefaultNotificationLevelLoaded?: (
    code: number,
    targetId: string,
    channelId: string,
    level: RCIMIWPushNotificationLevel
  ) => void;
  /** Slot of 'setOnPushContentShowStatusChangedListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onPushContentShowStatusChanged?: (code: number, showContent: boolean) => void;
  /** Slot of 'setOnPushLanguageChangedListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onPushLanguageChanged?: (code: number, language: string) => void;
  /** Slot of 'setOnPushReceiveStatusChangedListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onPushReceiveStatusChanged?: (code: number, receive: boolean) => void;
  /** Slot of 'setOnMessageCountLoadedListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onMessageCountLoaded?: (
    code: number,
    type: RCIMIWConversationType,
    targetId: string,
    channelId: string,
    count: number
  ) => void;
  /** Slot of 'setOnTopConversationsLoadedListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onTopConversationsLoaded?: (
    code: number,
    conversationTypes: Array<RCIMIWConversationType>,
    channelId: string,
    conversations: Array<RCIMIWConversation>
  ) => void;
  /** Slot of 'setOnGroupMessageToDesignatedUsersAttachedListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onGroupMessageToDesignatedUsersAttached?: (message: RCIMIWMessage) => void;
  /** Slot of 'setOnGroupMessageToDesignatedUsersSentListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onGroupMessageToDesignatedUsersSent?: (code: number, message: RCIMIWMessage) => void;
  /** Slot of 'setOnUltraGroupReadStatusSyncedListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onUltraGroupReadStatusSynced?: (
    code: number,
    targetId: string,
    channelId: string,
    timestamp: number
  ) => void;
  /** Slot of 'setOnConversationsLoadedForAllChannelListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onConversationsLoadedForAllChannel?: (
    code: number,
    type: RCIMIWConversationType,
    targetId: string,
    conversations: Array<RCIMIWConversation>
  ) => void;
  /** Slot of 'setOnUltraGroupUnreadMentionedCountLoadedListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onUltraGroupUnreadMentionedCountLoaded?: (code: number, targetId: string, count: number) => void;
  /** Slot of 'setOnUltraGroupUnreadCountLoadedListener' (result). */
  onUltraGroupUnreadCountLoaded?: (code: number, targetId: string, count: number) => void;
  /** Slot of 'setOnUltraGroupMessageModifiedListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onUltraGroupMessageModified?: (code: number, messageUId: string) => void;
  /** Slot of 'setOnUltraGroupMessageRecalledListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onUltraGroupMessageRecalled?: (
    code: number,
    message: RCIMIWMessage,
    deleteRemote: boolean
  ) => void;
  /** Slot of 'setOnUltraGroupMessagesClearedListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onUltraGroupMessagesCleared?: (
    code: number,
    targetId: string,
    channelId: string,
    timestamp: number,
    policy: RCIMIWMessageOperationPolicy
  ) => void;
  /** Slot of 'setOnUltraGroupMessagesClearedForAllChannelListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onUltraGroupMessagesClearedForAllChannel?: (
    code: number,
    targetId: string,
    timestamp: number
  ) => void;
  /** Slot of 'setOnUltraGroupTypingStatusSentListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onUltraGroupTypingStatusSent?: (
    code: number,
    targetId: string,
    channelId: string,
    typingStatus: RCIMIWUltraGroupTypingStatus
  ) => void;
  /** Slot of 'setOnBatchRemoteUltraGroupMessagesLoadedListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onBatchRemoteUltraGroupMessagesLoaded?: (
    code: number,
    matchedMessages: Array<RCIMIWMessage>,
    notMatchedMessages: Array<RCIMIWMessage>
  ) => void;
  /** Slot of 'setOnUltraGroupMessageExpansionUpdatedListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onUltraGroupMessageExpansionUpdated?: (
    code: number,
    expansion: Map<string, string>,
    messageUId: string
  ) => void;
  /** Slot of 'setOnUltraGroupMessageExpansionForKeysRemovedListener' (result). @deprecated in 5.2.5: use the per-call callback object. */
  onUltraGroupMessageExpansionForKeysRemoved?: (
    code: number,
    messageUId: string,
    keys: Array<string>
  ) => void;
}
