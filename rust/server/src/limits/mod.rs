//! Abuse limits shared by the listeners and the gateway: connection admission per IP and
//! overall ([`Connections`], an RAII permit per connection) and the per-user rates shared
//! by all of a user's connections ([`UserRates`]). The values are in
//! [`crate::config::LimitsConfig`].

mod connections;
mod users;
mod window;

pub use connections::Connections;
pub(crate) use users::{UserRate, UserRates};
pub(crate) use window::SlidingWindow;
