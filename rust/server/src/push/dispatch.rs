//! Sending notifications through the providers: a bounded queue per provider, a few sends
//! in flight, retries with backoff. Never blocks its caller.
