//! User settings on the wire: the `ChangeUserSetting` request of the user-level setting calls
//! (what it changes locally, which event reports it), the live `UserSettingChanged` and
//! `ConversationSetting` inbox entries, and the settings read at login.
//!
//! Versions: every change on the server produces a settings version. At login, when the
//! server's version (`ConnectAck.settings_version`) differs from the one this store applied,
//! the session reads the whole settings ([`SettingsRead`], in pages) and applies them
//! wholesale before it syncs the inbox; the inbox is held meanwhile so no live entry is
//! overwritten by an older snapshot. Conversations whose pin or level the snapshot changed are
//! announced like live changes from another device (`ConversationTopStatusSynced`). Entries carrying a version at or below the applied one
//! are already contained in it and are skipped. The applied version only moves along an
//! unbroken chain (a live entry of exactly the next version, or a snapshot), so a missed entry
//! is never taken for applied: the next login reads the settings again.

use crate::event::{Event, EventId};
use rcim_proto::v1::{
    change_user_setting, request, response, user_setting_changed, BlacklistChange,
    ChangeUserSetting, ConversationSetting, QuietHours, QuietHoursRemoved, SettingsRequest,
    TypeNotificationLevel, UserSettings,
};
use rcim_store::{
    ConversationKey, ConversationSettingUpdate, QuietHoursRow, SettingsSnapshot, UserSettingUpdate,
};
use std::time::{Duration, Instant};

/// A change of the user's push settings (`changePushLanguage`, `changePushContentShowStatus`,
/// `changePushReceiveStatus`), validated by the engine. They are kept on the server only: the
/// server decides pushes with them, and the client has no API that reads them back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PushSettingChange {
    /// The language pushes are written in ("" = the App's default).
    Language(String),
    /// Whether pushes show the message (false: the generic text).
    ContentShow(bool),
    /// Whether mobile devices get pushes while a desktop or web device is online.
    Receive(bool),
}

/// The request body of a push setting change.
pub(crate) fn push_change_body(change: PushSettingChange) -> request::Body {
    let change = match change {
        PushSettingChange::Language(language) => {
            change_user_setting::Change::PushLanguage(language)
        }
        PushSettingChange::ContentShow(show) => change_user_setting::Change::PushContentShow(show),
        PushSettingChange::Receive(receive) => change_user_setting::Change::PushReceive(receive),
    };
    request::Body::UserSetting(ChangeUserSetting {
        change: Some(change),
    })
}

/// The request body of a user-level setting change.
pub(crate) fn change_body(update: &UserSettingUpdate) -> request::Body {
    let change = match update {
        UserSettingUpdate::TypeLevel {
            conversation_type,
            level,
        } => change_user_setting::Change::TypeLevel(TypeNotificationLevel {
            conversation_type: *conversation_type,
            level: *level,
        }),
        UserSettingUpdate::QuietHours(q) => {
            change_user_setting::Change::QuietHours(quiet_hours_to_wire(q))
        }
        UserSettingUpdate::QuietHoursRemoved => {
            change_user_setting::Change::QuietHoursRemoved(QuietHoursRemoved {})
        }
        UserSettingUpdate::Blacklist { user_id, blocked } => {
            change_user_setting::Change::Blacklist(BlacklistChange {
                user_id: user_id.clone(),
                blocked: *blocked,
            })
        }
    };
    request::Body::UserSetting(ChangeUserSetting {
        change: Some(change),
    })
}

fn quiet_hours_to_wire(q: &QuietHoursRow) -> QuietHours {
    QuietHours {
        start_time: q.start_time.clone(),
        span_minutes: q.span_minutes,
        level: q.level,
        utc_offset_minutes: q.utc_offset_minutes,
    }
}

fn quiet_hours_from_wire(q: QuietHours) -> QuietHoursRow {
    QuietHoursRow {
        start_time: q.start_time,
        span_minutes: q.span_minutes,
        level: q.level,
        utc_offset_minutes: q.utc_offset_minutes,
    }
}

/// What a change request changes locally.
pub(crate) fn update_of(change: &ChangeUserSetting) -> Option<UserSettingUpdate> {
    Some(match change.change.as_ref()? {
        change_user_setting::Change::TypeLevel(t) => UserSettingUpdate::TypeLevel {
            conversation_type: t.conversation_type,
            level: t.level,
        },
        change_user_setting::Change::QuietHours(q) => {
            UserSettingUpdate::QuietHours(quiet_hours_from_wire(q.clone()))
        }
        change_user_setting::Change::QuietHoursRemoved(_) => UserSettingUpdate::QuietHoursRemoved,
        change_user_setting::Change::Blacklist(b) => UserSettingUpdate::Blacklist {
            user_id: b.user_id.clone(),
            blocked: b.blocked,
        },
        // Push settings are kept on the server only.
        change_user_setting::Change::PushLanguage(_)
        | change_user_setting::Change::PushContentShow(_)
        | change_user_setting::Change::PushReceive(_) => return None,
    })
}

/// The event reporting the answer `code` to a change request.
pub(crate) fn outcome(change: ChangeUserSetting, code: i32, event_id: EventId) -> Option<Event> {
    Some(match change.change? {
        change_user_setting::Change::TypeLevel(t) => {
            Event::ConversationTypeNotificationLevelChanged {
                code,
                conversation_type: t.conversation_type,
                level: t.level,
                event_id,
            }
        }
        change_user_setting::Change::QuietHours(q) => Event::NotificationQuietHoursChanged {
            code,
            start_time: q.start_time,
            span_minutes: q.span_minutes,
            level: q.level,
            event_id,
        },
        change_user_setting::Change::QuietHoursRemoved(_) => {
            Event::NotificationQuietHoursRemoved { code, event_id }
        }
        change_user_setting::Change::Blacklist(b) if b.blocked => Event::BlacklistAdded {
            code,
            user_id: b.user_id,
            event_id,
        },
        change_user_setting::Change::Blacklist(b) => Event::BlacklistRemoved {
            code,
            user_id: b.user_id,
            event_id,
        },
        change_user_setting::Change::PushLanguage(language) => Event::PushLanguageChanged {
            code,
            language,
            event_id,
        },
        change_user_setting::Change::PushContentShow(show_content) => {
            Event::PushContentShowStatusChanged {
                code,
                show_content,
                event_id,
            }
        }
        change_user_setting::Change::PushReceive(receive) => Event::PushReceiveStatusChanged {
            code,
            receive,
            event_id,
        },
    })
}

/// The local change of a live `UserSettingChanged` entry (`None`: nothing kept locally).
pub(crate) fn entry_update(change: user_setting_changed::Change) -> Option<UserSettingUpdate> {
    Some(match change {
        user_setting_changed::Change::TypeLevel(t) => UserSettingUpdate::TypeLevel {
            conversation_type: t.conversation_type,
            level: t.level,
        },
        user_setting_changed::Change::QuietHours(q) => {
            UserSettingUpdate::QuietHours(quiet_hours_from_wire(q))
        }
        user_setting_changed::Change::QuietHoursRemoved(_) => UserSettingUpdate::QuietHoursRemoved,
        user_setting_changed::Change::Blacklist(b) => UserSettingUpdate::Blacklist {
            user_id: b.user_id,
            blocked: b.blocked,
        },
        // Push settings are kept on the server only.
        user_setting_changed::Change::PushLanguage(_)
        | user_setting_changed::Change::PushContentShow(_)
        | user_setting_changed::Change::PushReceive(_) => return None,
    })
}

/// The version chain of one inbox batch: which versioned entries to apply, and the version
/// applied once they are.
#[derive(Debug, Clone, Copy)]
pub(crate) struct VersionChain {
    pub(crate) applied: u64,
}

impl VersionChain {
    /// Whether an entry that produced `version` must be applied (0: a server that does not
    /// version settings; always applied), advancing the chain when it is the next version.
    pub(crate) fn take(&mut self, version: u64) -> bool {
        if version == 0 {
            return true;
        }
        if version <= self.applied {
            return false;
        }
        if version == self.applied + 1 {
            self.applied = version;
        }
        true
    }
}

/// What a live `ConversationSetting` entry changes, and how it is announced: a pin change
/// made elsewhere is announced with its state; a level change made elsewhere is announced
/// with the conversation's current pin state once applied (`level_synced`).
pub(crate) fn conversation_entry(
    c: &ConversationSetting,
    key: ConversationKey,
    this_device: &str,
) -> (
    ConversationSettingUpdate,
    Option<Event>,
    Option<ConversationKey>,
) {
    let elsewhere = c.device_id != this_device;
    let (synced, level_synced) = match (c.top, c.notification_level) {
        (Some(top), _) if elsewhere => (
            Some(Event::ConversationTopStatusSynced {
                key: key.clone(),
                top,
            }),
            None,
        ),
        (None, Some(_)) if elsewhere => (None, Some(key.clone())),
        _ => (None, None),
    };
    let update = ConversationSettingUpdate {
        key,
        top: c.top,
        notification_level: c.notification_level,
        time: c.operation_time,
    };
    (update, synced, level_synced)
}

/// How often a settings read starts over because the settings changed between its pages.
/// Past that the read carries on across versions (settings changed in a loop, e.g. by a
/// script, must not keep the inbox held for ever).
pub(crate) const MAX_READ_RESTARTS: u32 = 3;

/// The settings read of one connection.
#[derive(Debug, Default)]
pub(crate) enum SettingsRead {
    /// Nothing to read (or done).
    #[default]
    Idle,
    /// Connected with the server at `server`: reading the applied version.
    Checking { server: u64 },
    /// A page was asked with seq `seq` at `since`; `snapshot` holds the pages so far and
    /// `version` the last one's; `restarts`: how often the read started over; `mixed`: pages
    /// of several versions were combined.
    Reading {
        seq: u64,
        since: Option<Instant>,
        request: SettingsRequest,
        snapshot: Box<SettingsSnapshot>,
        version: Option<u64>,
        restarts: u32,
        mixed: bool,
    },
    /// The snapshot is being stored.
    Applying,
}

/// What a page answer leads to.
#[derive(Debug)]
pub(crate) enum PageOutcome {
    /// Ask this next.
    Next(SettingsRequest),
    /// Store this.
    Apply(Box<SettingsSnapshot>),
    /// The read failed: carry on with what is stored.
    Failed,
}

impl SettingsRead {
    /// The connection was accepted with the server's settings at `server`.
    pub(crate) fn opened(&mut self, server: u64) {
        *self = SettingsRead::Checking { server };
    }

    /// The applied version is `applied`: the first page to ask, if a read is needed.
    pub(crate) fn checked(&mut self, applied: u64) -> Option<SettingsRequest> {
        match *self {
            SettingsRead::Checking { server } if server != applied => {
                Some(SettingsRequest::default())
            }
            _ => {
                *self = SettingsRead::Idle;
                None
            }
        }
    }

    /// The request `request` went out with seq `seq`.
    pub(crate) fn asked(&mut self, seq: u64, request: SettingsRequest, now: Instant) {
        let (snapshot, version, restarts, mixed) = match std::mem::take(self) {
            SettingsRead::Reading {
                snapshot,
                version,
                restarts,
                mixed,
                ..
            } if request != SettingsRequest::default() => (snapshot, version, restarts, mixed),
            SettingsRead::Reading { restarts, .. } => (Box::default(), None, restarts, false),
            _ => (Box::default(), None, 0, false),
        };
        *self = SettingsRead::Reading {
            seq,
            since: Some(now),
            request,
            snapshot,
            version,
            restarts,
            mixed,
        };
    }

    /// Whether `seq` is the page being read.
    pub(crate) fn is_read(&self, seq: u64) -> bool {
        matches!(self, SettingsRead::Reading { seq: s, .. } if *s == seq)
    }

    /// Whether the page being read waited for its answer longer than `timeout`.
    pub(crate) fn overdue(&self, now: Instant, timeout: Duration) -> bool {
        matches!(self, SettingsRead::Reading { since: Some(since), .. }
            if now.saturating_duration_since(*since) > timeout)
    }

    /// The answer to the page being read.
    pub(crate) fn page(&mut self, result: Result<Option<response::Body>, u32>) -> PageOutcome {
        let SettingsRead::Reading {
            request,
            mut snapshot,
            version,
            restarts,
            mut mixed,
            ..
        } = std::mem::take(self)
        else {
            return PageOutcome::Failed;
        };
        let page: UserSettings = match result {
            Ok(Some(response::Body::Settings(page))) => page,
            other => {
                tracing::warn!(?other, "settings read failed");
                return PageOutcome::Failed;
            }
        };
        if version.is_some_and(|v| v != page.version) {
            if restarts < MAX_READ_RESTARTS {
                // The settings changed between pages: start again.
                *self = SettingsRead::Reading {
                    seq: 0,
                    since: None,
                    request: SettingsRequest::default(),
                    snapshot: Box::default(),
                    version: None,
                    restarts: restarts + 1,
                    mixed: false,
                };
                return PageOutcome::Next(SettingsRequest::default());
            }
            // They keep changing: read on. The pages together may miss or repeat what moved
            // between them, so the snapshot is stored as of no version: the inbox entries of
            // the changes apply on top of it (none is skipped as contained), and the next
            // login reads the settings again.
            tracing::warn!(
                restarts,
                "settings keep changing during the read; reading on"
            );
            mixed = true;
        }
        let next = SettingsRequest {
            conversation_offset: request.conversation_offset + page.conversations.len() as u32,
            blacklist_offset: request.blacklist_offset + page.blacklist.len() as u32,
        };
        snapshot.version = if mixed { 0 } else { page.version };
        snapshot.type_levels = page.type_levels.into_iter().collect();
        snapshot.type_levels.sort_unstable();
        snapshot.quiet_hours = page.quiet_hours.map(quiet_hours_from_wire);
        snapshot
            .conversations
            .extend(page.conversations.into_iter().map(|c| {
                let channel = crate::codec::channel_for(c.conversation_type, &c.channel_id);
                ConversationSettingUpdate {
                    key: ConversationKey::new(c.conversation_type, &c.target_id, &channel),
                    top: Some(c.top),
                    notification_level: Some(c.notification_level),
                    time: c.operation_time,
                }
            }));
        snapshot.blacklist.extend(page.blacklist);
        // A page that adds nothing cannot be followed by more: stop rather than loop.
        let progressed = next != request;
        if page.has_more && progressed {
            *self = SettingsRead::Reading {
                seq: 0,
                since: None,
                request,
                snapshot,
                version: Some(page.version),
                restarts,
                mixed,
            };
            PageOutcome::Next(next)
        } else {
            *self = SettingsRead::Applying;
            PageOutcome::Apply(snapshot)
        }
    }

    /// The snapshot was stored (or could not be).
    pub(crate) fn done(&mut self) {
        *self = SettingsRead::Idle;
    }
}
