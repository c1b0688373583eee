//! TLS to the database server (传输加密): the libpq settings `sslmode` and `sslrootcert` of a
//! database URL, carried out with rustls (the `ring` provider) through `tokio-postgres-rustls`.
//!
//! | `sslmode`          | encrypted                 | server certificate checked            |
//! |--------------------|---------------------------|---------------------------------------|
//! | `disable`          | never                     | —                                     |
//! | `prefer` (default) | when the server offers it | no (with `sslrootcert`: its chain)     |
//! | `require`          | always                    | no (with `sslrootcert`: its chain)     |
//! | `verify-ca`        | always                    | chain up to `sslrootcert`             |
//! | `verify-full`      | always                    | chain up to `sslrootcert`, host name  |
//!
//! As in libpq, `require` with a root certificate behaves like `verify-ca`. The `verify-*`
//! modes need `sslrootcert` (a PEM file of the CA certificates to trust): there is no implicit
//! `~/.postgresql/root.crt`. Both settings are taken out of the URL before the driver reads it
//! (it knows neither `verify-*` nor `sslrootcert`); the URL given to `pg_dump` keeps them, and
//! libpq reads them the same way.

use crate::url::percent_decode;
use luoshi_store::{Result, StoreError};
use postgres::config::SslMode as DriverMode;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, RootCertStore, SignatureScheme};
use std::path::PathBuf;
use std::sync::Arc;

/// The stable code of an unknown `sslmode`.
pub const E_PG_SSLMODE: &str = "E_PG_SSLMODE";
/// The stable code of a missing, unreadable or invalid `sslrootcert`.
pub const E_PG_SSLROOTCERT: &str = "E_PG_SSLROOTCERT";
/// The stable code of a TLS connection that failed: no TLS on the server, or a certificate
/// that does not verify.
pub const E_PG_TLS: &str = "E_PG_TLS";

/// How much TLS a connection asks for (libpq's `sslmode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SslMode {
    Disable,
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

impl SslMode {
    const ALL: [(&'static str, SslMode); 5] = [
        ("disable", SslMode::Disable),
        ("prefer", SslMode::Prefer),
        ("require", SslMode::Require),
        ("verify-ca", SslMode::VerifyCa),
        ("verify-full", SslMode::VerifyFull),
    ];

    fn parse(value: &str) -> Result<SslMode> {
        Self::ALL
            .iter()
            .find(|(name, _)| *name == value)
            .map(|(_, mode)| *mode)
            .ok_or_else(|| {
                let known: Vec<&str> = Self::ALL.iter().map(|(name, _)| *name).collect();
                setting(
                    E_PG_SSLMODE,
                    format!(
                        "数据库地址中的 sslmode={value} 无效：只能是 {}",
                        known.join("、")
                    ),
                )
            })
    }

    /// The name as written in a URL.
    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, mode)| *mode == self)
            .map_or("", |(name, _)| name)
    }
}

fn setting(code: &'static str, message: String) -> StoreError {
    StoreError::Setting { code, message }
}

/// The TLS settings of one database URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsSettings {
    pub mode: SslMode,
    /// `sslrootcert`: the PEM file of the CA certificates to trust.
    pub root_cert: Option<PathBuf>,
}

/// Take `sslmode` and `sslrootcert` out of a URL's query: the URL the driver reads, and the
/// settings. Without `sslmode` the mode is `prefer`, as in libpq.
pub fn split(url: &str) -> Result<(String, TlsSettings)> {
    let mut settings = TlsSettings {
        mode: SslMode::Prefer,
        root_cert: None,
    };
    let Some((base, query)) = url.split_once('?') else {
        return Ok((url.to_string(), settings));
    };
    let mut kept = Vec::new();
    for pair in query.split('&') {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        match key {
            "sslmode" => settings.mode = SslMode::parse(&percent_decode(value))?,
            "sslrootcert" => settings.root_cert = Some(PathBuf::from(percent_decode(value))),
            _ => kept.push(pair),
        }
    }
    let rest = if kept.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{}", kept.join("&"))
    };
    Ok((rest, settings))
}

/// What the driver connects with.
#[derive(Clone)]
pub(crate) enum Connector {
    Plain,
    Rustls(tokio_postgres_rustls::MakeRustlsConnect),
}

impl TlsSettings {
    /// The driver's mode: the `verify-*` modes are `require` plus a stricter verifier.
    pub(crate) fn driver_mode(&self) -> DriverMode {
        match self.mode {
            SslMode::Disable => DriverMode::Disable,
            SslMode::Prefer => DriverMode::Prefer,
            SslMode::Require | SslMode::VerifyCa | SslMode::VerifyFull => DriverMode::Require,
        }
    }

    /// The connector these settings call for; the root certificates are read here, so a wrong
    /// path is reported at start-up.
    pub(crate) fn connector(&self) -> Result<Connector> {
        if self.mode == SslMode::Disable {
            return Ok(Connector::Plain);
        }
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let chain = match (&self.root_cert, self.mode) {
            (Some(path), _) => Some(self.chain_verifier(path, provider.clone())?),
            (None, SslMode::VerifyCa | SslMode::VerifyFull) => {
                let why = "需要在数据库地址中用 sslrootcert=文件 指定可信的 CA 证书（PEM）";
                let message = format!("sslmode={} {why}", self.mode.name());
                return Err(setting(E_PG_SSLROOTCERT, message));
            }
            (None, _) => None,
        };
        let verifier = Verifier {
            chain,
            check_name: self.mode == SslMode::VerifyFull,
            provider: provider.clone(),
        };
        let config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| setting(E_PG_TLS, format!("无法配置 TLS: {e}")))?
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(verifier))
            .with_no_client_auth();
        Ok(Connector::Rustls(
            tokio_postgres_rustls::MakeRustlsConnect::new(config),
        ))
    }

    /// The standard (webpki) verifier over the CA certificates in `path`.
    fn chain_verifier(
        &self,
        path: &std::path::Path,
        provider: Arc<CryptoProvider>,
    ) -> Result<Arc<WebPkiServerVerifier>> {
        let shown = path.display();
        let bad = |why: String| setting(E_PG_SSLROOTCERT, format!("sslrootcert={shown} {why}"));
        let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(path)
            .map_err(|e| bad(format!("无法读取: {e}")))?
            .collect::<std::result::Result<_, _>>()
            .map_err(|e| bad(format!("不是有效的 PEM 证书文件: {e}")))?;
        let mut roots = RootCertStore::empty();
        let (added, _) = roots.add_parsable_certificates(certs);
        if added == 0 {
            return Err(bad("中没有可用的 CA 证书".into()));
        }
        WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider)
            .build()
            .map_err(|e| bad(format!("无法使用: {e}")))
    }
}

/// The server certificate check of one mode: the chain (when a root is given) and the host
/// name (`verify-full` only). The handshake signatures are always checked, so the session
/// key belongs to whoever holds the certificate.
#[derive(Debug)]
struct Verifier {
    chain: Option<Arc<WebPkiServerVerifier>>,
    check_name: bool,
    provider: Arc<CryptoProvider>,
}

impl ServerCertVerifier for Verifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        let Some(chain) = &self.chain else {
            return Ok(ServerCertVerified::assertion());
        };
        // webpki checks the chain first and the name last, so a name error means the chain held.
        match chain.verify_server_cert(end_entity, intermediates, server_name, ocsp, now) {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) if !self.check_name => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// The TLS failure inside a connection error, if that is why it failed: a rustls error
/// (certificate, handshake) or the driver's "server does not support TLS".
fn tls_failure(e: &postgres::Error) -> Option<String> {
    let mut next: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = next {
        // An io::Error hides its inner error from `source()`: look inside it too.
        let inner = err
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
            .map(|i| i as &(dyn std::error::Error + 'static));
        for candidate in [Some(err), inner].into_iter().flatten() {
            if let Some(tls) = candidate.downcast_ref::<rustls::Error>() {
                return Some(describe_rustls(tls));
            }
        }
        next = inner.and_then(|i| i.source()).or_else(|| err.source());
    }
    let text = e.to_string();
    text.contains("server does not support TLS")
        .then(|| "服务器未启用 TLS（请在服务器上打开 ssl，或改用 sslmode=prefer/disable）".into())
}

/// A rustls error in Chinese, with the original after it.
fn describe_rustls(e: &rustls::Error) -> String {
    let why = match e {
        rustls::Error::InvalidCertificate(c) => match c {
            CertificateError::UnknownIssuer => "服务器证书不是由 sslrootcert 中的 CA 签发的",
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
                "服务器证书与所连接的主机名不符"
            }
            CertificateError::Expired | CertificateError::ExpiredContext { .. } => {
                "服务器证书已过期"
            }
            _ => "服务器证书无效",
        },
        _ => "TLS 握手失败",
    };
    format!("{why}（{e}）")
}

/// A connection error as the store reports it: TLS failures under [`E_PG_TLS`], the rest as a
/// backend error; `shown` is the URL with its password masked.
pub(crate) fn connect_error(e: postgres::Error, shown: &str, mode: SslMode) -> StoreError {
    match tls_failure(&e) {
        Some(why) => StoreError::Unavailable {
            code: E_PG_TLS,
            message: format!(
                "无法与 PostgreSQL 数据库 {shown} 建立加密连接（sslmode={}）：{why}",
                mode.name()
            ),
        },
        None => StoreError::Backend(format!("无法连接 PostgreSQL 数据库 {shown}: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ssl_settings_are_taken_out_of_the_url() {
        let (rest, s) = split(
            "postgres://u@db:5432/luoshi?connect_timeout=5&sslmode=verify-full&sslrootcert=%2Fetc%2Fca.pem&application_name=x",
        )
        .unwrap();
        assert_eq!(
            rest,
            "postgres://u@db:5432/luoshi?connect_timeout=5&application_name=x"
        );
        assert_eq!(s.mode, SslMode::VerifyFull);
        assert_eq!(s.root_cert, Some(PathBuf::from("/etc/ca.pem")));
        let (rest, s) = split("postgres://u@db/luoshi?sslmode=disable").unwrap();
        assert_eq!(rest, "postgres://u@db/luoshi");
        assert_eq!(s.mode, SslMode::Disable);
        let (rest, s) = split("postgres://u@db/luoshi").unwrap();
        assert_eq!(rest, "postgres://u@db/luoshi");
        assert_eq!((s.mode, s.root_cert), (SslMode::Prefer, None));
    }

    #[test]
    fn an_unknown_sslmode_is_refused_with_its_code() {
        for bad in ["verify_full", "on", "", "REQUIRE"] {
            let e = split(&format!("postgres://u@db/luoshi?sslmode={bad}")).unwrap_err();
            match e {
                StoreError::Setting { code, message } => {
                    assert_eq!(code, E_PG_SSLMODE);
                    assert!(message.contains("verify-full"), "{message}");
                }
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn verify_modes_need_a_root_certificate() {
        for mode in [SslMode::VerifyCa, SslMode::VerifyFull] {
            let settings = TlsSettings {
                mode,
                root_cert: None,
            };
            match settings.connector() {
                Err(StoreError::Setting { code, .. }) => assert_eq!(code, E_PG_SSLROOTCERT),
                Err(other) => panic!("{other:?}"),
                Ok(_) => panic!("{mode:?} without sslrootcert was accepted"),
            }
        }
        let missing = TlsSettings {
            mode: SslMode::VerifyFull,
            root_cert: Some(PathBuf::from("/nonexistent/ca.crt")),
        };
        assert!(matches!(
            missing.connector(),
            Err(StoreError::Setting {
                code: E_PG_SSLROOTCERT,
                ..
            })
        ));
    }
}
