//! A unit's proposal inbox (建议提案待办, 郑政办〔2020〕27号) at volume: the real `luoshi bench
//! proposals-seed` registers and handles a year of items through the engine, the real `luoshi
//! serve` shows the unit's inbox, and the inbox comes a page of 100 items at a time — every open
//! item on exactly one page, the most urgent first — instead of one page with every deadline's
//! explanation (730 KB for a unit with 530 open items).

mod support;

use std::collections::BTreeSet;
use std::process::Command;
use support::*;

const TODAY: &str = "2021-07-15";

/// The item ids of the inbox rows (`<tr id="p-ID">`) of a page, in order.
fn row_ids(html: &str) -> Vec<i64> {
    html.split("<tr id=\"p-")
        .skip(1)
        .map(|rest| {
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            digits.parse().expect("a numeric item id")
        })
        .collect()
}

/// The count the inbox states (`待办 N 件`).
fn stated_count(html: &str) -> usize {
    html.split("待办 ")
        .skip(1)
        .map(|rest| {
            rest.chars()
                .take_while(char::is_ascii_digit)
                .collect::<String>()
        })
        .find(|digits| !digits.is_empty())
        .expect("the inbox states its count (待办 N 件)")
        .parse()
        .expect("a count")
}

#[test]
fn a_units_inbox_comes_in_pages_with_every_open_item_on_exactly_one() {
    let dir = TempDir::new("proposals-inbox");
    let db = dir.0.join("luoshi.db");
    let seeded = Command::new(env!("CARGO_BIN_EXE_luoshi"))
        .args(["bench", "proposals-seed", "--years", "2", "--items", "1500"])
        .args(["--today", TODAY, "--db"])
        .arg(&db)
        .env_remove("LUOSHI_DB")
        .output()
        .expect("luoshi bench proposals-seed runs");
    assert!(
        seeded.status.success(),
        "seed failed: {}",
        String::from_utf8_lossy(&seeded.stderr)
    );

    let (process, base, banner) = spawn_serve(&[
        "serve".as_ref(),
        "--addr".as_ref(),
        "127.0.0.1:0".as_ref(),
        "--today".as_ref(),
        TODAY.as_ref(),
        "--db".as_ref(),
        db.as_os_str(),
    ]);
    let server = Server {
        process,
        dir,
        base,
        passwords: vec![("bench-unit".into(), "bench-password-2020".into())],
        banner,
    };
    let (unit, _) = Api::login(&server, "bench-unit");
    let page = |n: usize| {
        let bytes = unit.get_bytes(&format!("/proposals?page={n}"));
        String::from_utf8(bytes).expect("UTF-8 HTML")
    };

    let first = page(1);
    let total = stated_count(&first);
    assert!(
        total > 100,
        "the seeded unit has more open items than one page ({total})"
    );
    let pages = total.div_ceil(100);
    let mut seen = Vec::new();
    for n in 1..=pages {
        let html = if n == 1 { first.clone() } else { page(n) };
        let ids = row_ids(&html);
        let expected = if n < pages {
            100
        } else {
            total - 100 * (pages - 1)
        };
        assert_eq!(ids.len(), expected, "rows on page {n} of {pages}");
        assert_eq!(stated_count(&html), total, "page {n} states the same count");
        seen.extend(ids);
    }
    let distinct: BTreeSet<i64> = seen.iter().copied().collect();
    assert_eq!(distinct.len(), total, "every open item on exactly one page");
    assert!(
        first.contains("/proposals?page=2"),
        "the first page links to the next"
    );
    // The plain address is the first page, the same as `?page=1`.
    let plain = String::from_utf8(unit.get_bytes("/proposals")).expect("UTF-8 HTML");
    assert_eq!(row_ids(&plain), row_ids(&first));
}
