//! Former home of the connection loop, now [`crate::session`]; keeps the public clock path.

pub use crate::session::now_ms;
