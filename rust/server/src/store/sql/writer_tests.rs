//! Tests of the writer: batches, caches and heads.

use super::super::reads::read_head;
use super::super::schema::{migrate, open_conn, DB_FILE};
use super::*;
use crate::store::contract::commit_feed;
use std::path::Path;

fn writer(dir: &Path, max_heads: usize, max_clocks: usize) -> Writer {
    let mut conn = open_conn(&dir.join(DB_FILE)).unwrap();
    migrate(&mut conn).unwrap();
    // Nobody reads the feed: the writer answers at once.
    let (sink, _) = commit_feed();
    let mut w = Writer::new(conn, sink, Arc::default());
    w.caches.heads = Heads::new(max_heads, MAX_CACHED_HEADS);
    w.max_clocks = max_clocks;
    w
}

fn send(w: &mut Writer, from: &str, to: &str) -> SendOutcome {
    let (reply, mut rx) = oneshot::channel();
    let msg = NewMessage {
        sender_id: from.into(),
        conversation_type: rcim_proto::conversation_type::PRIVATE,
        to_id: to.into(),
        object_name: "RC:TxtMsg".into(),
        content: "{}".into(),
        ..Default::default()
    };
    w.apply(vec![WriteCmd::Send { msg, reply }]);
    rx.try_recv().unwrap().unwrap()
}

fn inbox_seqs(w: &Writer, user: &str) -> Vec<i64> {
    let mut stmt = w
        .conn
        .prepare("SELECT seq FROM inbox WHERE user_id = ?1 ORDER BY seq")
        .unwrap();
    stmt.query_map([user], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn head_cache_is_bounded_and_reloads() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = writer(dir.path(), 4, 1000);
    for round in 0..2 {
        for i in 0..10 {
            send(&mut w, "s", &format!("u{i}"));
            assert!(
                w.caches.heads.inbox.len() <= 4,
                "round {round}: {} heads",
                w.caches.heads.inbox.len()
            );
            assert_eq!(w.stats.heads.load(Ordering::Relaxed), w.caches.heads.len());
        }
    }
    for i in 0..10 {
        assert_eq!(inbox_seqs(&w, &format!("u{i}")), vec![1, 2]);
        assert_eq!(read_head(&w.conn, &format!("u{i}")).unwrap(), 2);
    }
}

fn group_msg(from: &str, group: &str, channel: &str) -> NewMessage {
    NewMessage {
        sender_id: from.into(),
        conversation_type: rcim_proto::conversation_type::GROUP,
        to_id: group.into(),
        channel_id: channel.into(),
        object_name: "RC:TxtMsg".into(),
        content: "{}".into(),
        persisted: true,
        ..Default::default()
    }
}

fn join(w: &mut Writer, group: &str, member: &str) -> i64 {
    let (reply, mut rx) = oneshot::channel();
    let op = GroupOp::Add {
        group_id: group.into(),
        name: String::new(),
        members: vec![member.into()],
    };
    w.apply(vec![WriteCmd::Group { op, reply }]);
    rx.try_recv().unwrap().unwrap();
    super::super::reads::joined_at(&w.conn, group, member)
        .unwrap()
        .unwrap()
}

/// A join is stamped after every message already sent to the group, from the stored
/// messages: also when the writer's clocks are gone (a restart) and the burst was in
/// another channel. What is sent after the join is stamped no earlier than it.
#[test]
fn a_join_is_after_the_group_clocks_even_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = writer(dir.path(), 1000, 1000);
    join(&mut w, "g", "a");
    // One batch of 1000 messages: the clock of channel "x" runs ~1 s ahead.
    let mut replies = Vec::new();
    let batch = (0..1000)
        .map(|_| {
            let (reply, rx) = oneshot::channel();
            replies.push(rx);
            WriteCmd::Send {
                msg: group_msg("a", "g", "x"),
                reply,
            }
        })
        .collect();
    w.apply(batch);
    let last = replies
        .iter_mut()
        .map(|rx| rx.try_recv().unwrap().unwrap().sent_time)
        .max()
        .unwrap();
    assert!(last > now_ms(), "the burst did not run ahead");
    drop(w);
    let mut w = writer(dir.path(), 1000, 1000);
    assert!(w.caches.last_sent.is_empty());
    let joined = join(&mut w, "g", "b");
    assert!(joined > last, "joined {joined}, last sent {last}");
    // The default channel's clock (empty) is behind the join: its next message is not.
    let (reply, mut rx) = oneshot::channel();
    w.apply(vec![WriteCmd::Send {
        msg: group_msg("a", "g", ""),
        reply,
    }]);
    let sent = rx.try_recv().unwrap().unwrap().sent_time;
    assert!(sent >= joined, "sent {sent} before the join {joined}");
    // A member already in the group keeps their join time.
    assert_eq!(join(&mut w, "g", "b"), joined);
}

/// The latest sent time of a group is a seek of `conv_heads` and one index seek per
/// channel, whatever the number of messages.
#[test]
fn group_last_sent_is_indexed() {
    let dir = tempfile::tempdir().unwrap();
    let w = writer(dir.path(), 1000, 1000);
    let plan: Vec<String> = w
        .conn
        .prepare(&format!(
            "EXPLAIN QUERY PLAN {}",
            super::super::apply::GROUP_LAST_SENT
        ))
        .unwrap()
        .query_map(["a", "b"], |r| r.get::<_, String>(3))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(
        plan.iter()
            .any(|p| p.contains("SEARCH h USING PRIMARY KEY (conv_key>? AND conv_key<?)")),
        "{plan:?}"
    );
    assert!(
        plan.iter()
            .any(|p| p.contains("SEARCH m USING INDEX messages_history_time (conv_key=?)")),
        "{plan:?}"
    );
    assert!(
        !plan
            .iter()
            .any(|p| p.starts_with("SCAN") || p.contains("TEMP B-TREE")),
        "{plan:?}"
    );
}

#[test]
fn sent_times_stay_strictly_increasing_when_clocks_are_trimmed() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = writer(dir.path(), 1000, 2);
    let mut last: HashMap<String, i64> = HashMap::new();
    for n in 0..600 {
        let to = format!("peer{}", n % 3);
        let t = send(&mut w, "me", &to).sent_time;
        if let Some(prev) = last.insert(to.clone(), t) {
            assert!(t > prev, "message {n} to {to}: {t} after {prev}");
        }
        // Only entries that can still collide (time >= now) survive a trim.
        assert!(w.caches.last_sent.len() <= 3);
    }
}

fn private(from: &str, to: &str) -> NewMessage {
    NewMessage {
        sender_id: from.into(),
        conversation_type: rcim_proto::conversation_type::PRIVATE,
        to_id: to.into(),
        object_name: "RC:TxtMsg".into(),
        content: "{}".into(),
        include_sender: true,
        check_blacklist: true,
        ..Default::default()
    }
}

/// A command of a test batch: a send (answered through [`batch`]) or any other.
enum Cmd {
    Send(NewMessage),
    Other(WriteCmd),
}

/// Applies `cmds` as one batch; the sends' answers in order.
fn batch(w: &mut Writer, cmds: Vec<Cmd>) -> Vec<anyhow::Result<SendOutcome>> {
    let mut answers = Vec::new();
    let cmds = cmds
        .into_iter()
        .map(|c| match c {
            Cmd::Send(msg) => {
                let (reply, rx) = oneshot::channel();
                answers.push(rx);
                WriteCmd::Send { msg, reply }
            }
            Cmd::Other(other) => other,
        })
        .collect();
    w.apply(cmds);
    answers
        .into_iter()
        .map(|mut rx| rx.try_recv().unwrap())
        .collect()
}

fn upsert(user: &str) -> WriteCmd {
    let (reply, _) = oneshot::channel();
    WriteCmd::UpsertUser {
        user_id: user.into(),
        name: None,
        portrait: None,
        reply,
    }
}

fn stored_messages(w: &Writer) -> i64 {
    w.conn
        .query_row("SELECT COUNT(*) FROM messages", [], |r| r.get(0))
        .unwrap()
}

/// Sends are applied together (no savepoint each); one that fails after it wrote (here its
/// inbox row collides with a row put there behind the writer's back) is undone alone: the run
/// is applied again one send at a time, whether it opened the batch (the transaction is
/// restarted) or followed another command (its savepoint is rolled back).
#[test]
fn a_send_failing_after_it_wrote_does_not_take_its_run_with_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = writer(dir.path(), 1000, 1000);
    let collide = |w: &Writer, user: &str| {
        w.conn
            .execute(
                "INSERT INTO inbox (user_id, seq, msg_id, created_at) VALUES (?1, 1, 0, 0)",
                [user],
            )
            .unwrap();
    };
    for (opening, victim) in [(true, "b"), (false, "e")] {
        collide(&w, victim);
        let before = stored_messages(&w);
        let mut cmds = Vec::new();
        if !opening {
            cmds.push(Cmd::Other(upsert("someone")));
        }
        for to in ["a", victim, "c"] {
            cmds.push(Cmd::Send(private("s", to)));
        }
        let answers = batch(&mut w, cmds);
        assert!(answers[0].is_ok(), "{:?}", answers[0]);
        assert!(answers[1].is_err(), "the colliding send was stored");
        assert!(answers[2].is_ok(), "{:?}", answers[2]);
        assert_eq!(
            stored_messages(&w),
            before + 2,
            "opening the batch: {opening}"
        );
        assert_eq!(read_head(&w.conn, victim).unwrap(), 0);
    }
    // Every head was stored with its batch, the sender's included (its own copies).
    assert_eq!(inbox_seqs(&w, "a"), vec![1, 2]);
    assert_eq!(inbox_seqs(&w, "c"), vec![1, 2]);
    assert_eq!(inbox_seqs(&w, "s"), vec![1, 2, 3, 4]);
    for (user, head) in [("a", 2), ("c", 2), ("s", 4)] {
        assert_eq!(read_head(&w.conn, user).unwrap(), head, "{user}");
    }
    // The writer's cache agrees with the database after a restart.
    drop(w);
    let mut w = writer(dir.path(), 1000, 1000);
    assert!(send(&mut w, "s", "a").sent_time > 0);
    assert_eq!(inbox_seqs(&w, "a"), vec![1, 2, 3]);
}

/// A send refused before it writes (the blacklist) is answered with its refusal and the rest
/// of its run is stored; the history heads move once per stored message.
#[test]
fn a_refused_send_leaves_its_run_alone() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = writer(dir.path(), 1000, 1000);
    w.conn
        .execute(
            "INSERT INTO blacklist (user_id, blocked_id, created_at) VALUES ('b', 's', 0)",
            [],
        )
        .unwrap();
    let persisted = |to: &str| NewMessage {
        persisted: true,
        ..private("s", to)
    };
    let answers = batch(
        &mut w,
        vec![
            Cmd::Send(persisted("a")),
            Cmd::Send(persisted("b")),
            Cmd::Send(persisted("a")),
        ],
    );
    let seqs: Vec<u64> = answers
        .iter()
        .filter_map(|a| a.as_ref().ok().map(|o| o.conv_seq))
        .collect();
    assert_eq!(seqs, vec![1, 2]);
    let refusal = answers[1].as_ref().unwrap_err();
    assert_eq!(
        refusal
            .downcast_ref::<crate::model::Rejected>()
            .map(|r| r.code),
        Some(rcim_proto::codes::REJECTED_BY_BLACKLIST),
        "{refusal:#}"
    );
    assert_eq!(stored_messages(&w), 2);
    let head: i64 = w
        .conn
        .query_row("SELECT head FROM conv_heads", [], |r| r.get(0))
        .unwrap();
    assert_eq!(head, 2);
}

/// A join in the same batch as a burst of history messages in a channel the group never used
/// is stamped after the burst: the writer writes the history heads the burst created before
/// the join reads them.
#[test]
fn a_join_is_after_a_burst_earlier_in_its_batch() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = writer(dir.path(), 1000, 1000);
    join(&mut w, "g", "a");
    let (reply, mut joined_rx) = oneshot::channel();
    let mut cmds: Vec<_> = (0..1000)
        .map(|_| Cmd::Send(group_msg("a", "g", "new")))
        .collect();
    cmds.push(Cmd::Other(WriteCmd::Group {
        op: GroupOp::Add {
            group_id: "g".into(),
            name: String::new(),
            members: vec!["b".into()],
        },
        reply,
    }));
    let answers = batch(&mut w, cmds);
    assert_eq!(joined_rx.try_recv().unwrap().unwrap(), 2);
    let last = answers
        .iter()
        .map(|a| a.as_ref().unwrap().sent_time)
        .max()
        .unwrap();
    assert!(last > now_ms(), "the burst did not run ahead");
    let joined = super::super::reads::joined_at(&w.conn, "g", "b")
        .unwrap()
        .unwrap();
    assert!(joined > last, "joined {joined}, last sent {last}");
}
