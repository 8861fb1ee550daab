//! TLS to PostgreSQL, as the store URL asks: `sslmode=require` encrypts the connection
//! (rustls) and checks the server's certificate and name against `sslrootcert=FILE` (PEM,
//! libpq's parameter name) when given, else against the Mozilla roots. Stricter than
//! libpq's `require`, which checks nothing (`verify-ca` and `verify-full` mean the same here): an unchecked certificate would let anyone on the
//! path read every message. Without `sslmode=require` the connection is plain, as before
//! (the driver's default `prefer` would otherwise fail on servers with self-signed
//! certificates that used to work).

use rustls::pki_types::pem::PemObject as _;
use rustls::pki_types::CertificateDer;
use std::sync::Arc;
use tokio_postgres_rustls::MakeRustlsConnect;

/// How a store URL connects: the URL the driver gets (without `sslrootcert`, which it does
/// not know) and the TLS connector when `sslmode=require`.
pub(crate) struct PgTarget {
    pub url: String,
    pub tls: Option<MakeRustlsConnect>,
}

/// Reads `url`'s TLS parameters (see the module docs). The other parameters are handed on
/// untouched (their encoding is the driver's to read).
pub(crate) fn target(url: &str) -> anyhow::Result<PgTarget> {
    let Some((base, query)) = url.split_once('?') else {
        // No parameters, or a key=value string (which knows no `sslrootcert`).
        return Ok(PgTarget {
            url: url.to_owned(),
            tls: None,
        });
    };
    let mut ca = None;
    let mut require = false;
    let mut kept = Vec::new();
    for pair in query.split('&') {
        match pair.split_once('=') {
            Some(("sslrootcert", file)) => {
                ca = Some(
                    percent_encoding::percent_decode_str(file)
                        .decode_utf8()?
                        .into_owned(),
                );
            }
            // Every certificate is checked: libpq's verify modes mean `require` here.
            Some(("sslmode", "require" | "verify-ca" | "verify-full")) => require = true,
            Some(("sslmode", _)) => kept.push(pair),
            _ => kept.push(pair),
        }
    }
    if ca.is_some() && !require {
        anyhow::bail!("sslrootcert needs sslmode=require in the store URL");
    }
    if require {
        kept.push("sslmode=require");
    }
    let url = if kept.is_empty() {
        base.to_owned()
    } else {
        format!("{base}?{}", kept.join("&"))
    };
    let tls = if require {
        Some(MakeRustlsConnect::new(client_config(ca.as_deref())?))
    } else {
        None
    };
    Ok(PgTarget { url, tls })
}

/// A rustls client trusting `ca` (a PEM file) or the Mozilla roots.
fn client_config(ca: Option<&str>) -> anyhow::Result<rustls::ClientConfig> {
    let mut roots = rustls::RootCertStore::empty();
    match ca {
        Some(file) => {
            for cert in CertificateDer::pem_file_iter(file)
                .map_err(|e| anyhow::anyhow!("reading sslrootcert {file}: {e}"))?
            {
                let cert = cert.map_err(|e| anyhow::anyhow!("reading sslrootcert {file}: {e}"))?;
                roots.add(cert)?;
            }
            if roots.is_empty() {
                anyhow::bail!("sslrootcert {file} holds no certificate");
            }
        }
        None => {
            let (added, _) = roots.add_parsable_certificates(
                webpki_root_certs::TLS_SERVER_ROOT_CERTS.iter().cloned(),
            );
            if added == 0 {
                anyhow::bail!("no root certificates to check the database's certificate");
            }
        }
    }
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    Ok(rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_root_certificates(roots)
        .with_no_client_auth())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Plain unless `sslmode=require`; `sslrootcert` is taken out of what the driver gets
    /// and needs `require`; a missing CA file is a clear error.
    #[test]
    fn urls_say_how_to_connect() {
        let plain = target("postgres://u@h:5432/db?options=-c%20x%3Dy").unwrap();
        assert!(plain.tls.is_none());
        assert_eq!(plain.url, "postgres://u@h:5432/db?options=-c%20x%3Dy");
        let tls = target("postgres://u@h/db?sslmode=require").unwrap();
        assert!(tls.tls.is_some());
        assert_eq!(tls.url, "postgres://u@h/db?sslmode=require");
        let ca = std::env::temp_dir().join(format!("rcim-ca-{}.pem", std::process::id()));
        let cert = rcgen::generate_simple_self_signed(vec!["localhost".into()]).unwrap();
        std::fs::write(&ca, cert.cert.pem()).unwrap();
        let url = format!(
            "postgres://u@h/db?sslrootcert={}&sslmode=require&x=1",
            ca.display()
        );
        let with_ca = target(&url).unwrap();
        assert!(with_ca.tls.is_some());
        assert_eq!(with_ca.url, "postgres://u@h/db?x=1&sslmode=require");
        let _ = std::fs::remove_file(ca);
        let err = target("postgres://u@h/db?sslrootcert=/x.pem")
            .err()
            .unwrap();
        assert!(err.to_string().contains("sslmode=require"), "{err}");
        let err = target("postgres://u@h/db?sslmode=require&sslrootcert=/nope.pem")
            .err()
            .unwrap();
        assert!(err.to_string().contains("/nope.pem"), "{err}");
        let full = target("postgres://u@h/db?sslmode=verify-full&x=1").unwrap();
        assert!(full.tls.is_some());
        assert_eq!(full.url, "postgres://u@h/db?x=1&sslmode=require");
        let dsn = target("host=h user=u sslmode=disable").unwrap();
        assert!(dsn.tls.is_none());
        assert_eq!(dsn.url, "host=h user=u sslmode=disable");
    }
}
