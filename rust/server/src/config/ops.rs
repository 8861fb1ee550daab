//! Operations: what navigation advertises, the admin listener, metrics and health.

use std::net::SocketAddr;

/// Operator-facing settings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OpsConfig {
    /// The gateway address navigation hands out, `HOST:PORT` (a DNS name or an IP): the
    /// address clients reach the gateway at from outside, behind NAT or a load balancer.
    /// Default none: the gateway's own address (the host the client asked navigation with
    /// when listening on every interface).
    pub public_gateway: Option<String>,
    /// A second HTTP listener for the Server API and `/metrics`, kept off the public
    /// listener, which then serves only navigation, the file service and the health checks.
    /// Default none: everything on [`crate::ServerConfig::http`].
    pub admin_http: Option<SocketAddr>,
}

impl OpsConfig {
    /// Refuses a public gateway that is not `HOST:PORT` with a port of 1..=65535.
    pub(crate) fn validate(&self) -> anyhow::Result<()> {
        if let Some(gw) = &self.public_gateway {
            let valid = gw.rsplit_once(':').is_some_and(|(host, port)| {
                !host.is_empty()
                    && !host.contains(char::is_whitespace)
                    && port.parse::<u16>().is_ok_and(|p| p > 0)
            });
            if !valid {
                anyhow::bail!("the public gateway must be HOST:PORT, not {gw:?}");
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_gateway_is_host_and_port() {
        let with = |gw: &str| OpsConfig {
            public_gateway: Some(gw.into()),
            admin_http: None,
        };
        assert!(with("im.example.com:443").validate().is_ok());
        assert!(with("[2001:db8::1]:8100").validate().is_ok());
        assert!(with("im.example.com").validate().is_err());
        assert!(with(":8100").validate().is_err());
        assert!(with("im.example.com:0").validate().is_err());
        assert!(OpsConfig::default().validate().is_ok());
    }
}
