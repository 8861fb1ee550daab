//! Operations: what navigation advertises, the admin listener, metrics and health.

use std::net::SocketAddr;

/// Operator-facing settings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OpsConfig {
    /// The gateway address navigation hands out, `HOST:PORT` (a DNS name or an IP), or with
    /// an explicit scheme `tls://HOST:PORT` / `tcp://HOST:PORT`: the address clients reach
    /// the gateway at from outside, behind NAT, a load balancer or a TLS-terminating proxy.
    /// Without a scheme, `tls://` is added when the server itself has a certificate.
    /// Default none: the gateway's own address (the host the client asked navigation with
    /// when listening on every interface).
    pub public_gateway: Option<String>,
    /// A second HTTP listener for the Server API and `/metrics`, kept off the public
    /// listener, which then serves only navigation, the file service and the health checks.
    /// Default none: everything on [`crate::ServerConfig::http`].
    pub admin_http: Option<SocketAddr>,
    /// Serve `/metrics` on the public listener too. Default false: `/metrics` is served only
    /// on [`Self::admin_http`] (nowhere without it), since it tells the internet how many
    /// users are online and how the Server API and pushes fare.
    pub metrics_public: bool,
}

/// How clients are told to reach the gateway: the scheme an operator wrote, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum GatewayScheme {
    /// `tls://HOST:PORT`: TLS, whatever the server itself serves (e.g. a TLS-terminating proxy).
    Tls,
    /// `tcp://HOST:PORT`: plain TCP, even when the server has a certificate.
    Tcp,
    /// `HOST:PORT`: what the server itself serves.
    Unspecified,
}

/// Splits a public gateway into its scheme and `HOST:PORT`.
pub(crate) fn split_gateway(gw: &str) -> (GatewayScheme, &str) {
    if let Some(rest) = gw.strip_prefix("tls://") {
        (GatewayScheme::Tls, rest)
    } else if let Some(rest) = gw.strip_prefix("tcp://") {
        (GatewayScheme::Tcp, rest)
    } else {
        (GatewayScheme::Unspecified, gw)
    }
}

impl OpsConfig {
    /// Refuses a public gateway that is not `[tls://|tcp://]HOST:PORT` with a port of
    /// 1..=65535 (any other scheme, or a path, is refused).
    pub(crate) fn validate(&self) -> anyhow::Result<()> {
        if let Some(gw) = &self.public_gateway {
            let (_, address) = split_gateway(gw);
            let valid = address.rsplit_once(':').is_some_and(|(host, port)| {
                !host.is_empty()
                    && !host.contains(|c: char| c.is_whitespace() || c == '/')
                    && port.parse::<u16>().is_ok_and(|p| p > 0)
            });
            if !valid {
                anyhow::bail!(
                    "the public gateway must be HOST:PORT, tls://HOST:PORT or tcp://HOST:PORT, \
                     not {gw:?}"
                );
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
            ..OpsConfig::default()
        };
        assert!(with("im.example.com:443").validate().is_ok());
        assert!(with("tls://im.example.com:443").validate().is_ok());
        assert!(with("tcp://10.0.0.1:8100").validate().is_ok());
        assert!(with("tls://[2001:db8::1]:443").validate().is_ok());
        assert!(with("http://im.example.com:443").validate().is_err());
        assert!(with("tls://tls://im.example.com:443").validate().is_err());
        assert!(with("tls://:443").validate().is_err());
        assert!(with("tls://im.example.com").validate().is_err());
        assert!(with("[2001:db8::1]:8100").validate().is_ok());
        assert!(with("im.example.com").validate().is_err());
        assert!(with(":8100").validate().is_err());
        assert!(with("im.example.com:0").validate().is_err());
        assert!(OpsConfig::default().validate().is_ok());
    }
}
