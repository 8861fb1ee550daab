//! Valid inputs of every target, the starting points of mutation: one request of every arm,
//! frames of every kind, signed Server API calls, tokens.

use crate::server_api::{FIELD_SEPARATOR, JSON, RC_PREFIX, SIGN};
use crate::targets::{APP_KEY, APP_SECRET};
use bytes::BytesMut;
use prost::Message as _;
use rcim_proto::conversation_type::{
    CHATROOM, GROUP as GROUP_TYPE, PRIVATE, ULTRA_GROUP as UG_TYPE,
};
use rcim_proto::v1::change_user_setting::Change;
use rcim_proto::v1::request::Body;
use rcim_proto::v1::*;
use rcim_proto::FrameCodec;
use std::collections::HashMap;
use tokio_util::codec::Encoder as _;

/// The other user of the private conversations.
pub const PEER: &str = "peer";
/// The group of the fuzzed user and [`PEER`].
pub const GROUP: &str = "g1";
/// The ultra group of the fuzzed user and [`PEER`].
pub const ULTRA_GROUP: &str = "ug1";
/// A channel of [`ULTRA_GROUP`].
pub const ULTRA_CHANNEL: &str = "c1";
/// The chatroom.
pub const ROOM: &str = "room1";

/// The protobuf field name of a request's arm. No wildcard: a new arm does not compile until
/// it is named here and given a seed in [`requests`].
pub fn arm_name(body: &Body) -> &'static str {
    match body {
        Body::Sync(_) => "sync",
        Body::SendMessage(_) => "send_message",
        Body::RecallMessage(_) => "recall_message",
        Body::PrivateReadReceipt(_) => "private_read_receipt",
        Body::ConversationSetting(_) => "conversation_setting",
        Body::MediaUpload(_) => "media_upload",
        Body::History(_) => "history",
        Body::UpdateExpansion(_) => "update_expansion",
        Body::DeleteMessages(_) => "delete_messages",
        Body::ClearHistory(_) => "clear_history",
        Body::UserSetting(_) => "user_setting",
        Body::Settings(_) => "settings",
        Body::Typing(_) => "typing",
        Body::ReadStatus(_) => "read_status",
        Body::ReceiptRequest(_) => "receipt_request",
        Body::ReceiptResponse(_) => "receipt_response",
        Body::JoinChatroom(_) => "join_chatroom",
        Body::LeaveChatroom(_) => "leave_chatroom",
        Body::ChatroomHistory(_) => "chatroom_history",
        Body::ChatroomSetEntries(_) => "chatroom_set_entries",
        Body::ChatroomRemoveEntries(_) => "chatroom_remove_entries",
        Body::ChatroomEntries(_) => "chatroom_entries",
        Body::UltragroupSync(_) => "ultragroup_sync",
        Body::UltragroupChanges(_) => "ultragroup_changes",
        Body::UltragroupMessages(_) => "ultragroup_messages",
        Body::UltragroupLevel(_) => "ultragroup_level",
        Body::UltragroupModify(_) => "ultragroup_modify",
        Body::UltragroupRecall(_) => "ultragroup_recall",
        Body::UltragroupExpansion(_) => "ultragroup_expansion",
        Body::UltragroupClear(_) => "ultragroup_clear",
        Body::UltragroupSetLevel(_) => "ultragroup_set_level",
    }
}

/// Number of arms of `Request.body`.
pub const ARMS: usize = 31;

fn s(v: &str) -> String {
    v.to_owned()
}

fn map(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs.iter().map(|(k, v)| (s(k), s(v))).collect()
}

fn text(conversation_type: u32, target: &str, channel: &str) -> Body {
    Body::SendMessage(SendMessage {
        conversation_type,
        target_id: s(target),
        channel_id: s(channel),
        object_name: s("RC:TxtMsg"),
        content: s(r#"{"content":"hello","extra":"x"}"#),
        persisted: true,
        counted: true,
        push_content: s("hello"),
        can_expand: true,
        expansion: map(&[("k", "v")]),
        ..Default::default()
    })
}

/// The first messages of a run, one per conversation kind with messages: their ids fill the
/// `@N` placeholders.
pub fn first_messages() -> Vec<Request> {
    [
        text(PRIVATE, PEER, ""),
        text(GROUP_TYPE, GROUP, ""),
        text(UG_TYPE, ULTRA_GROUP, ""),
        text(UG_TYPE, ULTRA_GROUP, ULTRA_CHANNEL),
    ]
    .into_iter()
    .enumerate()
    .map(|(i, body)| Request {
        request_id: format!("first-{i}"),
        body: Some(body),
    })
    .collect()
}

/// One or more requests of every arm (state-changing ones with a request id). Message ids are
/// `@N` placeholders, see [`resolve_uids`].
pub fn requests() -> Vec<Request> {
    let bodies = vec![
        Body::Sync(SyncRequest {
            after: 0,
            limit: 50,
        }),
        text(PRIVATE, PEER, ""),
        text(GROUP_TYPE, GROUP, ""),
        text(CHATROOM, ROOM, ""),
        text(UG_TYPE, ULTRA_GROUP, ULTRA_CHANNEL),
        Body::SendMessage(SendMessage {
            conversation_type: GROUP_TYPE,
            target_id: s(GROUP),
            object_name: s("RC:CmdMsg"),
            content: s(r#"{"name":"n","data":"d"}"#),
            status: true,
            directed_user_ids: vec![s(PEER)],
            push_options: s(r#"{"title":"t"}"#),
            ..Default::default()
        }),
        Body::RecallMessage(RecallMessage {
            uid: s("@0"),
            conversation_type: PRIVATE,
            target_id: s(PEER),
            ..Default::default()
        }),
        Body::PrivateReadReceipt(PrivateReadReceipt {
            target_id: s(PEER),
            timestamp: 1,
            ..Default::default()
        }),
        Body::ConversationSetting(ChangeConversationSetting {
            conversation_type: PRIVATE,
            target_id: s(PEER),
            top: Some(true),
            notification_level: Some(1),
            ..Default::default()
        }),
        Body::MediaUpload(MediaUploadRequest {
            media_type: 1,
            size: 1000,
            file_name: s("a.jpg"),
        }),
        Body::History(HistoryRequest {
            conversation_type: GROUP_TYPE,
            target_id: s(GROUP),
            count: 20,
            ..Default::default()
        }),
        Body::UpdateExpansion(UpdateExpansion {
            uid: s("@0"),
            conversation_type: PRIVATE,
            target_id: s(PEER),
            set: map(&[("a", "1")]),
            remove: vec![s("k")],
            ..Default::default()
        }),
        Body::DeleteMessages(DeleteMessages {
            conversation_type: PRIVATE,
            target_id: s(PEER),
            uids: vec![s("@0"), s("@1")],
            ..Default::default()
        }),
        Body::ClearHistory(ClearHistory {
            conversation_type: GROUP_TYPE,
            target_id: s(GROUP),
            before_time: 1,
            ..Default::default()
        }),
        Body::UserSetting(ChangeUserSetting {
            change: Some(Change::QuietHours(QuietHours {
                start_time: s("22:00:00"),
                span_minutes: 60,
                level: 1,
                utc_offset_minutes: 60,
            })),
        }),
        Body::UserSetting(ChangeUserSetting {
            change: Some(Change::TypeLevel(TypeNotificationLevel {
                conversation_type: GROUP_TYPE,
                level: 2,
            })),
        }),
        Body::UserSetting(ChangeUserSetting {
            change: Some(Change::Blacklist(BlacklistChange {
                user_id: s("stranger"),
                blocked: true,
            })),
        }),
        Body::UserSetting(ChangeUserSetting {
            change: Some(Change::PushLanguage(s("en_US"))),
        }),
        Body::Settings(SettingsRequest::default()),
        Body::Typing(TypingStatus {
            conversation_type: PRIVATE,
            target_id: s(PEER),
            object_name: s("RC:TxtMsg"),
            ..Default::default()
        }),
        Body::ReadStatus(SyncReadStatus {
            conversation_type: GROUP_TYPE,
            target_id: s(GROUP),
            timestamp: 1,
            ..Default::default()
        }),
        Body::ReceiptRequest(GroupReceiptRequest {
            group_id: s(GROUP),
            uid: s("@1"),
            ..Default::default()
        }),
        Body::ReceiptResponse(GroupReceiptResponse {
            group_id: s(GROUP),
            uids: vec![s("@1")],
            ..Default::default()
        }),
        Body::JoinChatroom(JoinChatRoom {
            room_id: s(ROOM),
            message_count: 10,
            auto_create: false,
        }),
        Body::JoinChatroom(JoinChatRoom {
            room_id: s("room2"),
            message_count: 0,
            auto_create: true,
        }),
        Body::LeaveChatroom(LeaveChatRoom {
            room_id: s("room2"),
        }),
        Body::ChatroomHistory(ChatRoomHistoryRequest {
            room_id: s(ROOM),
            count: 10,
            ..Default::default()
        }),
        Body::ChatroomSetEntries(SetChatRoomEntries {
            room_id: s(ROOM),
            entries: map(&[("k", "v")]),
            delete_when_left: true,
            overwrite: true,
        }),
        Body::ChatroomRemoveEntries(RemoveChatRoomEntries {
            room_id: s(ROOM),
            keys: vec![s("k")],
            force: false,
        }),
        Body::ChatroomEntries(ChatRoomEntriesRequest {
            room_id: s(ROOM),
            ..Default::default()
        }),
        Body::UltragroupSync(UltraGroupSyncRequest::default()),
        Body::UltragroupChanges(UltraGroupChangesRequest {
            group_id: s(ULTRA_GROUP),
            channel_id: s(ULTRA_CHANNEL),
            count: 10,
            ..Default::default()
        }),
        Body::UltragroupMessages(UltraGroupMessagesRequest {
            group_id: s(ULTRA_GROUP),
            uids: vec![s("@2")],
            ..Default::default()
        }),
        Body::UltragroupLevel(UltraGroupDefaultLevelRequest {
            group_id: s(ULTRA_GROUP),
            channel_id: s(ULTRA_CHANNEL),
        }),
        Body::UltragroupModify(ModifyUltraGroupMessage {
            group_id: s(ULTRA_GROUP),
            uid: s("@2"),
            object_name: s("RC:TxtMsg"),
            content: s(r#"{"content":"edited"}"#),
            ..Default::default()
        }),
        Body::UltragroupRecall(RecallUltraGroupMessage {
            group_id: s(ULTRA_GROUP),
            channel_id: s(ULTRA_CHANNEL),
            uid: s("@3"),
            delete_remote: true,
        }),
        Body::UltragroupExpansion(UltraGroupExpansionUpdate {
            group_id: s(ULTRA_GROUP),
            uid: s("@2"),
            set: map(&[("a", "1")]),
            remove: vec![s("k")],
            ..Default::default()
        }),
        Body::UltragroupClear(ClearUltraGroupHistory {
            group_id: s(ULTRA_GROUP),
            channel_id: s(ULTRA_CHANNEL),
            before_time: 1,
        }),
        Body::UltragroupSetLevel(ChangeUltraGroupDefaultLevel {
            group_id: s(ULTRA_GROUP),
            channel_id: s(ULTRA_CHANNEL),
            level: 1,
        }),
    ];
    bodies
        .into_iter()
        .enumerate()
        .map(|(i, body)| {
            let is_read = matches!(
                body,
                Body::Sync(_)
                    | Body::History(_)
                    | Body::Settings(_)
                    | Body::ChatroomHistory(_)
                    | Body::ChatroomEntries(_)
                    | Body::UltragroupSync(_)
                    | Body::UltragroupChanges(_)
                    | Body::UltragroupMessages(_)
                    | Body::UltragroupLevel(_)
            );
            Request {
                request_id: if is_read {
                    String::new()
                } else {
                    format!("seed-{i}")
                },
                body: Some(body),
            }
        })
        .collect()
}

/// Replaces every message id of the form `@N` in `request` by `uids[N % len]` (nothing when
/// `uids` is empty).
pub fn resolve_uids(request: &mut Request, uids: &[String]) {
    if uids.is_empty() {
        return;
    }
    let fix = |uid: &mut String| {
        if let Some(n) = uid.strip_prefix('@').and_then(|n| n.parse::<usize>().ok()) {
            *uid = uids[n % uids.len()].clone();
        }
    };
    match request.body.as_mut() {
        Some(Body::RecallMessage(r)) => fix(&mut r.uid),
        Some(Body::UpdateExpansion(r)) => fix(&mut r.uid),
        Some(Body::DeleteMessages(r)) => r.uids.iter_mut().for_each(fix),
        Some(Body::ReceiptRequest(r)) => fix(&mut r.uid),
        Some(Body::ReceiptResponse(r)) => r.uids.iter_mut().for_each(fix),
        Some(Body::UltragroupMessages(r)) => r.uids.iter_mut().for_each(fix),
        Some(Body::UltragroupModify(r)) => fix(&mut r.uid),
        Some(Body::UltragroupRecall(r)) => fix(&mut r.uid),
        Some(Body::UltragroupExpansion(r)) => fix(&mut r.uid),
        _ => {}
    }
}

/// The request target's seeds: [`requests`] encoded.
pub fn request_inputs() -> Vec<Vec<u8>> {
    requests().iter().map(|r| r.encode_to_vec()).collect()
}

fn framed<T: prost::Message>(frames: Vec<T>) -> Vec<u8> {
    let mut codec = FrameCodec::<T, T>::new();
    let mut buf = BytesMut::new();
    for f in frames {
        codec.encode(f, &mut buf).expect("encoding a seed frame");
    }
    buf.to_vec()
}

/// The frame decoder's seeds: streams of client frames (login, ping, every request, goodbye)
/// and of server frames.
pub fn frame_inputs() -> Vec<Vec<u8>> {
    let connect = ClientFrame {
        seq: 0,
        body: Some(client_frame::Body::Connect(Connect {
            protocol_version: rcim_proto::PROTOCOL_VERSION,
            app_key: s(APP_KEY),
            token: rcim_server::issue_token(APP_KEY, APP_SECRET, "u", 1, 0),
            device_id: s("d"),
            platform: Platform::Mobile as i32,
            client_version: s("1.0"),
            ..Default::default()
        })),
    };
    let mut inputs = vec![framed(vec![connect.clone()])];
    let mut stream = vec![connect];
    for (i, r) in requests().into_iter().enumerate() {
        let f = ClientFrame {
            seq: i as u64 + 1,
            body: Some(client_frame::Body::Request(r)),
        };
        inputs.push(framed(vec![f.clone()]));
        stream.push(f);
    }
    stream.push(ClientFrame {
        seq: 99,
        body: Some(client_frame::Body::Ping(Ping {})),
    });
    stream.push(ClientFrame {
        seq: 100,
        body: Some(client_frame::Body::Disconnect(Disconnect::default())),
    });
    inputs.push(framed(stream));
    let server = vec![
        ServerFrame {
            seq: 0,
            body: Some(server_frame::Body::ConnectAck(ConnectAck {
                code: 0,
                user_id: s("u"),
                inbox_epoch: 3,
                ..Default::default()
            })),
        },
        ServerFrame {
            seq: 1,
            body: Some(server_frame::Body::Response(Response {
                code: 0,
                body: Some(response::Body::SendMessage(SendMessageResult {
                    uid: s("U1"),
                    sent_time: 5,
                    ..Default::default()
                })),
            })),
        },
        ServerFrame {
            seq: 2,
            body: Some(server_frame::Body::Error(ErrorReply {
                code: 33003,
                message: s("bad"),
            })),
        },
    ];
    inputs.push(framed(server));
    inputs
}

fn api_input(flags: u8, path: &str, query: &str, body: &str) -> Vec<u8> {
    let mut v = vec![flags, FIELD_SEPARATOR];
    for (i, field) in [path, query, body].iter().enumerate() {
        if i > 0 {
            v.push(FIELD_SEPARATOR);
        }
        v.extend_from_slice(field.as_bytes());
    }
    v
}

/// The Server API target's seeds: signed calls of many endpoints (forms, JSON, query strings,
/// repeated and bracketed keys), and unsigned ones with a wrong signature.
pub fn api_inputs() -> Vec<Vec<u8>> {
    let form = SIGN;
    let mut inputs = vec![
        api_input(form, "/user/getToken.json", "", "userId=u1&name=U&portraitUri=x"),
        api_input(form, "/user/checkOnline.json", "userId=u1", ""),
        api_input(form, "/user/blacklist/add.json", "", "userId=u1&blackUserId=u2&blackUserId=u3"),
        api_input(form | JSON, "/user/blacklist/query.json", "", r#"{"userId":"u1"}"#),
        api_input(
            form,
            "/message/private/publish.json",
            "",
            "fromUserId=u1&toUserId=u2,u3&objectName=RC:TxtMsg&content=%7B%22content%22%3A%22hi%22%7D&pushContent=hi&isPersisted=1&expansion=true",
        ),
        api_input(
            form | JSON,
            "/message/group/publish.json",
            "",
            r#"{"fromUserId":"u1","toGroupId":["g1"],"objectName":"RC:TxtMsg","content":"{\"content\":\"x\"}","isIncludeSender":1}"#,
        ),
        api_input(form, "/message/recall.json", "", "fromUserId=u1&targetId=u2&messageUID=X&conversationType=1&sentTime=1"),
        api_input(form, "/message/expansion/set.json", "", "msgUID=X&userId=u1&conversationType=1&targetId=u2&extraKeyVal=%7B%22a%22%3A%221%22%7D"),
        api_input(form, "/group/create.json", "", "userId=u1&userId=u2&groupId=g9&groupName=G"),
        api_input(form, "/group/user/gag/add.json", "", "userId=u2&groupId=g9&minute=5"),
        api_input(form, "/sensitiveword/add.json", "", "word=bad&replaceWord=***"),
        api_input(form, "/push.json", "", "platform=ios&audience=%7B%22is_to_all%22%3Atrue%7D&notification=%7B%22alert%22%3A%22x%22%7D"),
        api_input(form, "/chatroom/create.json", "", "chatroom[r9]=Room&chatroom[r8]=Other"),
        api_input(form, "/chatroom/entry/set.json", "", "chatroomId=r9&userId=u1&key=k&value=v&autoDelete=1"),
        api_input(form, "/message/chatroom/publish.json", "", "fromUserId=u1&toChatroomId=r9&objectName=RC:TxtMsg&content=%7B%7D"),
        api_input(form, "/ultragroup/create.json", "", "userId=u1&groupId=ug9&groupName=U"),
        api_input(form, "/ultragroup/channel/create.json", "", "groupId=ug9&busChannel=c9&type=1"),
        api_input(form, "/message/ultragroup/publish.json", "", "fromUserId=u1&toGroupIds=ug9&busChannel=c9&objectName=RC:TxtMsg&content=%7B%7D"),
        api_input(form, "/ultragroup/hismsg/query.json", "", "groupId=ug9&busChannel=c9&startTime=0&endTime=9999999999999&pageSize=10"),
        api_input(form, "/conversation/message/history/clean.json", "", "conversationType=1&fromUserId=u1&targetId=u2&msgTimestamp=0"),
    ];
    let nonce = "123";
    let timestamp = "1700000000";
    let mut unsigned = api_input(RC_PREFIX, "/user/checkOnline.json", "", "userId=u1");
    for field in [
        APP_KEY.to_owned(),
        nonce.to_owned(),
        timestamp.to_owned(),
        crate::server_api::signature(APP_SECRET, nonce, timestamp),
    ] {
        unsigned.push(FIELD_SEPARATOR);
        unsigned.extend_from_slice(field.as_bytes());
    }
    inputs.push(unsigned);
    inputs
}

/// The token target's seeds: a valid payload to sign, and a whole token.
pub fn token_inputs() -> Vec<Vec<u8>> {
    let mut signed = vec![1u8];
    signed.extend_from_slice(br#"{"a":"fuzz-app","u":"u1","i":1700000000000,"e":0}"#);
    let mut whole = vec![0u8];
    whole.extend_from_slice(rcim_server::issue_token(APP_KEY, APP_SECRET, "u1", 1, 2).as_bytes());
    vec![signed, whole]
}
