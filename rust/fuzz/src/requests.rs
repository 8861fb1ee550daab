//! The request handler target: fuzzed `Request` bodies on a logged-in connection to a live
//! in-process server, which must answer every one and keep serving another user.

use crate::harness::{ask, login, Conn, Harness, Outcome};
use crate::seeds::{self, GROUP, PEER, ROOM, ULTRA_CHANNEL, ULTRA_GROUP};
use crate::server_api::{call, signed_form};
use prost::Message as _;
use rcim_proto::v1::{response, server_frame, Request, ServerFrame};
use std::collections::BTreeMap;

/// The user whose connection is fuzzed.
pub const FUZZER: &str = "fuzzer";
/// Every how many inputs the watcher checks that the server still serves others.
const WATCH_EVERY: u64 = 32;
/// Message ids kept for the `@N` placeholders.
const UID_POOL: usize = 64;

/// What the runs of a [`RequestTarget`] got.
#[derive(Debug, Default, Clone)]
pub struct RequestStats {
    /// Inputs run.
    pub executions: u64,
    /// Inputs that are not a protobuf `Request` (skipped: the frame decoder target covers
    /// them).
    pub undecodable: u64,
    /// Answers by code (`Response.code`, or `ErrorReply.code` counted under 100,000 + code).
    pub codes: BTreeMap<u32, u64>,
    /// Answers by request arm.
    pub arms: BTreeMap<&'static str, u64>,
}

/// A live server, a logged-in connection to fuzz, and the message ids its sends produced.
pub struct RequestTarget {
    harness: Harness,
    conn: Conn,
    /// Ids of messages that exist, for the `@N` placeholders of the seeds.
    uids: Vec<String>,
    /// Counts of the run so far.
    pub stats: RequestStats,
}

impl Default for RequestTarget {
    fn default() -> Self {
        Self::new()
    }
}

impl RequestTarget {
    /// Starts the server, creates the group, ultra group (with a channel) and chatroom the
    /// seeds name, logs the fuzzed user in and sends a first message of each kind.
    pub fn new() -> Self {
        let harness = Harness::start();
        let api = harness.api.clone();
        for (path, form) in [
            (
                "/group/create.json",
                format!("userId={FUZZER}&userId={PEER}&groupId={GROUP}&groupName=G"),
            ),
            (
                "/ultragroup/create.json",
                format!("userId={FUZZER}&groupId={ULTRA_GROUP}&groupName=U"),
            ),
            (
                "/ultragroup/join.json",
                format!("userId={PEER}&groupId={ULTRA_GROUP}"),
            ),
            (
                "/ultragroup/channel/create.json",
                format!("groupId={ULTRA_GROUP}&busChannel={ULTRA_CHANNEL}"),
            ),
            ("/chatroom/create.json", format!("chatroom[{ROOM}]=Room")),
        ] {
            let code = call(&harness, &api, signed_form(path, &form));
            assert_eq!(code, 200, "setting up with {path}");
        }
        let conn = harness
            .rt
            .block_on(login(harness.gateway_addr(), FUZZER, "fuzz"));
        let mut target = Self {
            harness,
            conn,
            uids: Vec::new(),
            stats: RequestStats::default(),
        };
        for seed in seeds::first_messages() {
            target.run(&seed.encode_to_vec());
        }
        assert!(target.uids.len() >= 3, "the first messages were sent");
        target.stats = RequestStats::default();
        target
    }

    /// Runs one input: a protobuf `Request` (inputs that do not decode are skipped). Its
    /// `@N` message ids are replaced by ids of messages that exist. Panics when the server
    /// does not answer it, closes the connection, or (every few inputs) no longer serves
    /// another user.
    pub fn run(&mut self, data: &[u8]) {
        self.stats.executions += 1;
        let Ok(mut request) = Request::decode(data) else {
            self.stats.undecodable += 1;
            return;
        };
        seeds::resolve_uids(&mut request, &self.uids);
        let arm = request.body.as_ref().map_or("none", seeds::arm_name);
        let seq = self.harness.next_seq();
        let shown = format!("{request:?}");
        let outcome = self.harness.rt.block_on(ask(&mut self.conn, seq, request));
        let frame = match outcome {
            Outcome::Answered(frame) => *frame,
            Outcome::Closed(why) => panic!("connection closed ({why}) on {shown}"),
            Outcome::Hung => panic!("no answer on {shown}"),
        };
        *self.stats.arms.entry(arm).or_default() += 1;
        let code = match frame {
            ServerFrame {
                body: Some(server_frame::Body::Response(r)),
                ..
            } => {
                if let Some(response::Body::SendMessage(sent)) = &r.body {
                    if self.uids.len() == UID_POOL {
                        self.uids.remove(0);
                    }
                    self.uids.push(sent.uid.clone());
                }
                r.code
            }
            ServerFrame {
                body: Some(server_frame::Body::Error(e)),
                ..
            } => 100_000 + e.code,
            _ => unreachable!("ask returns answers only"),
        };
        *self.stats.codes.entry(code).or_default() += 1;
        if self.stats.executions % WATCH_EVERY == 0 {
            self.harness.assert_serving();
        }
    }

    /// One line of figures: inputs, answers, answers by code.
    pub fn summary(&self) -> String {
        let answered: u64 = self.stats.codes.values().sum();
        format!(
            "{} inputs, {answered} requests answered ({} arms), by code {:?}",
            self.stats.executions,
            self.stats.arms.len(),
            self.stats.codes
        )
    }

    /// Checks once more that the server serves another user (end of a run).
    pub fn finish(&mut self) {
        self.harness.assert_serving();
    }
}
