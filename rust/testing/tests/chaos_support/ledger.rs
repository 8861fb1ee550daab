//! The chaos run's record: what each client sent and received ([`Ledger`]), the promises
//! checked over it ([`verify`]) and the figures of a run ([`Report`]).

use rcim_core::model::connection_status;
use rcim_core::Event;
use std::collections::{BTreeMap, HashMap};
use std::time::Instant;

/// One message a client handed to its engine.
#[derive(Debug)]
pub(super) struct Sent {
    pub(super) sender: String,
    pub(super) conversation: String,
    pub(super) seq: u64,
    pub(super) recipients: Vec<String>,
    /// The codes of its `MessageSent` events.
    pub(super) outcomes: Vec<i32>,
    /// The call itself refused it (with this code).
    pub(super) refused: Option<i32>,
}

impl Sent {
    pub(super) fn acked(&self) -> bool {
        self.outcomes.contains(&0)
    }

    pub(super) fn settled(&self) -> bool {
        self.refused.is_some() || !self.outcomes.is_empty()
    }
}

/// What the clients did and saw.
#[derive(Default)]
pub(super) struct Ledger {
    /// By text (`sender|conversation|seq`, unique).
    pub(super) sent: HashMap<String, Sent>,
    /// Texts each user received, in arrival order.
    pub(super) received: HashMap<String, Vec<String>>,
    pub(super) connected: HashMap<String, bool>,
    /// What each client did and got, for the report of a failed run.
    pub(super) timeline: Vec<(Instant, String, String)>,
}

impl Ledger {
    pub(super) fn note(&mut self, user: &str, what: String) {
        self.timeline.push((Instant::now(), user.to_string(), what));
    }

    /// `user`'s timeline, relative to `start`.
    pub(super) fn timeline_of(&self, user: &str, start: Instant) -> String {
        self.timeline
            .iter()
            .filter(|(_, who, _)| who == user)
            .map(|(at, _, what)| format!("{:8.3} {what}", (*at - start).as_secs_f64()))
            .collect::<Vec<_>>()
            .join("\n")
    }

    pub(super) fn record(&mut self, user: &str, event: Event) {
        match event {
            Event::MessageSent { code, message, .. } => {
                let text = message.text().unwrap_or_default();
                self.note(user, format!("sent {text} code {code}"));
                if let Some(sent) = self.sent.get_mut(text) {
                    sent.outcomes.push(code);
                }
            }
            Event::MessageReceived { message, .. } => {
                let text = message.text().unwrap_or_default().to_string();
                self.received
                    .entry(user.to_string())
                    .or_default()
                    .push(text);
            }
            Event::ConnectionStatusChanged { status } => {
                self.note(user, format!("status {status}"));
                self.connected
                    .insert(user.to_string(), status == connection_status::CONNECTED);
            }
            _ => {}
        }
    }
}

/// The figures of a run and what went wrong in it.
#[derive(Debug, Default)]
pub struct Report {
    pub seed: u64,
    pub clients: usize,
    pub chaos_secs: f64,
    /// From the end of the chaos until everything was settled and delivered.
    pub settle_secs: f64,
    pub server_kills: usize,
    pub client_disconnects: usize,
    /// App restarts: engine destroyed, a new one on the same database.
    pub client_restarts: usize,
    /// Messages handed to the engines (accepted by the call).
    pub sent: usize,
    pub acked: usize,
    /// Not acknowledged: failed visibly, by code.
    pub failed: BTreeMap<i32, usize>,
    /// Refused by the call, by code.
    pub refused: BTreeMap<i32, usize>,
    /// Of the unacknowledged ones, how many reached some recipient anyway.
    pub failed_but_delivered: usize,
    /// Deliveries expected (acknowledged × recipients) and seen in all.
    pub deliveries_expected: usize,
    pub deliveries_seen: usize,
    /// Broken promises (empty when the run passed).
    pub violations: Vec<String>,
}

impl Report {
    /// One line of figures.
    pub fn summary(&self) -> String {
        format!(
            "seed {} | {} clients, {:.0} s of chaos, {} server kills, {} client disconnects, \
             {} app restarts | \
             {} sent, {} acked ({:.0}/s), failed {:?}, refused {:?}, {} unacked but delivered | \
             {} deliveries expected, {} seen | settled in {:.1} s | {} violations",
            self.seed,
            self.clients,
            self.chaos_secs,
            self.server_kills,
            self.client_disconnects,
            self.client_restarts,
            self.sent,
            self.acked,
            self.acked as f64 / self.chaos_secs.max(0.001),
            self.failed,
            self.refused,
            self.failed_but_delivered,
            self.deliveries_expected,
            self.deliveries_seen,
            self.settle_secs,
            self.violations.len()
        )
    }
}

pub(super) fn expected_deliveries(ledger: &Ledger) -> usize {
    ledger
        .sent
        .values()
        .filter(|s| s.acked())
        .map(|s| s.recipients.len())
        .sum()
}

/// Deliveries of acknowledged messages, each (message, recipient) counted once.
pub(super) fn seen_acked_deliveries(ledger: &Ledger) -> usize {
    let mut seen = 0;
    for (user, texts) in &ledger.received {
        let mut distinct: Vec<&String> = texts
            .iter()
            .filter(|t| ledger.sent.get(*t).is_some_and(Sent::acked))
            .collect();
        distinct.sort();
        distinct.dedup();
        seen += distinct
            .iter()
            .filter(|t| ledger.sent[**t].recipients.contains(user))
            .count();
    }
    seen
}

/// Checks the promises over what was sent and received.
pub(super) fn verify(ledger: &Ledger, members: &BTreeMap<String, Vec<String>>) -> Report {
    let mut report = Report::default();
    let mut violations = Vec::new();
    // How often each user got each text.
    let mut counts: HashMap<(&str, &str), usize> = HashMap::new();
    for (user, texts) in &ledger.received {
        for text in texts {
            *counts.entry((user, text)).or_default() += 1;
            match ledger.sent.get(text) {
                None => violations.push(format!("{user} received {text:?}, never sent")),
                Some(sent) if !sent.recipients.contains(user) => {
                    violations.push(format!("{user} received {text:?}, not a recipient"))
                }
                Some(_) => {}
            }
        }
    }
    for (text, sent) in &ledger.sent {
        if let Some(code) = sent.refused {
            *report.refused.entry(code).or_default() += 1;
        } else {
            report.sent += 1;
        }
        let got = |user: &String| counts.get(&(user.as_str(), text.as_str())).copied();
        if sent.acked() {
            report.acked += 1;
            if sent.outcomes.len() > 1 {
                violations.push(format!(
                    "{text:?} answered more than once: {:?}",
                    sent.outcomes
                ));
            }
            for user in &sent.recipients {
                report.deliveries_expected += 1;
                match got(user).unwrap_or(0) {
                    1 => report.deliveries_seen += 1,
                    n => violations.push(format!("acked {text:?} reached {user} {n} times")),
                }
            }
        } else {
            if let Some(&code) = sent.outcomes.first() {
                *report.failed.entry(code).or_default() += 1;
            } else if sent.refused.is_none() {
                violations.push(format!("{text:?} neither acknowledged nor failed"));
            }
            let mut delivered = false;
            for user in &sent.recipients {
                match got(user).unwrap_or(0) {
                    0 => {}
                    1 => delivered = true,
                    n => violations.push(format!("unacked {text:?} reached {user} {n} times")),
                }
            }
            report.failed_but_delivered += usize::from(delivered);
        }
    }
    // Order: each sender's messages of a conversation arrive in the order they were sent.
    for (user, texts) in &ledger.received {
        let mut last: HashMap<(&str, &str), u64> = HashMap::new();
        for text in texts {
            let Some(sent) = ledger.sent.get(text) else {
                continue;
            };
            let key = (sent.sender.as_str(), sent.conversation.as_str());
            let previous = last.insert(key, sent.seq).unwrap_or(0);
            if sent.seq <= previous {
                violations.push(format!(
                    "{user} got {text:?} after seq {previous} of the same sender and conversation"
                ));
            }
        }
    }
    // And the members of a group see its messages in one order.
    for (group, users) in members {
        let conversation = format!("g:{group}");
        let orders: Vec<(&String, HashMap<&str, usize>)> = users
            .iter()
            .map(|u| {
                let texts = ledger.received.get(u).map(Vec::as_slice).unwrap_or(&[]);
                let order = texts
                    .iter()
                    .filter(|t| {
                        ledger
                            .sent
                            .get(*t)
                            .is_some_and(|s| s.conversation == conversation)
                    })
                    .enumerate()
                    .map(|(i, t)| (t.as_str(), i))
                    .collect();
                (u, order)
            })
            .collect();
        for (i, (a, order_a)) in orders.iter().enumerate() {
            for (b, order_b) in &orders[i + 1..] {
                let mut common: Vec<(usize, usize)> = order_a
                    .iter()
                    .filter_map(|(t, &ia)| order_b.get(t).map(|&ib| (ia, ib)))
                    .collect();
                common.sort();
                if common.windows(2).any(|w| w[0].1 > w[1].1) {
                    violations.push(format!(
                        "{a} and {b} saw {group}'s messages in other orders"
                    ));
                }
            }
        }
    }
    report.violations = violations;
    report
}

#[cfg(test)]
// Compiled into the benchmark too (no test harness there, so nothing calls them).
#[allow(dead_code)]
mod tests {
    use super::*;

    fn sent(sender: &str, conversation: &str, seq: u64, to: &[&str], outcomes: &[i32]) -> Sent {
        Sent {
            sender: sender.into(),
            conversation: conversation.into(),
            seq,
            recipients: to.iter().map(|u| u.to_string()).collect(),
            outcomes: outcomes.to_vec(),
            refused: None,
        }
    }

    /// The checker itself: a clean ledger passes; each broken promise is named.
    #[test]
    fn the_checker_names_each_broken_promise() {
        let members: BTreeMap<String, Vec<String>> =
            [("g0".to_string(), vec!["a".into(), "b".into(), "c".into()])].into();
        let mut ledger = Ledger::default();
        ledger
            .sent
            .insert("a|p:a>b|1".into(), sent("a", "p:a>b", 1, &["b"], &[0]));
        ledger
            .sent
            .insert("a|p:a>b|2".into(), sent("a", "p:a>b", 2, &["b"], &[0]));
        ledger
            .sent
            .insert("a|g:g0|1".into(), sent("a", "g:g0", 1, &["b", "c"], &[0]));
        ledger
            .sent
            .insert("b|g:g0|1".into(), sent("b", "g:g0", 1, &["a", "c"], &[0]));
        ledger
            .sent
            .insert("c|p:c>a|1".into(), sent("c", "p:c>a", 1, &["a"], &[30002]));
        let received = |l: &mut Ledger, user: &str, texts: &[&str]| {
            l.received
                .insert(user.into(), texts.iter().map(|t| t.to_string()).collect());
        };
        received(&mut ledger, "b", &["a|p:a>b|1", "a|g:g0|1", "a|p:a>b|2"]);
        received(&mut ledger, "c", &["a|g:g0|1", "b|g:g0|1"]);
        received(&mut ledger, "a", &["b|g:g0|1"]);
        let clean = verify(&ledger, &members);
        assert!(clean.violations.is_empty(), "{:?}", clean.violations);
        assert_eq!((clean.acked, clean.deliveries_seen), (4, 6));
        assert_eq!(clean.failed.get(&30002), Some(&1));

        // Lost, duplicated, reordered, in another group order, and a silent non-answer.
        received(&mut ledger, "b", &["a|p:a>b|2", "a|p:a>b|1", "a|p:a>b|1"]);
        received(&mut ledger, "c", &["b|g:g0|1", "a|g:g0|1"]);
        received(&mut ledger, "a", &["b|g:g0|1", "c|p:c>a|1", "c|p:c>a|1"]);
        ledger
            .sent
            .insert("c|p:c>a|2".into(), sent("c", "p:c>a", 2, &["a"], &[]));
        let broken = verify(&ledger, &members).violations.join("\n");
        for expected in [
            "acked \"a|g:g0|1\" reached b 0 times",
            "acked \"a|p:a>b|1\" reached b 2 times",
            "b got \"a|p:a>b|1\" after seq 2",
            "unacked \"c|p:c>a|1\" reached a 2 times",
            "\"c|p:c>a|2\" neither acknowledged nor failed",
        ] {
            assert!(broken.contains(expected), "{expected} in:\n{broken}");
        }

        // Two members that saw two senders' group messages in other orders.
        let members: BTreeMap<String, Vec<String>> = [(
            "g1".to_string(),
            ["a", "b", "c", "d"].map(String::from).to_vec(),
        )]
        .into();
        let mut ledger = Ledger::default();
        ledger.sent.insert(
            "a|g:g1|1".into(),
            sent("a", "g:g1", 1, &["b", "c", "d"], &[0]),
        );
        ledger.sent.insert(
            "d|g:g1|1".into(),
            sent("d", "g:g1", 1, &["a", "b", "c"], &[0]),
        );
        received(&mut ledger, "a", &["d|g:g1|1"]);
        received(&mut ledger, "b", &["a|g:g1|1", "d|g:g1|1"]);
        received(&mut ledger, "c", &["d|g:g1|1", "a|g:g1|1"]);
        received(&mut ledger, "d", &["a|g:g1|1"]);
        assert_eq!(
            verify(&ledger, &members).violations,
            vec!["b and c saw g1's messages in other orders".to_string()]
        );
    }
}
