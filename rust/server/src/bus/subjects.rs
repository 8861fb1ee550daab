//! NATS subjects of a cluster. Every subject starts with `rcim.<cluster>.`, then a kind and,
//! for per-user, per-room and per-group subjects, the id encoded as one subject token.
//!
//! Ids are free text (a user id may hold `.`, `*`, `>` or spaces, which NATS reads as token
//! separators or wildcards), so each id is written as `i` + its bytes in unpadded base64url:
//! only `[A-Za-z0-9_-]`, one token, one id per token and back (the `i` keeps the empty id a
//! valid, non-empty token).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use sha2::{Digest as _, Sha256};

/// The id `id` as one NATS subject token (see the module docs).
pub(crate) fn token(id: &str) -> String {
    let mut t = String::with_capacity(1 + id.len().div_ceil(3) * 4);
    t.push('i');
    URL_SAFE_NO_PAD.encode_string(id.as_bytes(), &mut t);
    t
}

/// The id a [`token`] encodes; `None` for anything else.
#[cfg(test)]
pub(crate) fn id_of(token: &str) -> Option<String> {
    let bytes = URL_SAFE_NO_PAD.decode(token.strip_prefix('i')?).ok()?;
    String::from_utf8(bytes).ok()
}

/// The subjects of one cluster.
#[derive(Debug, Clone)]
pub(crate) struct Subjects {
    /// `rcim.<cluster>`.
    prefix: String,
}

impl Subjects {
    /// The subjects of the cluster `name`, or, without a name, of the app key: `k` + the
    /// first 16 hex digits of its SHA-256 (the key itself is not written on the bus, and
    /// two apps sharing a NATS server never see each other's traffic).
    pub(crate) fn new(name: Option<&str>, app_key: &str) -> Self {
        let cluster = match name {
            Some(name) => token(name),
            None => {
                let digest = Sha256::digest(app_key.as_bytes());
                format!("k{}", &hex::encode(digest)[..16])
            }
        };
        Self {
            prefix: format!("rcim.{cluster}"),
        }
    }

    /// A user's subject: committed inbox entries, logins elsewhere, resync orders.
    pub(crate) fn user(&self, user_id: &str) -> String {
        format!("{}.u.{}", self.prefix, token(user_id))
    }

    /// A chatroom's subject: the room's messages and events.
    pub(crate) fn room(&self, room_id: &str) -> String {
        format!("{}.r.{}", self.prefix, token(room_id))
    }

    /// An ultra group's subject: its channels' events.
    pub(crate) fn ultragroup(&self, group_id: &str) -> String {
        format!("{}.g.{}", self.prefix, token(group_id))
    }

    /// Every ultra group's subject (one wildcard subscription per node).
    pub(crate) fn ultragroups(&self) -> String {
        format!("{}.g.*", self.prefix)
    }

    /// Questions to every node ("which devices of this user are online on your node?",
    /// "who is in this chatroom?", see `crate::bus::questions`), which every node answers.
    pub(crate) fn questions(&self) -> String {
        format!("{}.ask", self.prefix)
    }

    /// Node announcements (gateway, liveness).
    pub(crate) fn nodes(&self) -> String {
        format!("{}.nodes", self.prefix)
    }

    /// Changes of the records every node keeps in memory (ultra-group directory, chatroom
    /// records), which every node applies, and the orders to read them again.
    pub(crate) fn records(&self) -> String {
        format!("{}.records", self.prefix)
    }

    /// What each node counted of the rates shared across nodes (every node subscribes).
    pub(crate) fn rates(&self) -> String {
        format!("{}.rates", self.prefix)
    }

    /// Orders to every node (resync all sessions).
    pub(crate) fn all(&self) -> String {
        format!("{}.all", self.prefix)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Any id, including NATS separators, wildcards, spaces, non-ASCII and the empty id,
    /// becomes one valid token that decodes back to it; different ids give different tokens.
    #[test]
    fn ids_become_single_valid_tokens() {
        let ids = [
            "alice", "", "a.b", "*", ">", "a b\tc", "用户_1", "x/y+z=", "i",
        ];
        let mut seen = std::collections::HashSet::new();
        for id in ids {
            let t = token(id);
            assert!(!t.is_empty());
            assert!(
                t.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
                "{id:?} -> {t:?}"
            );
            assert_eq!(id_of(&t).as_deref(), Some(id));
            assert!(seen.insert(t));
        }
    }

    /// Subjects are `rcim.<cluster>.<kind>[.<token>]`; the cluster is named or derived from
    /// the app key without writing the key.
    #[test]
    fn subjects_have_the_cluster_prefix() {
        let s = Subjects::new(None, "my-app-key");
        let user = s.user("u.1");
        let parts: Vec<&str> = user.split('.').collect();
        assert_eq!(parts.len(), 4, "{user}");
        assert_eq!(parts[0], "rcim");
        assert!(parts[1].starts_with('k') && parts[1].len() == 17);
        assert!(!user.contains("my-app-key"));
        assert_eq!(parts[2], "u");
        assert_eq!(id_of(parts[3]).as_deref(), Some("u.1"));
        let named = Subjects::new(Some("prod eu"), "my-app-key");
        assert_eq!(named.nodes(), format!("rcim.{}.nodes", token("prod eu")));
        assert_ne!(Subjects::new(None, "other").nodes(), s.nodes());
        assert_eq!(s.ultragroups(), format!("{}.g.*", s.prefix));
        assert!(s.ultragroup("g1").starts_with(&s.prefix));
        assert!(s.room("r1").contains(".r."));
        assert_eq!(s.records(), format!("{}.records", s.prefix));
    }
}
