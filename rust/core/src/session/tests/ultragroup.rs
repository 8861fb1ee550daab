//! Ultra groups in the session: the answer to an ultra-group send hands its `change_seq` to
//! the engine's ultra-group task (the server sends the sending connection no event of it), so
//! the device's channel cursor moves past its own message without a fetch.

use super::*;
use crate::session::UltragroupSignal;

fn send(h: &mut Harness, conversation_type: u32, to: &str, channel: Option<&str>) -> Vec<Action> {
    let now = h.now;
    h.feed(Input::Command(Command::Send {
        message: Box::new(codec::new_text_message(
            conversation_type,
            to,
            channel,
            "hi",
        )),
        event_id: None,
        requested: now,
    }))
}

fn known(out: &[Action]) -> Vec<(String, String, u64)> {
    out.iter()
        .filter_map(|a| match a {
            Action::Ultragroup(UltragroupSignal::Known {
                group_id,
                channel_id,
                change_seq,
            }) => Some((group_id.clone(), channel_id.clone(), *change_seq)),
            _ => None,
        })
        .collect()
}

fn answer(h: &mut Harness, out: &[Action], code: u32, change_seq: u64) -> Vec<Action> {
    let (seq, _) = ops(out)[0].clone();
    h.respond(
        seq,
        code,
        Some(response::Body::SendMessage(SendMessageResult {
            uid: format!("uid-{change_seq}"),
            sent_time: 5,
            conv_seq: 3,
            change_seq,
        })),
    )
}

#[test]
fn an_answered_ultragroup_send_reports_its_change_sequence() {
    let mut h = Harness::online();
    let out = send(&mut h, 5, "g", Some("news"));
    let answered = answer(&mut h, &out, 0, 42);
    assert_eq!(known(&answered), [("g".into(), "news".into(), 42)]);
    assert!(events(&answered)
        .iter()
        .any(|e| matches!(e, Event::MessageSent { code: 0, .. })));
}

#[test]
fn other_sends_and_failed_ones_report_nothing() {
    let mut h = Harness::online();
    let out = send(&mut h, 1, "bob", None);
    assert!(
        known(&answer(&mut h, &out, 0, 7)).is_empty(),
        "a private send"
    );
    h.now += Duration::from_secs(2);
    let out = send(&mut h, 5, "g", None);
    assert!(
        known(&answer(&mut h, &out, 24408, 0)).is_empty(),
        "a refused send"
    );
}
