//! [`Query`]: the answer to come of a local call the engine accepted.

use crate::codes::Code;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// A local call the engine accepted: it is already queued on the user's database, so calls run
/// in the order they were made (a `save_draft` before a `draft` is seen by it). Await it for
/// the result, or for the code it failed with (e.g. [`Code::DATABASE_ERROR`]).
#[must_use = "a query does nothing visible unless awaited"]
pub struct Query<T>(Pin<Box<dyn Future<Output = Result<T, Code>> + Send>>);

impl<T: Send + 'static> Query<T> {
    /// Wraps a future that resolves the query.
    pub(crate) fn new(future: impl Future<Output = Result<T, Code>> + Send + 'static) -> Self {
        Query(Box::pin(future))
    }

    /// Converts the result once it comes.
    pub fn map<U: Send + 'static>(self, convert: impl FnOnce(T) -> U + Send + 'static) -> Query<U> {
        Query::new(async move { self.await.map(convert) })
    }
}

impl<T> Future for Query<T> {
    type Output = Result<T, Code>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.0.as_mut().poll(cx)
    }
}

impl<T> std::fmt::Debug for Query<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Query")
    }
}
