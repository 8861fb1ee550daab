//! The blacklist (one-way: the users on it cannot send this user private messages): changed
//! through the server, read from the local copy the session keeps in step.

use super::Engine;
use crate::codes::Code;
use crate::event::EventId;
use crate::query::Query;
use crate::session::{Command, Operation};
use rcim_store::UserSettingUpdate;

/// Longest user id, in bytes.
const MAX_USER_ID_LEN: usize = 64;

/// `RCIMIWBlacklistStatus` values.
pub mod blacklist_status {
    /// On the blacklist.
    pub const IN_BLACKLIST: u32 = 1;
    /// Not on it.
    pub const NOT_IN_BLACKLIST: u32 = 2;
}

/// PARAM_ERROR unless `user_id` is a user id (1..=64 bytes).
fn check_user_id(user_id: &str) -> Result<(), Code> {
    if user_id.is_empty() || user_id.len() > MAX_USER_ID_LEN {
        Err(Code::PARAM_ERROR)
    } else {
        Ok(())
    }
}

impl Engine {
    fn change_blacklist(
        &self,
        user_id: &str,
        blocked: bool,
        event_id: EventId,
    ) -> Result<(), Code> {
        check_user_id(user_id)?;
        // The server refuses blacklisting oneself: refused here at once.
        if self.user_id().as_deref() == Some(user_id) {
            return Err(Code::PARAM_ERROR);
        }
        let update = UserSettingUpdate::Blacklist {
            user_id: user_id.to_string(),
            blocked,
        };
        self.hand_over(Command::Operation(Operation::user_setting(
            &update, event_id,
        )))
    }

    /// `addToBlacklist`: queued while offline; result `BlacklistAdded` (20605 when the
    /// blacklist is full).
    pub fn add_to_blacklist(&self, user_id: &str, event_id: EventId) -> Result<(), Code> {
        self.change_blacklist(user_id, true, event_id)
    }

    /// `removeFromBlacklist`: result `BlacklistRemoved`.
    pub fn remove_from_blacklist(&self, user_id: &str, event_id: EventId) -> Result<(), Code> {
        self.change_blacklist(user_id, false, event_id)
    }

    /// `getBlacklistStatus` (local copy): `RCIMIWBlacklistStatus` IN_BLACKLIST or
    /// NOT_IN_BLACKLIST.
    pub fn blacklist_status(&self, user_id: &str) -> Result<Query<u32>, Code> {
        check_user_id(user_id)?;
        let user = user_id.to_string();
        self.query(move |s| {
            Ok(if s.in_blacklist(&user)? {
                blacklist_status::IN_BLACKLIST
            } else {
                blacklist_status::NOT_IN_BLACKLIST
            })
        })
    }

    /// `getBlacklist` (local copy): the user ids on the blacklist.
    pub fn blacklist(&self) -> Result<Query<Vec<String>>, Code> {
        self.query(|s| s.blacklist())
    }
}
