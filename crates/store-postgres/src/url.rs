//! Database URLs (数据库地址): masking and separating the password, so it never appears in a
//! message or on a child process's command line.

/// Where the password sits in `scheme://user:password@host/...`: the byte range, if any.
fn password_range(url: &str) -> Option<std::ops::Range<usize>> {
    let start = url.find("://")? + 3;
    let authority_end = url[start..]
        .find(['/', '?'])
        .map_or(url.len(), |i| start + i);
    let at = url[start..authority_end].rfind('@')? + start;
    let colon = url[start..at].find(':')? + start;
    Some(colon + 1..at)
}

/// Undo percent-encoding (`%40` → `@`); invalid escapes are kept as written.
pub(crate) fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The URL with its password replaced by `***`, for messages.
pub fn masked(url: &str) -> String {
    match password_range(url) {
        Some(r) => format!("{}***{}", &url[..r.start], &url[r.end..]),
        None => url.to_string(),
    }
}

/// The URL without its password, and the (decoded) password.
pub fn without_password(url: &str) -> (String, Option<String>) {
    match password_range(url) {
        Some(r) => (
            format!("{}{}", &url[..r.start - 1], &url[r.end..]),
            Some(percent_decode(&url[r.clone()])),
        ),
        None => (url.to_string(), None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_is_masked_and_split_off() {
        let url = "postgres://luoshi:p%40ss:w@db.example:5432/luoshi?sslmode=disable";
        assert_eq!(
            masked(url),
            "postgres://luoshi:***@db.example:5432/luoshi?sslmode=disable"
        );
        let (bare, password) = without_password(url);
        assert_eq!(
            bare,
            "postgres://luoshi@db.example:5432/luoshi?sslmode=disable"
        );
        assert_eq!(password.as_deref(), Some("p@ss:w"));
    }

    #[test]
    fn urls_without_a_password_are_unchanged() {
        for url in [
            "postgres://postgres@127.0.0.1:5432/postgres",
            "postgresql://localhost/luoshi",
            "postgres:///luoshi?host=/run/postgresql&user=a:b@c",
        ] {
            assert_eq!(masked(url), url);
            assert_eq!(without_password(url), (url.to_string(), None));
        }
    }
}
