//! Message pages with a load policy (`getMessages` / `loadMessages`, R094–R098): from the
//! local store (LOCAL), from the server's cloud history (REMOTE), or from the store when it
//! holds the page completely and from the server otherwise (LOCAL_REMOTE).
//!
//! Completeness is decided by history sequence, not by time (see `rcim_store`'s `history`
//! module): the store knows which sequence ranges it holds. A page fetched from the server is
//! stored (read, not counted as unread, no receive events, duplicates by uid skipped) and its
//! interval recorded, so reading the same part again is served locally.
//!
//! Decisions:
//! * Remote history exists for PRIVATE, GROUP and ULTRA_GROUP conversations only: REMOTE on
//!   another type is PARAM_ERROR; LOCAL_REMOTE on another type is the local page. Ultra-group
//!   messages that reach this device through the channel streams make their ranges live.
//! * Reading history never adds a conversation to the list (as RongCloud): a page only moves
//!   the last message of a listed conversation.
//! * Messages deleted on this device stay deleted: a page does not store them again, and
//!   LOCAL_REMOTE answers from the store. REMOTE answers the cloud's page as it is: such a
//!   message comes back without `messageId`.
//! * The held history counts as reaching the newest message (BEFORE 0, or AFTER up to now)
//!   only when its highest range is live: it holds a message this device received through
//!   its inbox (or its own send result), or a page that reached the server's head while the
//!   inbox was caught up, so newer ones arrive through the inbox. A new device (no
//!   offline compensation starts it at the inbox head) that read only older pages (e.g. the
//!   oldest ones first) asks the server for the newest page. Nor while the
//!   session is connected and its inbox is behind the server's (a sync runs or is due): the
//!   server has messages that are still on their way, so the newest page is asked.
//! * LOCAL_REMOTE answers after a fetch never reach beyond the fetched interval while the
//!   server has more there (its pages may be short, capped by bytes): the next page asks
//!   for the rest.
//! * LOCAL_REMOTE that needs the server while it cannot be reached fails with the network code
//!   (30002 after the send timeout without a connection, 30003 without an answer, or the
//!   server's refusal) rather than answering an incomplete local page as if it were complete;
//!   the app can ask with LOCAL for what is stored.

use super::messages::MAX_MESSAGE_PAGE;
use super::{check_conversation, has_cloud_history, normalised, Engine};
use crate::codec;
use crate::codes::Code;
use crate::model::Message;
use crate::query::Query;
use crate::session::{Command, ReadRequest};
use rcim_proto::v1::{request, response, HistoryPage, HistoryRequest};
use rcim_store::{ConversationKey, HistoryPageRows, MessageRow, NewMessage, Store, TimeOrder};
use std::sync::atomic::Ordering;
use std::time::Instant;

/// `RCIMIWMessageOperationPolicy` numbers.
pub mod policy {
    /// Local store only.
    pub const LOCAL: u32 = 0;
    /// The server's cloud history only (the page is stored too).
    pub const REMOTE: u32 = 1;
    /// The local store when it holds the page completely, the server otherwise.
    pub const LOCAL_REMOTE: u32 = 2;
}

/// How often a page refused for the request rate is asked again, and after how long.
const RATE_RETRIES: u32 = 5;
const RATE_WINDOW: std::time::Duration = std::time::Duration::from_millis(1100);

/// Most messages taken from one history page (the server's own limit; more is hostile).
const MAX_SERVER_PAGE: usize = 100;

impl Engine {
    /// `getMessages` / `loadMessages`: a page of `count` (1..=20) messages of `key` sent
    /// before (`order` 0, newest first) or after (1, oldest first) `sent_time` (0 = from the
    /// newest / the oldest), by `policy` (LOCAL 0, REMOTE 1, LOCAL_REMOTE 2; see the module
    /// documentation). PARAM_ERROR for a bad conversation, count, order or policy, and for
    /// REMOTE on a conversation without cloud history.
    pub fn messages(
        &self,
        key: ConversationKey,
        sent_time: i64,
        order: u32,
        policy: u32,
        count: u32,
    ) -> Result<Query<Vec<Message>>, Code> {
        if !(1..=MAX_MESSAGE_PAGE).contains(&count) || order > 1 || policy > policy::LOCAL_REMOTE {
            return Err(Code::PARAM_ERROR);
        }
        check_conversation(&key)?;
        let key = normalised(key);
        let time_order = if order == 0 {
            TimeOrder::Before
        } else {
            TimeOrder::After
        };
        // Ultra-group channels have a cloud history too (their stream, R098).
        let remote = has_cloud_history(key.conversation_type)
            || key.conversation_type == crate::model::conversation_type::ULTRA_GROUP;
        if policy == policy::REMOTE && !remote {
            return Err(Code::PARAM_ERROR);
        }
        if policy == policy::LOCAL || !remote {
            let rows = self.query(move |s| s.messages(&key, sent_time, time_order, count))?;
            return Ok(rows.map(|rows| rows.iter().map(codec::message_from_row).collect()));
        }
        let fetcher = self.history_fetcher()?;
        let request = HistoryRequest {
            conversation_type: key.conversation_type,
            target_id: key.target_id.clone(),
            channel_id: key.channel_id.clone(),
            sent_time,
            order,
            count,
        };
        if policy == policy::REMOTE {
            return Ok(Query::new(async move {
                let page = fetcher.fetch(request).await?;
                fetcher
                    .db(move |s| {
                        let stored = store_page(s, &key, &page, sent_time, time_order)?;
                        remote_answer(s, stored.messages, time_order)
                    })
                    .await
            }));
        }
        // LOCAL_REMOTE: the local page now (in call order), the server only when needed.
        let local = self.query({
            let key = key.clone();
            let inbox_behind = fetcher.inbox_behind.clone();
            move |s| {
                let rows = s.messages(&key, sent_time, time_order, count)?;
                let inbox_current = !inbox_behind.get();
                let complete = s.history_page_complete(
                    &key,
                    sent_time,
                    time_order,
                    count,
                    &rows,
                    inbox_current,
                )?;
                Ok((rows, complete))
            }
        })?;
        Ok(Query::new(async move {
            let (rows, complete) = local.await?;
            if complete {
                return Ok(rows.iter().map(codec::message_from_row).collect());
            }
            let page = fetcher.fetch(request).await?;
            let has_more = page.page.has_more;
            fetcher
                .db(move |s| {
                    let stored = store_page(s, &key, &page, sent_time, time_order)?;
                    let rows = s.messages(&key, sent_time, time_order, count)?;
                    Ok(within_fetched(rows, &stored, has_more, time_order))
                })
                .await
                .map(|rows| rows.iter().map(codec::message_from_row).collect())
        }))
    }

    /// How many history pages the server served this engine (a diagnostic: a page read again
    /// is served locally; requests refused, e.g. for the request rate, are not counted).
    pub fn history_requests(&self) -> u64 {
        self.history_requests.load(Ordering::Relaxed)
    }

    /// What a history future needs after the call returned: the session to ask, the
    /// database, the user.
    fn history_fetcher(&self) -> Result<HistoryFetcher, Code> {
        let guard = self.lock_session();
        let session = guard.as_ref().ok_or(Code::CLIENT_NOT_INIT)?;
        let db = session.db.get().cloned().ok_or(Code::CLIENT_NOT_INIT)?;
        Ok(HistoryFetcher {
            commands: session.commands.clone(),
            db,
            me: session.user_id.clone(),
            counter: self.history_requests.clone(),
            inbox_behind: session.inbox_behind.clone(),
        })
    }
}

/// A history page as the server answered it, with the user it was asked for.
struct FetchedPage {
    page: HistoryPage,
    me: String,
    /// The session's inbox state, read again when the page is stored.
    inbox_behind: crate::session::InboxBehind,
}

/// Asks the session for history pages and runs store work, from a query's future.
struct HistoryFetcher {
    commands: tokio::sync::mpsc::Sender<Command>,
    db: crate::db::Db,
    me: String,
    counter: std::sync::Arc<std::sync::atomic::AtomicU64>,
    /// Whether the session's inbox is behind the server's (then the newest page is asked).
    inbox_behind: crate::session::InboxBehind,
}

impl HistoryFetcher {
    /// One page from the server, or the code it failed with. A refusal for the request rate
    /// (20604) is asked again after the server's one-second window, a few times at most.
    async fn fetch(&self, request: HistoryRequest) -> Result<FetchedPage, Code> {
        let mut attempt = 0;
        loop {
            match self.fetch_once(request.clone()).await {
                Err(code) if code == Code::SEND_MSG_FREQUENCY_OVERRUN && attempt < RATE_RETRIES => {
                    attempt += 1;
                    tracing::debug!(attempt, "history page over the request rate; retrying");
                    tokio::time::sleep(RATE_WINDOW).await;
                }
                result => return result,
            }
        }
    }

    async fn fetch_once(&self, request: HistoryRequest) -> Result<FetchedPage, Code> {
        let (read, answer) = ReadRequest::channel(request::Body::History(request), Instant::now());
        self.commands
            .try_send(Command::Read(Box::new(read)))
            .map_err(|e| match e {
                tokio::sync::mpsc::error::TrySendError::Full(_) => Code::SEND_MSG_FREQUENCY_OVERRUN,
                tokio::sync::mpsc::error::TrySendError::Closed(_) => Code::CLIENT_NOT_INIT,
            })?;
        match answer.await {
            Ok(Ok(Some(response::Body::History(page)))) => {
                self.counter.fetch_add(1, Ordering::Relaxed);
                Ok(FetchedPage {
                    page,
                    me: self.me.clone(),
                    inbox_behind: self.inbox_behind.clone(),
                })
            }
            Ok(Ok(_)) => Err(Code::of(rcim_proto::codes::SERVER_UNKNOWN_ERROR)),
            Ok(Err(code)) => Err(Code::of(code)),
            Err(_) => Err(Code::CLIENT_NOT_INIT),
        }
    }

    /// Runs `f` on the database.
    async fn db<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Store) -> Result<T, rcim_store::StoreError> + Send + 'static,
    ) -> Result<T, Code> {
        self.db.call(f).await.map_err(|e| {
            tracing::error!(error = %e, "storing a history page failed");
            Code::DATABASE_ERROR
        })
    }
}

/// What [`store_page`] stored: the page's messages and the sent times of its interval's ends.
struct StoredPage {
    messages: Vec<NewMessage>,
    from_time: i64,
    to_time: i64,
}

/// Stores a fetched page of `key` (asked around `sent_time` in `order`). Returns its messages
/// (at most [`MAX_SERVER_PAGE`]) and the times of its interval's ends.
fn store_page(
    store: &mut Store,
    key: &ConversationKey,
    fetched: &FetchedPage,
    sent_time: i64,
    order: TimeOrder,
) -> Result<StoredPage, rcim_store::StoreError> {
    let (page, me) = (&fetched.page, fetched.me.as_str());
    let now = crate::session::now_ms();
    let messages: Vec<_> = page
        .messages
        .iter()
        .take(MAX_SERVER_PAGE)
        .filter(|m| !m.uid.is_empty())
        .map(|m| codec::row_from_wire(m, me, now))
        .collect();
    let newest = messages.iter().map(|m| m.sent_time).max();
    let oldest = messages.iter().map(|m| m.sent_time).min();
    // Times of the interval's ends when their messages are not in the page (hidden from
    // this user): bounds that never claim more than the server said.
    let (from_time, to_time) = match order {
        TimeOrder::Before => {
            let to = if sent_time > 0 {
                sent_time.saturating_sub(1)
            } else {
                newest.unwrap_or(0)
            };
            (oldest.unwrap_or(to), to)
        }
        TimeOrder::After => {
            let from = sent_time.saturating_add(1);
            (from, newest.unwrap_or(from))
        }
    };
    // A page that reached the server's head (the newest page, or the last one after a time)
    // while the inbox is caught up holds everything up to now: newer messages come through
    // the inbox from here on, so its range is live.
    let reached_head = match order {
        TimeOrder::Before => sent_time == 0,
        TimeOrder::After => !page.has_more,
    };
    let rows = HistoryPageRows {
        messages,
        from_seq: page.from_seq,
        to_seq: page.to_seq,
        from_time,
        to_time,
        live: reached_head && !fetched.inbox_behind.get(),
    };
    let added = store.store_history_page(key, &rows)?;
    tracing::debug!(
        added,
        from = page.from_seq,
        to = page.to_seq,
        "history page stored"
    );
    Ok(StoredPage {
        messages: rows.messages,
        from_time,
        to_time,
    })
}

/// The LOCAL_REMOTE answer after a fetch: the store's page, cut at the fetched interval's far
/// end when the server has more beyond it. The server may answer fewer messages than asked
/// (its page byte cap); the store's page would then continue with messages of a separate
/// range beyond a gap the server did not fill, and the app's next page, starting from the
/// last message it got, would never read the gap. Cut there, the next page asks for it.
fn within_fetched(
    rows: Vec<MessageRow>,
    stored: &StoredPage,
    has_more: bool,
    order: TimeOrder,
) -> Vec<MessageRow> {
    if !has_more {
        return rows;
    }
    rows.into_iter()
        .filter(|r| match order {
            TimeOrder::Before => r.sent_time >= stored.from_time,
            TimeOrder::After => r.sent_time <= stored.to_time,
        })
        .collect()
}

/// The REMOTE answer: the server's page as it is, in the page's order. Its messages are
/// returned as stored (with `messageId`); a message this device deleted on purpose is not
/// stored again but is still part of the cloud history the app asked for: it is returned
/// without `messageId`.
fn remote_answer(
    store: &mut Store,
    messages: Vec<NewMessage>,
    order: TimeOrder,
) -> Result<Vec<Message>, rcim_store::StoreError> {
    let mut rows = Vec::with_capacity(messages.len());
    for new in messages {
        let stored = match &new.uid {
            Some(uid) => store.message_by_uid(uid)?,
            None => None,
        };
        rows.push(stored.unwrap_or_else(|| codec::as_row(new, 0)));
    }
    rows.sort_by_key(|r| (r.sent_time, r.id));
    if order == TimeOrder::Before {
        rows.reverse();
    }
    Ok(rows
        .iter()
        .map(|r| {
            let mut message = codec::message_from_row(r);
            if r.id == 0 {
                message.message_id = None;
            }
            message
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(sent_time: i64) -> MessageRow {
        codec::as_row(
            NewMessage {
                sent_time,
                ..Default::default()
            },
            sent_time,
        )
    }

    #[test]
    fn a_fetched_page_with_more_is_cut_at_its_far_end() {
        let stored = StoredPage {
            messages: Vec::new(),
            from_time: 50,
            to_time: 80,
        };
        let times = |rows: Vec<MessageRow>| rows.iter().map(|r| r.sent_time).collect::<Vec<_>>();
        let before = || vec![row(80), row(60), row(50), row(20), row(10)];
        assert_eq!(
            times(within_fetched(before(), &stored, true, TimeOrder::Before)),
            [80, 60, 50]
        );
        assert_eq!(
            times(within_fetched(before(), &stored, false, TimeOrder::Before)).len(),
            5
        );
        let after = vec![row(50), row(80), row(90)];
        assert_eq!(
            times(within_fetched(after, &stored, true, TimeOrder::After)),
            [50, 80]
        );
    }
}
