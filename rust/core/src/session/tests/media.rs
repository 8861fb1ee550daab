//! Media in the session: upload tickets (a read-like request correlated by seq, asked again
//! after a reconnect, failed when they wait too long or the session ends) and the send of a
//! media message stored by the media task (queued with its remote URL, reported as
//! `MediaMessageSent`, never announced twice).

use super::*;
use crate::codes;
use crate::session::reads::{TicketRequest, TicketResult};
use rcim_proto::v1::{ErrorReply, MediaUploadRequest, MediaUploadTicket};
use serde_json::json;
use tokio::sync::oneshot;

fn ticket(h: &Harness, size: u64) -> (Command, oneshot::Receiver<TicketResult>) {
    let (reply, answer) = oneshot::channel();
    let request = TicketRequest {
        request: MediaUploadRequest {
            media_type: 4,
            size,
            file_name: "a.png".into(),
        },
        reply,
        since: h.now,
    };
    (Command::MediaTicket(request), answer)
}

fn ticket_seqs(actions: &[Action]) -> Vec<u64> {
    requests(actions)
        .into_iter()
        .filter(|(_, r)| matches!(r.body, Some(request::Body::MediaUpload(_))))
        .map(|(seq, r)| {
            assert!(r.request_id.is_empty(), "a ticket request is read-like");
            seq
        })
        .collect()
}

fn granted(id: &str) -> Option<response::Body> {
    Some(response::Body::MediaUpload(MediaUploadTicket {
        file_id: id.into(),
        token: "tok".into(),
        expires_at: 1,
    }))
}

#[test]
fn a_ticket_request_is_answered_by_the_response_with_its_seq() {
    let mut h = Harness::online();
    let (command, mut answer) = ticket(&h, 10);
    let out = h.feed(Input::Command(command));
    let seqs = ticket_seqs(&out);
    assert_eq!(seqs.len(), 1);
    assert!(answer.try_recv().is_err(), "not answered yet");
    // Another seq answers nothing.
    h.respond(seqs[0] + 100, 0, granted("other"));
    assert!(answer.try_recv().is_err());
    h.respond(seqs[0], 0, granted("F1"));
    let granted_ticket = answer.try_recv().unwrap().unwrap();
    assert_eq!(
        (
            granted_ticket.file_id.as_str(),
            granted_ticket.token.as_str()
        ),
        ("F1", "tok")
    );

    // Refusals keep their code, whether a response or an error frame.
    let (command, mut refused) = ticket(&h, u64::MAX);
    let seq = ticket_seqs(&h.feed(Input::Command(command)))[0];
    h.respond(seq, codes::FILE_SIZE_OUT_OF_LIMIT, None);
    assert_eq!(refused.try_recv().unwrap().unwrap_err(), 26106);
    let (command, mut errored) = ticket(&h, 1);
    let seq = ticket_seqs(&h.feed(Input::Command(command)))[0];
    h.frame(
        seq,
        server_frame::Body::Error(ErrorReply {
            code: 34019,
            message: "no".into(),
        }),
    );
    assert_eq!(errored.try_recv().unwrap().unwrap_err(), 34019);
}

#[test]
fn a_ticket_waits_for_the_connection_and_is_asked_again_after_a_loss() {
    let mut h = Harness::new();
    let (command, mut answer) = ticket(&h, 10);
    assert!(ticket_seqs(&h.feed(Input::Command(command))).is_empty());
    let (sync, out) = h.open(0);
    let first = ticket_seqs(&out);
    assert_eq!(first.len(), 1, "sent once online");
    assert!(first[0] != sync);
    h.feed(Input::Closed);
    let (_, out) = h.open(0);
    let again = ticket_seqs(&out);
    assert_eq!(again.len(), 1, "asked again after the reconnect");
    // The answer to the lost request's seq is not taken for it.
    h.respond(first[0], 0, granted("stale"));
    assert!(answer.try_recv().is_err());
    h.respond(again[0], 0, granted("F2"));
    assert_eq!(answer.try_recv().unwrap().unwrap().file_id, "F2");
}

#[test]
fn tickets_fail_after_the_send_timeout_offline_and_when_the_session_ends() {
    let mut h = Harness::new();
    let (command, mut late) = ticket(&h, 10);
    h.feed(Input::Command(command));
    h.advance(Duration::from_secs(31));
    assert_eq!(
        late.try_recv().unwrap().unwrap_err(),
        codes::NETWORK_UNAVAILABLE
    );
    let (command, mut ended) = ticket(&h, 10);
    h.feed(Input::Command(command));
    h.feed(Input::Stop(StopReason::Shutdown));
    assert!(ended.try_recv().unwrap().is_err());
    // Handed over after the end: answered at once.
    let (command, mut after) = ticket(&h, 10);
    h.feed(Input::Command(command));
    assert!(after.try_recv().unwrap().is_err());
}

#[test]
fn a_stored_media_message_is_queued_with_its_remote_url_and_reported_as_media() {
    let mut h = Harness::online();
    // What the media task stored before the upload.
    let mut image = crate::model::Message {
        conversation_type: 1,
        message_type: crate::model::message_type::IMAGE,
        target_id: "bob".into(),
        ..Default::default()
    };
    image.fields.insert("local".into(), json!("/p/a.png"));
    image
        .fields
        .insert("thumbnailBase64String".into(), json!("AAAA"));
    let (object_name, content) = codec::encode_content(&image).unwrap();
    let row = h
        .store
        .insert_outgoing(&rcim_store::NewMessage {
            conversation_type: 1,
            target_id: "bob".into(),
            channel_id: String::new(),
            message_type: 4,
            object_name,
            content,
            uid: None,
            client_msg_id: Some("m1".into()),
            sender_id: "alice".into(),
            direction: 0,
            sent_status: 0,
            received_status: 1,
            sent_time: 1,
            received_time: 1,
            counted: false,
            extra_json: codec::extra_json(&image),
            conv_seq: 0,
            mentioned: false,
            group_receipt: None,
        })
        .unwrap();
    let mut uploaded = codec::message_from_row(&row);
    uploaded
        .fields
        .insert("remote".into(), json!("http://f/media/F1/a.png"));
    let out = h.feed(Input::Command(Command::Send {
        message: Box::new(uploaded),
        event_id: Some("s".into()),
        requested: h.now,
    }));
    assert!(
        events(&out).is_empty(),
        "attached by the media task already: {out:?}"
    );
    let sent = ops(&out);
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].1.request_id, "m1", "the row's client id");
    let Some(request::Body::SendMessage(wire)) = &sent[0].1.body else {
        panic!("not a send");
    };
    assert_eq!(wire.object_name, "RC:ImgMsg");
    assert!(wire.content.contains("http://f/media/F1/a.png"));
    assert!(!wire.content.contains("/p/a.png"), "local paths stay local");
    let out = h.respond(
        sent[0].0,
        0,
        Some(response::Body::SendMessage(SendMessageResult {
            conv_seq: 0,
            uid: "U1".into(),
            sent_time: 9,
            change_seq: 0,
        })),
    );
    let Some(Event::MediaMessageSent {
        code: 0,
        message,
        event_id,
    }) = events(&out).into_iter().next()
    else {
        panic!("{out:?}");
    };
    assert_eq!(event_id.as_deref(), Some("s"));
    assert_eq!(message.fields["local"], "/p/a.png");
    assert_eq!(message.fields["remote"], "http://f/media/F1/a.png");
    assert_eq!(message.sent_status, Some(rcim_store::sent_status::SENT));
}
