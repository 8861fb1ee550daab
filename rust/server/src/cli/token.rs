//! `rcim-server token --user ID`: mints a connection token without the Server API.

use crate::util::now_ms;

/// Prints a connection token for one user, signed like `/user/getToken.json`'s (the same app
/// key and secret options and environment variables as serving). The user needs no record:
/// one is created at their first login; `/user/token/expire.json` revokes the token like any
/// other.
#[derive(Debug, clap::Args)]
pub struct TokenArgs {
    /// The user the token authenticates.
    #[arg(long)]
    user: String,
    /// Seconds until the token expires (default: it never expires).
    #[arg(long)]
    expires_in: Option<u64>,
    /// The app key the server hosts.
    #[arg(long, env = "RCIM_APP_KEY")]
    app_key: String,
    /// The app secret of the server.
    #[arg(long, env = "RCIM_APP_SECRET", hide_env_values = true)]
    app_secret: String,
}

impl TokenArgs {
    /// The token these options describe, issued now. Refuses a user id the gateway would
    /// refuse (empty or longer than 64 bytes).
    pub fn token(&self) -> anyhow::Result<String> {
        if self.user.is_empty() || self.user.len() > crate::model::MAX_ID_LEN {
            anyhow::bail!(
                "the user id must be 1 to {} bytes",
                crate::model::MAX_ID_LEN
            );
        }
        let now = now_ms();
        let expiry = match self.expires_in {
            None => 0,
            Some(0) => anyhow::bail!("--expires-in must be at least 1 second"),
            Some(secs) => {
                let ms = i64::try_from(secs.saturating_mul(1000)).unwrap_or(i64::MAX);
                now.saturating_add(ms)
            }
        };
        Ok(crate::token::issue_token(
            &self.app_key,
            &self.app_secret,
            &self.user,
            now,
            expiry,
        ))
    }
}
