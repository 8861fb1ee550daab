//! Connection lifecycle: `connect`, `disconnect`, `shutdown`.

use super::{Engine, Session};
use crate::codes::{self, Code};
use crate::config::sanitize;
use crate::db::Db;
use crate::event::{Event, EventId};
use crate::model::connection_status;
use crate::session::{ConnectionTask, SessionContext, StopReason};
use crate::token;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

/// How many sends may wait for the connection task.
const COMMAND_QUEUE_LEN: usize = 1_000;

impl Engine {
    /// `connect(token, timeout)`: opens the user's database (`DatabaseOpened`), connects and keeps
    /// reconnecting on the seed's schedule. `timeout_secs` > 0 gives up after that long if no
    /// connection was made (`Connected` with 34006, status TIMEOUT). A previous connection of this
    /// engine is stopped first, and the new one opens the database only once the previous one
    /// has ended (it may still be settling a sign-out): one session at a time owns the outbox.
    pub fn connect(&self, token: &str, timeout_secs: i64, event_id: EventId) -> Result<(), Code> {
        // A timeout too large to represent means "no deadline".
        let deadline = u64::try_from(timeout_secs)
            .ok()
            .filter(|secs| *secs > 0)
            .and_then(|secs| Instant::now().checked_add(Duration::from_secs(secs)));
        let previous = self.stop_session(StopReason::Shutdown);
        let shared = self.shared.clone();
        let claims = token::claims(token).filter(|(app, _)| *app == shared.config.app_key);
        let Some((_, user_id)) = claims else {
            self.runtime.spawn(async move {
                shared
                    .emit(Event::ConnectionStatusChanged {
                        status: connection_status::TOKEN_INCORRECT,
                    })
                    .await;
                shared
                    .emit(Event::Connected {
                        code: codes::CONN_TOKEN_INCORRECT as i32,
                        user_id: String::new(),
                        event_id,
                    })
                    .await;
            });
            return Ok(());
        };
        let (commands_tx, commands_rx) = mpsc::channel(COMMAND_QUEUE_LEN);
        let (stop_tx, stop_rx) = watch::channel(StopReason::Run);
        let db_slot = Arc::new(OnceLock::new());
        let inbox_behind = crate::session::InboxBehind::default();
        let task_inbox_behind = inbox_behind.clone();
        let path = shared.config.database_path(&sanitize(&user_id));
        let session_user = user_id.clone();
        let token = token.to_string();
        let slot = db_slot.clone();
        let platform = self.platform.subscribe();
        let push = self.push_registration();
        let ultragroup_commands = commands_tx.clone();
        // The ultra-group task follows the channel streams while the session runs (it ends
        // when the session drops its sender; the engine's calls hold a weak one).
        let (ultragroup_tx, ultragroup_rx) =
            mpsc::channel(crate::session::ULTRAGROUP_SIGNAL_QUEUE_LEN);
        let ultragroup_weak = ultragroup_tx.downgrade();
        let task_ultragroup_weak = ultragroup_weak.clone();
        let task = self.runtime.spawn(async move {
            if let Some(previous) = previous {
                if let Err(e) = previous.await {
                    tracing::warn!(error = %e, "the previous session ended abnormally");
                }
            }
            let db_slot = slot;
            let db = match Db::open(path).await {
                Ok(db) => db,
                Err(e) => {
                    tracing::error!(error = %e, "cannot open the local database");
                    shared
                        .emit(Event::DatabaseOpened {
                            code: codes::DATABASE_ERROR,
                            event_id: event_id.clone(),
                        })
                        .await;
                    shared
                        .emit(Event::Connected {
                            code: codes::DATABASE_ERROR,
                            user_id: String::new(),
                            event_id,
                        })
                        .await;
                    return;
                }
            };
            // Before any media call of this session can start (they need the database).
            let sweep_config = shared.config.clone();
            let sweep_user = user_id.clone();
            let swept = tokio::task::spawn_blocking(move || {
                super::media::sweep(&sweep_config, &sweep_user);
            });
            if let Err(e) = swept.await {
                tracing::warn!(error = %e, "media: sweeping the media directory failed");
            }
            let _ = db_slot.set(db.clone());
            shared
                .emit(Event::DatabaseOpened {
                    code: 0,
                    event_id: event_id.clone(),
                })
                .await;
            let link = super::ultragroup_link::UgLink {
                commands: ultragroup_commands,
                db: db.clone(),
                me: user_id.clone(),
                shared: shared.clone(),
                signals: task_ultragroup_weak,
            };
            tokio::spawn(super::ultragroup_sync::run(link, ultragroup_rx));
            let ctx = SessionContext {
                config: shared.config.clone(),
                http: shared.http.clone(),
                tls: shared.tls.clone(),
                device_id: shared.device_id.clone(),
                events: shared.events.clone(),
                inbox_behind: task_inbox_behind,
                platform,
                push,
                ultragroup: Some(ultragroup_tx),
            };
            ConnectionTask::new(
                ctx,
                db,
                user_id,
                token,
                event_id,
                deadline,
                commands_rx,
                stop_rx,
            )
            .run()
            .await;
        });
        *self.lock_session() = Some(Session {
            user_id: session_user,
            db: db_slot,
            commands: commands_tx,
            inbox_behind,
            stop: stop_tx,
            ultragroup: ultragroup_weak,
            task,
        });
        Ok(())
    }

    /// `disconnect(receivePush)`: leaves the connection (status SIGN_OUT) and stops reconnecting.
    /// Operations already on the wire get up to 2 s for their answer, reported to their call;
    /// the rest stays queued on disk for the next connect. The local database stays readable.
    /// The user's media uploads and downloads in progress are aborted (they fail, 34011).
    /// `receive_push` goes to the server (`Disconnect`) before the connection closes: false
    /// stops this device's pushes until it connects again.
    pub fn disconnect(&self, receive_push: bool) -> Result<(), Code> {
        let guard = self.lock_session();
        let Some(session) = guard.as_ref() else {
            return Err(Code(codes::CLIENT_NOT_INIT));
        };
        // The user's media transfers end with the session (as failures).
        self.transfers.abort_session(&session.db);
        if session
            .stop
            .send(StopReason::SignOut { receive_push })
            .is_err()
        {
            // The connection had already ended (kicked, refused, timed out): report the
            // sign-out here.
            let shared = self.shared.clone();
            self.runtime.spawn(async move {
                shared
                    .emit(Event::ConnectionStatusChanged {
                        status: connection_status::SIGN_OUT,
                    })
                    .await;
            });
        }
        Ok(())
    }

    /// Stops everything (engine destroyed). The connection task stores the sends it was handed
    /// and ends; stored but unsent messages stay queued on disk for the next connect.
    pub fn shutdown(&self) {
        // The task ends on its own; nothing waits for it.
        let _ = self.stop_session(StopReason::Shutdown);
        self.transfers.abort_all();
    }

    /// Stops the running session, if any; returns its task, which ends soon after.
    fn stop_session(&self, reason: StopReason) -> Option<JoinHandle<()>> {
        let session = self.lock_session().take()?;
        let _ = session.stop.send(reason);
        // Its media transfers end with it (as failures), never handed to the next one.
        self.transfers.abort_session(&session.db);
        Some(session.task)
    }
}
