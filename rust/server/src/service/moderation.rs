//! Moderation: the sensitive-word filter of client messages, user bans and group gags.
//!
//! The words live in the store; the filter compiled from them is kept in memory
//! ([`Moderation`]) and rebuilt after every change through this module, so a send costs one
//! automaton scan and no database read. Matching is case-insensitive for ASCII letters and
//! finds words anywhere in the text (CJK text has no word boundaries to rely on).

use super::error::ServiceError;
use crate::hub::Hub;
use crate::model::{ModerationOp, NewMessage, Restriction, SensitiveWord};
use crate::store::ServerStore;
use crate::util::now_ms;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use rcim_proto::codes;
use serde_json::Value;
use std::sync::{Arc, RwLock};

/// Object name whose `content` field the filter always screens.
const TEXT_OBJECT_NAME: &str = "RC:TxtMsg";
/// Longest ban or gag, in minutes (30 days, as RongCloud).
pub(crate) const MAX_RESTRICTION_MINUTES: i64 = 43_200;
const MINUTE_MS: i64 = 60_000;

/// What the filter decided for a text.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// No sensitive word.
    Clean,
    /// Only replacing words: the text with each replaced.
    Replaced(String),
    /// A blocking word: the message must reach nobody.
    Blocked,
}

/// The compiled word list.
pub(crate) struct WordFilter {
    /// `None` when there are no words.
    matcher: Option<AhoCorasick>,
    /// Per pattern: its replacement, `None` for a blocking word.
    replacements: Vec<Option<String>>,
}

impl WordFilter {
    /// Compiles `words` (leftmost-longest: of two words starting at the same place, the
    /// longer one wins, so "badword" is not cut at "bad").
    pub(crate) fn new(words: &[SensitiveWord]) -> Self {
        let words: Vec<&SensitiveWord> = words.iter().filter(|w| !w.word.is_empty()).collect();
        let matcher = (!words.is_empty()).then(|| {
            AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::LeftmostLongest)
                .build(words.iter().map(|w| w.word.as_str()))
                .expect("a few short words always compile")
        });
        Self {
            matcher,
            replacements: words.iter().map(|w| w.replace_word.clone()).collect(),
        }
    }

    /// Screens one text.
    pub(crate) fn screen(&self, text: &str) -> Verdict {
        let Some(m) = &self.matcher else {
            return Verdict::Clean;
        };
        // Allocated at the first hit: most texts have none.
        let mut out = String::new();
        let mut last = 0;
        let mut changed = false;
        for hit in m.find_iter(text) {
            match &self.replacements[hit.pattern().as_usize()] {
                None => return Verdict::Blocked,
                Some(r) => {
                    if !changed {
                        out.reserve(text.len());
                    }
                    out.push_str(&text[last..hit.start()]);
                    out.push_str(r);
                    last = hit.end();
                    changed = true;
                }
            }
        }
        if !changed {
            return Verdict::Clean;
        }
        out.push_str(&text[last..]);
        Verdict::Replaced(out)
    }

    /// Screens a message's JSON content: the `content` field of a text message, every
    /// top-level string field of another screened type (content that is not a JSON object is
    /// screened as a whole). Only the screened strings change; the rest of the JSON is
    /// rewritten only when something was replaced.
    fn screen_content(&self, object_name: &str, content: &str) -> Verdict {
        if self.matcher.is_none() {
            // No words: nothing to find, no need to parse the JSON.
            return Verdict::Clean;
        }
        let Ok(Value::Object(mut fields)) = serde_json::from_str::<Value>(content) else {
            return self.screen(content);
        };
        let mut changed = false;
        for (key, value) in fields.iter_mut() {
            if object_name == TEXT_OBJECT_NAME && key != "content" {
                continue;
            }
            let Value::String(s) = value else { continue };
            match self.screen(s) {
                Verdict::Clean => {}
                Verdict::Blocked => return Verdict::Blocked,
                Verdict::Replaced(r) => {
                    *s = r;
                    changed = true;
                }
            }
        }
        if changed {
            Verdict::Replaced(Value::Object(fields).to_string())
        } else {
            Verdict::Clean
        }
    }
}

#[cfg(test)]
type InstallGate = (
    tokio::sync::oneshot::Sender<()>,
    tokio::sync::oneshot::Receiver<()>,
);

/// The in-memory side of moderation: the compiled word filter and which object names it
/// screens.
pub(crate) struct Moderation {
    filter: RwLock<Arc<WordFilter>>,
    /// Held from a word change until the filter of its result is installed: two changes in
    /// flight could otherwise read the words in one order and install the filters in the
    /// other, leaving an older word set in force until the next change.
    changes: tokio::sync::Mutex<()>,
    /// Tests: the next reload stops between reading the words and installing their filter
    /// (signals the first channel, waits for the second).
    #[cfg(test)]
    install_gate: std::sync::Mutex<Option<InstallGate>>,
    /// Object names screened besides `RC:TxtMsg` (`ServerConfig::sensitive_word_object_names`).
    object_names: Vec<String>,
}

impl Moderation {
    /// The filter of `words`, screening text messages and `object_names`.
    pub(crate) fn new(words: &[SensitiveWord], object_names: Vec<String>) -> Self {
        Self {
            filter: RwLock::new(Arc::new(WordFilter::new(words))),
            changes: tokio::sync::Mutex::new(()),
            #[cfg(test)]
            install_gate: Default::default(),
            object_names,
        }
    }

    fn filter(&self) -> Arc<WordFilter> {
        self.filter
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Rebuilds the filter from the stored words.
    async fn reload(&self, store: &dyn ServerStore) -> Result<(), ServiceError> {
        let words = store.sensitive_words().await?;
        #[cfg(test)]
        {
            let gate = self.install_gate.lock().unwrap().take();
            if let Some((reached, release)) = gate {
                let _ = reached.send(());
                let _ = release.await;
            }
        }
        *self.filter.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(WordFilter::new(&words));
        Ok(())
    }

    /// Applies the filter to a client's message: replaced words change `msg.content` (what
    /// everyone receives, the sender's other devices too) and its push text; a blocking word
    /// in either sets `msg.blocked`. Other object names pass untouched.
    pub(crate) fn screen_message(&self, msg: &mut NewMessage) {
        if msg.object_name != TEXT_OBJECT_NAME && !self.object_names.contains(&msg.object_name) {
            return;
        }
        let filter = self.filter();
        match filter.screen_content(&msg.object_name, &msg.content) {
            Verdict::Clean => {}
            Verdict::Replaced(content) => msg.content = content,
            Verdict::Blocked => msg.blocked = true,
        }
        // The push text usually repeats the message's text: it must not leak the words.
        match filter.screen(&msg.push_content) {
            Verdict::Clean => {}
            Verdict::Replaced(push) => msg.push_content = push,
            Verdict::Blocked => msg.blocked = true,
        }
    }
}

/// Adds a sensitive word (`replace_word`: `None` blocks) unless `max_words` are stored
/// (refused with `over_limit_code`), and applies it to the sends that follow.
pub(crate) async fn add_word(
    store: &dyn ServerStore,
    moderation: &Moderation,
    word: SensitiveWord,
    max_words: usize,
    over_limit_code: u32,
) -> Result<(), ServiceError> {
    let _change = moderation.changes.lock().await;
    store
        .moderate(ModerationOp::AddWord {
            word,
            max_words,
            over_limit_code,
        })
        .await?;
    moderation.reload(store).await
}

/// Removes sensitive words (unknown ones are ignored).
pub(crate) async fn delete_words(
    store: &dyn ServerStore,
    moderation: &Moderation,
    words: Vec<String>,
) -> Result<(), ServiceError> {
    let _change = moderation.changes.lock().await;
    store.moderate(ModerationOp::DeleteWords(words)).await?;
    moderation.reload(store).await
}

/// The end of a restriction of `minutes` starting now (`0` = permanent when `permanent_zero`).
fn until(minutes: i64, permanent_zero: bool) -> Result<i64, ServiceError> {
    let lowest = if permanent_zero { 0 } else { 1 };
    if !(lowest..=MAX_RESTRICTION_MINUTES).contains(&minutes) {
        return Err(ServiceError::Invalid(format!(
            "minute must be {lowest}..={MAX_RESTRICTION_MINUTES}"
        )));
    }
    Ok(if minutes == 0 {
        i64::MAX
    } else {
        now_ms() + minutes * MINUTE_MS
    })
}

/// Bans users for `minutes` (1..=43200): they cannot connect (31009) until it ends, and
/// their online sessions are closed with `Kicked{31009}`, on every node.
pub(crate) async fn ban(
    store: &dyn ServerStore,
    hub: &Hub,
    bus: &crate::bus::Bus,
    user_ids: Vec<String>,
    minutes: i64,
) -> Result<(), ServiceError> {
    let until = until(minutes, false)?;
    store
        .moderate(ModerationOp::Ban {
            user_ids: user_ids.clone(),
            until,
        })
        .await?;
    for u in &user_ids {
        bus.kick_user(u, codes::CONN_USER_BLOCKED, "the user is banned");
        hub.kick_user(u, codes::CONN_USER_BLOCKED, "the user is banned");
    }
    Ok(())
}

/// Lifts bans.
pub(crate) async fn unban(
    store: &dyn ServerStore,
    user_ids: Vec<String>,
) -> Result<(), ServiceError> {
    Ok(store.moderate(ModerationOp::Unban(user_ids)).await?)
}

/// The bans in force.
pub(crate) async fn bans(store: &dyn ServerStore) -> Result<Vec<Restriction>, ServiceError> {
    Ok(store.bans(None, now_ms()).await?)
}

/// Whether `user_id` is banned now.
pub(crate) async fn is_banned(
    store: &dyn ServerStore,
    user_id: &str,
) -> Result<bool, ServiceError> {
    Ok(!store
        .bans(Some(user_id.to_owned()), now_ms())
        .await?
        .is_empty())
}

/// Gags users in a group for `minutes` (0 = permanent, at most 43200): their group sends are
/// refused with 22408 until it ends.
pub(crate) async fn gag(
    store: &dyn ServerStore,
    group_id: String,
    user_ids: Vec<String>,
    minutes: i64,
) -> Result<(), ServiceError> {
    let until = until(minutes, true)?;
    Ok(store
        .moderate(ModerationOp::Gag {
            group_id,
            user_ids,
            until,
        })
        .await?)
}

/// Lifts gags in a group.
pub(crate) async fn ungag(
    store: &dyn ServerStore,
    group_id: String,
    user_ids: Vec<String>,
) -> Result<(), ServiceError> {
    Ok(store
        .moderate(ModerationOp::Ungag { group_id, user_ids })
        .await?)
}

/// The gags in force in a group.
pub(crate) async fn gags(
    store: &dyn ServerStore,
    group_id: String,
) -> Result<Vec<Restriction>, ServiceError> {
    Ok(store.gags(group_id, None, now_ms()).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(w: &str, r: Option<&str>) -> SensitiveWord {
        SensitiveWord {
            word: w.into(),
            replace_word: r.map(Into::into),
        }
    }

    #[test]
    fn screening() {
        let f = WordFilter::new(&[
            word("bad", Some("***")),
            word("badword", None),
            word("坏蛋", Some("**")),
            word("Spam", None),
        ]);
        assert_eq!(f.screen("all good"), Verdict::Clean);
        assert_eq!(f.screen("a BAD day"), Verdict::Replaced("a *** day".into()));
        assert_eq!(f.screen("你是坏蛋吗"), Verdict::Replaced("你是**吗".into()));
        assert_eq!(f.screen("badwords"), Verdict::Blocked);
        assert_eq!(f.screen("no sPaM here"), Verdict::Blocked);
        assert_eq!(WordFilter::new(&[]).screen("bad"), Verdict::Clean);
        let text = r#"{"content":"bad 坏蛋","extra":"bad"}"#;
        let Verdict::Replaced(json) = f.screen_content(TEXT_OBJECT_NAME, text) else {
            panic!()
        };
        let v: Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["content"], "*** **");
        assert_eq!(v["extra"], "bad", "only the text is screened");
        let Verdict::Replaced(json) = f.screen_content("App:Custom", text) else {
            panic!()
        };
        let v: Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["extra"], "***", "every string of a configured type");
        assert_eq!(
            f.screen_content("App:Custom", "not json spam"),
            Verdict::Blocked
        );
    }

    /// Concurrent word changes leave the filter of the last stored word set in force: a
    /// change whose reload is slow to install cannot overwrite the filter of a later one.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_adds_install_the_latest_words() {
        use crate::store::conformance::Harness;
        use crate::store::SqlStore;
        use std::time::Duration;
        use tokio::sync::oneshot;
        let dir = tempfile::tempdir().unwrap();
        let h = Harness::start(|sink| SqlStore::open(dir.path(), sink).unwrap());
        let store = h.store.clone();
        let moderation = Arc::new(Moderation::new(&[], Vec::new()));
        let (reached_tx, reached) = oneshot::channel();
        let (release, release_rx) = oneshot::channel();
        *moderation.install_gate.lock().unwrap() = Some((reached_tx, release_rx));
        let add = |w: &'static str| {
            let (store, moderation) = (store.clone(), moderation.clone());
            tokio::spawn(async move {
                add_word(store.as_ref(), &moderation, word(w, None), 100, 1016).await
            })
        };
        // The first add has read {first} and not installed it yet when the second starts.
        let first = add("first");
        reached.await.unwrap();
        let second = add("second");
        tokio::time::sleep(Duration::from_millis(300)).await;
        release.send(()).unwrap();
        first.await.unwrap().unwrap();
        second.await.unwrap().unwrap();
        let filter = moderation.filter();
        assert_eq!(filter.screen("first"), Verdict::Blocked);
        assert_eq!(
            filter.screen("second"),
            Verdict::Blocked,
            "the filter of an older word set was installed last"
        );
    }
}
