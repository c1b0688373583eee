//! TLS to a real PostgreSQL (传输加密): the test server started by `scripts/pg-test-server.sh`
//! serves a certificate for `localhost` signed by a throwaway CA; these tests connect with each
//! `sslmode` and ask the server itself whether the session is encrypted.

use luoshi_store::{Backend, StoreError};
use luoshi_store_postgres::tls::{E_PG_SSLMODE, E_PG_TLS};
use luoshi_store_postgres::PostgresBackend;
use serde::Deserialize;
use std::path::PathBuf;

/// The test server's URL (`TEST_DATABASE_URL`); `None` skips, unless CI requires PostgreSQL.
fn base_url() -> Option<String> {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(url) if !url.trim().is_empty() => Some(url.trim().to_string()),
        _ if std::env::var_os("LUOSHI_REQUIRE_POSTGRES").is_some() => panic!(
            "LUOSHI_REQUIRE_POSTGRES 已设置但 TEST_DATABASE_URL 未设置：PostgreSQL 部分不能跳过"
        ),
        _ => {
            println!("TEST_DATABASE_URL 未设置：跳过 PostgreSQL TLS 测试");
            None
        }
    }
}

/// `url` with its host replaced and `query` appended (the test URL has no query of its own).
fn url_with(url: &str, host: &str, query: &str) -> String {
    let start = url.find("://").unwrap() + 3;
    let authority_end = url[start..]
        .find(['/', '?'])
        .map_or(url.len(), |i| start + i);
    let host_start = url[start..authority_end]
        .rfind('@')
        .map_or(start, |i| start + i + 1);
    let host_end = url[host_start..authority_end]
        .rfind(':')
        .map_or(authority_end, |i| host_start + i);
    let sep = if url.contains('?') { '&' } else { '?' };
    format!(
        "{}{host}{}{sep}{query}",
        &url[..host_start],
        &url[host_end..]
    )
}

#[derive(Deserialize)]
struct Session {
    ssl: bool,
}

/// Whether the connection's own session is encrypted, as the server sees it.
fn session_is_encrypted(backend: &PostgresBackend) -> bool {
    let mut ssl = None;
    backend
        .read(&mut |c| {
            let rows: Vec<Session> = c.query_as(
                "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
                &[],
            )?;
            ssl = rows.first().map(|r| r.ssl);
            Ok(())
        })
        .unwrap();
    ssl.unwrap()
}

#[derive(Deserialize)]
struct ServerTls {
    ssl: String,
    cert: String,
}

/// The directory of the test server's certificates (next to its `ssl_cert_file`).
fn certificates(url: &str) -> PathBuf {
    let plain = PostgresBackend::connect(&url_with(url, "127.0.0.1", "sslmode=disable")).unwrap();
    let mut server = None;
    plain
        .read(&mut |c| {
            server = c
                .query_as::<ServerTls>(
                    "SELECT current_setting('ssl') AS ssl, current_setting('ssl_cert_file') AS cert",
                    &[],
                )?
                .pop();
            Ok(())
        })
        .unwrap();
    let server = server.unwrap();
    assert_eq!(
        server.ssl, "on",
        "测试服务器未启用 TLS：请运行 scripts/pg-test-server.sh（需要 openssl）"
    );
    PathBuf::from(server.cert).parent().unwrap().to_path_buf()
}

fn tls_error(result: Result<PostgresBackend, StoreError>) -> String {
    match result {
        Err(StoreError::Unavailable { code, message }) => {
            assert_eq!(code, E_PG_TLS, "{message}");
            message
        }
        Err(other) => panic!("expected {E_PG_TLS}, got {other:?}"),
        Ok(_) => panic!("the connection was accepted"),
    }
}

#[test]
fn require_encrypts_the_session_and_disable_does_not() {
    let Some(url) = base_url() else { return };
    certificates(&url);
    let required =
        PostgresBackend::connect(&url_with(&url, "127.0.0.1", "sslmode=require")).unwrap();
    assert!(session_is_encrypted(&required));
    let plain = PostgresBackend::connect(&url_with(&url, "127.0.0.1", "sslmode=disable")).unwrap();
    assert!(!session_is_encrypted(&plain));
}

#[test]
fn verify_full_accepts_the_servers_ca_and_name() {
    let Some(url) = base_url() else { return };
    let ca = certificates(&url).join("ca.crt");
    let query = format!("sslmode=verify-full&sslrootcert={}", ca.display());
    let verified = PostgresBackend::connect(&url_with(&url, "localhost", &query)).unwrap();
    assert!(session_is_encrypted(&verified));
    // verify-ca checks the chain only: the address the certificate does not name is accepted.
    let query = format!("sslmode=verify-ca&sslrootcert={}", ca.display());
    let chain_only = PostgresBackend::connect(&url_with(&url, "127.0.0.1", &query)).unwrap();
    assert!(session_is_encrypted(&chain_only));
}

#[test]
fn verify_full_refuses_a_wrong_ca_or_host_name_with_a_clear_message() {
    let Some(url) = base_url() else { return };
    let dir = certificates(&url);
    let wrong_ca = format!(
        "sslmode=verify-full&sslrootcert={}",
        dir.join("other-ca.crt").display()
    );
    let message = tls_error(PostgresBackend::connect(&url_with(
        &url,
        "localhost",
        &wrong_ca,
    )));
    assert!(
        message.contains("不是由 sslrootcert 中的 CA 签发"),
        "{message}"
    );
    assert!(message.contains("verify-full"), "{message}");

    // The certificate names `localhost`, not the address.
    let right_ca = format!(
        "sslmode=verify-full&sslrootcert={}",
        dir.join("ca.crt").display()
    );
    let message = tls_error(PostgresBackend::connect(&url_with(
        &url,
        "127.0.0.1",
        &right_ca,
    )));
    assert!(message.contains("主机名不符"), "{message}");

    // As in libpq, `require` with a root certificate checks the chain.
    let require_wrong_ca = format!(
        "sslmode=require&sslrootcert={}",
        dir.join("other-ca.crt").display()
    );
    tls_error(PostgresBackend::connect(&url_with(
        &url,
        "localhost",
        &require_wrong_ca,
    )));
}

#[test]
fn a_bad_sslmode_is_refused_before_connecting() {
    // No server is needed: the URL is refused as written.
    match PostgresBackend::connect("postgres://postgres@127.0.0.1:1/postgres?sslmode=verify") {
        Err(StoreError::Setting { code, message }) => {
            assert_eq!(code, E_PG_SSLMODE);
            assert!(message.contains("sslmode=verify"), "{message}");
            let domain: luoshi_domain::Error = StoreError::Setting { code, message }.into();
            assert_eq!(domain.code, E_PG_SSLMODE);
        }
        other => panic!("{other:?}"),
    }
}
