//! The same conformance suite against PostgreSQL (`RCIM_TEST_POSTGRES_URL`, which
//! `npm test` sets after starting a private server with `scripts/services.sh`). Each
//! test gets a schema of its own, named after its data directory, so a reopen finds it.
use super::SqlStore;
use crate::config::StorageConfig;
use crate::store::contract::CommitSink;

fn open(dir: &std::path::Path, sink: CommitSink) -> SqlStore {
    let url = super::source::test_postgres_url(dir);
    SqlStore::open_postgres(&url, &StorageConfig::default(), sink).expect("open the store")
}

crate::store::conformance::conformance_tests!(open);

/// A client resending through a second node while the first still stores its message
/// (the same sender and client message id on two stores at once): both answer with
/// success and the same message, stored once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_resend_through_another_node_answers_the_original() {
    use crate::store::conformance::{text, Harness};
    const N: usize = 100;
    let dir = tempfile::tempdir().unwrap();
    let a = Harness::start(|sink| open(dir.path(), sink));
    let b = Harness::start(|sink| open(dir.path(), sink));
    let sends = |h: &Harness| {
        let store = h.store.clone();
        async move {
            let mut pending = Vec::new();
            for i in 0..N {
                let msg = text("v", "u", &format!("c{i}"));
                pending.push(store.submit_message(msg).await.unwrap());
            }
            let mut uids = Vec::new();
            for p in pending {
                uids.push(p.await.expect("a send failed").uid);
            }
            uids
        }
    };
    let (ua, ub) = tokio::join!(sends(&a), sends(&b));
    assert_eq!(ua, ub, "both nodes answer the same messages");
    assert_eq!(a.inbox("u").await.len(), N, "each stored once");
    a.close().await;
    b.close().await;
}

/// Two nodes' stores on one database, sending at the same time: each user's inbox and
/// each conversation's history stay dense (no sequence handed out twice, none skipped),
/// history times follow sequences, and every send is answered with success.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_stores_on_one_database_keep_sequences_dense() {
    use crate::model::{GroupOp, HistoryQuery, UserConversation};
    use crate::store::conformance::{group_text, text, Harness};
    // Enough for the two writers' batches to overlap (60 did not always).
    const EACH: usize = 300;
    let dir = tempfile::tempdir().unwrap();
    let a = Harness::start(|sink| open(dir.path(), sink));
    let b = Harness::start(|sink| open(dir.path(), sink));
    a.store
        .change_group(GroupOp::Add {
            group_id: "g".into(),
            name: String::new(),
            members: vec!["u".into(), "v".into(), "w".into()],
        })
        .await
        .unwrap();
    let sends = |h: &Harness, node: &'static str| {
        let store = h.store.clone();
        async move {
            let mut pending = Vec::new();
            for i in 0..EACH {
                let msg = if i % 2 == 0 {
                    text(node, "u", &format!("{node}-{i}"))
                } else {
                    group_text(node, "g", &format!("{node}-{i}"))
                };
                pending.push(store.submit_message(msg).await.unwrap());
            }
            for p in pending {
                p.await.expect("a send failed");
            }
        }
    };
    let (va, vb) = (sends(&a, "v"), sends(&b, "w"));
    tokio::join!(va, vb);
    // u got every private message and every group message, from both nodes.
    let inbox = a.inbox("u").await;
    let seqs: Vec<u64> = inbox.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, (1..=(2 * EACH) as u64).collect::<Vec<_>>());
    // The group's history: dense, and in time order (its oldest page of 100).
    let page = a
        .store
        .history(HistoryQuery {
            conversation: UserConversation {
                user_id: "u".into(),
                conversation_type: rcim_proto::conversation_type::GROUP,
                target_id: "g".into(),
                channel_id: String::new(),
            },
            sent_time: 0,
            after: true,
            count: 100,
        })
        .await
        .unwrap();
    let hist: Vec<(u64, i64)> = page
        .messages
        .iter()
        .map(|m| (m.conv_seq, m.sent_time))
        .collect();
    assert_eq!(hist.len(), 100, "the oldest page");
    assert!(
        hist.windows(2)
            .all(|w| w[1].0 == w[0].0 + 1 && w[1].1 > w[0].1),
        "{hist:?}"
    );
    a.close().await;
    b.close().await;
}

/// Two nodes' stores writing the same rows at the same time: a group message's sender asks
/// for receipts through both at once (the same key inserted twice), and both change the
/// group's members. Every write succeeds (a command that lost a conflict to the other
/// node's transaction is tried once more), and the members get one receipt request.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writes_of_the_same_rows_on_two_stores_all_succeed() {
    use crate::model::{GroupOp, ReceiptAsk};
    use crate::store::conformance::{group_text, Harness};
    const N: usize = 20;
    let dir = tempfile::tempdir().unwrap();
    let a = Harness::start(|sink| open(dir.path(), sink));
    let b = Harness::start(|sink| open(dir.path(), sink));
    let group = GroupOp::Add {
        group_id: "g".into(),
        name: String::new(),
        members: vec!["u".into(), "v".into()],
    };
    a.store.change_group(group).await.unwrap();
    let mut uids = Vec::new();
    for i in 0..N {
        let p = a
            .store
            .submit_message(group_text("u", "g", &format!("m{i}")));
        uids.push(p.await.unwrap().await.unwrap().uid);
    }
    let writes = |h: &Harness, node: &'static str| {
        let (store, uids) = (h.store.clone(), uids.clone());
        async move {
            let mut results = Vec::new();
            for uid in uids {
                let ask = ReceiptAsk {
                    requester: "u".into(),
                    device_id: node.into(),
                    group_id: "g".into(),
                    channel_id: String::new(),
                    uid,
                };
                let (r, g) = tokio::join!(
                    store.request_receipt(ask, None),
                    store.change_group(GroupOp::Add {
                        group_id: "g".into(),
                        name: String::new(),
                        members: vec![format!("{node}-member")],
                    })
                );
                results.push((
                    r.map_err(|e| format!("{e:?}")),
                    g.map(|_| ()).map_err(|e| format!("{e:?}")),
                ));
            }
            results
        }
    };
    let (ra, rb) = tokio::join!(writes(&a, "a"), writes(&b, "b"));
    for (r, g) in ra.into_iter().chain(rb) {
        assert_eq!(r, Ok(()), "a receipt request");
        assert_eq!(g, Ok(()), "a member change");
    }
    let requested = a
        .inbox("v")
        .await
        .into_iter()
        .filter(|e| {
            matches!(
                e.body,
                Some(rcim_proto::v1::inbox_entry::Body::ReceiptRequested(_))
            )
        })
        .count();
    assert_eq!(requested, N, "one request per message");
    a.close().await;
    b.close().await;
}

/// `sslmode=require` with the test CA (`RCIM_TEST_POSTGRES_CA`, the CA of the certificate
/// `scripts/services.sh` gives the test server) encrypts the connection, as the server's
/// own view of it says; against the public roots the same certificate is refused, with a
/// message naming it.
#[test]
fn sslmode_require_encrypts_and_checks_the_certificate() {
    use super::db::{Db, PgConnector, PgRuntime};
    let base = std::env::var("RCIM_TEST_POSTGRES_URL").expect("RCIM_TEST_POSTGRES_URL");
    let ca = std::env::var("RCIM_TEST_POSTGRES_CA")
        .expect("RCIM_TEST_POSTGRES_CA is not set: `eval \"$(bash scripts/services.sh env)\"`");
    let sep = if base.contains('?') { '&' } else { '?' };
    let url = format!("{base}{sep}sslmode=require&sslrootcert={ca}");
    let conn = PgConnector::new(&url, PgRuntime::new().unwrap())
        .unwrap()
        .connect()
        .expect("a TLS connection");
    let ssl: bool = Db::postgres(conn)
        .query_row(
            "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(ssl, "the server sees an encrypted connection");
    let untrusted = format!("{base}{sep}sslmode=require");
    let err = PgConnector::new(&untrusted, PgRuntime::new().unwrap())
        .unwrap()
        .connect()
        .err()
        .expect("a certificate from an unknown CA is refused");
    assert!(err.to_string().contains("certificate"), "{err}");
}
