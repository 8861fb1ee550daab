//! Abuse limits shared by the listeners and the gateway: connection admission per IP and
//! overall ([`Connections`], an RAII permit per connection), the per-user rates shared by
//! all of a user's connections ([`UserRates`]) and the rates of shared things: a room's KV
//! operations, a channel's sends ([`KeyedRates`]). The values are in
//! [`crate::config::LimitsConfig`]. On a cluster the user and keyed rates count every
//! node's operations ([`RateHits`], told through the bus).

mod connections;
mod keyed;
mod users;
mod window;

pub use connections::Connections;
pub(crate) use keyed::{KeyedRates, GOSSIP_EVERY};
pub(crate) use users::{UserRate, UserRates};
pub(crate) use window::SlidingWindow;

/// What one node counted and tells the others (see [`keyed`] and [`users`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct RateHits {
    /// (key, operations, window ms) of [`KeyedRates`].
    pub keyed: Vec<(String, u32, u64)>,
    /// (user, sends, requests) of [`UserRates`].
    pub users: Vec<(String, u32, u32)>,
}
