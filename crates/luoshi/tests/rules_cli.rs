//! End-to-end: `luoshi rules …` on the built binary (list, eval, batch with bad lines, errors).

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn luoshi_with_stdin(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_luoshi"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary runs");
    // The binary may exit before reading stdin (e.g. unknown rule): a broken pipe is expected.
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    child.wait_with_output().unwrap()
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&o.stdout)))
}

#[test]
fn list_plain_and_json() {
    let o = luoshi_with_stdin(&["rules", "list"], "");
    assert!(o.status.success());
    let text = String::from_utf8(o.stdout).unwrap();
    assert_eq!(text.lines().count(), luoshi_rules::registry::RULES.len());
    for name in [
        "disaster-grade",
        "talent-subsidy",
        "land-premium",
        "service-time-limit",
        "proposal-standards",
    ] {
        assert!(text.contains(name), "{name}");
    }
    let o = luoshi_with_stdin(&["rules", "list", "--json"], "");
    let v = json(&o);
    let rules = v["rules"].as_array().unwrap();
    assert_eq!(rules.len(), luoshi_rules::registry::RULES.len());
    for r in rules {
        assert!(!r["input"].as_array().unwrap().is_empty(), "{}", r["name"]);
        assert!(r["output"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["name"] == "trace"));
        assert!(r["citation"].as_str().unwrap().contains("〔2020〕"));
    }
    assert_eq!(v["params_default"]["talent"]["counting"], "civil_code");
    assert_eq!(
        v["params_default"]["disaster"]["counting"],
        "below_exclusive"
    );
}

#[test]
fn eval_disaster_grade() {
    let o = luoshi_with_stdin(
        &["rules", "eval", "disaster-grade", "--input", "-"],
        r#"{"kind":"险情","people_at_risk":500,"potential_loss_yuan":"1000"}"#,
    );
    assert!(o.status.success());
    let v = json(&o);
    assert_eq!(v["grade"], "大型");
    assert_eq!(v["level"], "Ⅱ");
    assert_eq!(v["report_within_hours"], 4);
    assert!(v["citation"]
        .as_str()
        .unwrap()
        .contains("郑政办〔2020〕26号"));
    assert!(v["explanation"].as_str().unwrap().contains("以上含本数"));
    assert!(!v["trace"].as_array().unwrap().is_empty());
}

#[test]
fn eval_talent_subsidy_and_land_premium() {
    let applicant = r#"{"degree":"博士","full_time":true,"birth_date":"1980-01-01","graduation_date":"2019-07-01","settled_date":"2019-09-01","contract_signed_date":"2020-01-10","contract_filed":true,"deed_tax_paid":true,"first_home":true,"application_date":"2020-06-01"}"#;
    let v = json(&luoshi_with_stdin(
        &["rules", "eval", "talent-subsidy"],
        applicant,
    ));
    assert_eq!(v["eligible"], true);
    assert_eq!(v["amount_yuan"], "100000.00");
    assert_eq!(v["reasons"].as_array().unwrap().len(), 0);
    let v = json(&luoshi_with_stdin(
        &["rules", "eval", "land-premium"],
        r#"{"transfer_price_yuan":"10000000","allocation_price_yuan":"1000000"}"#,
    ));
    assert_eq!(v["premium_yuan"], "2500000.00");
    assert_eq!(v["city_share_yuan"], "1875000.00");
    assert_eq!(v["district_share_yuan"], "625000.00");
}

#[test]
fn eval_from_file() {
    let path = std::env::temp_dir().join(format!("luoshi-rules-{}.json", std::process::id()));
    std::fs::write(
        &path,
        r#"{"service":"food-business-license","accepted_date":"2020-09-30"}"#,
    )
    .unwrap();
    let o = luoshi_with_stdin(
        &[
            "rules",
            "eval",
            "service-time-limit",
            "--input",
            path.to_str().unwrap(),
        ],
        "",
    );
    std::fs::remove_file(&path).ok();
    let v = json(&o);
    assert_eq!(v["due_date"], "2020-10-09");
    assert!(v["deadline_explanation"]
        .as_str()
        .unwrap()
        .contains("国庆节"));
}

#[test]
fn batch_with_bad_lines_goes_on() {
    let input = concat!(
        r#"{"transfer_price_yuan":"100","allocation_price_yuan":"10"}"#,
        "\n",
        r#"{"transfer_price_yuan":"-1","allocation_price_yuan":"10"}"#,
        "\n",
        "not json\n",
        "\n",
        r#"{"transfer_price_yuan":"100"}"#,
        "\n",
        r#"{"transfer_price_yuan":1.5,"allocation_price_yuan":"1"}"#,
        "\n",
        r#"{"transfer_price_yuan":"200","allocation_price_yuan":"0"}"#,
    );
    let o = luoshi_with_stdin(&["rules", "eval", "land-premium", "--batch"], input);
    assert_eq!(
        o.status.code(),
        Some(2),
        "bad lines → exit 2 after all lines"
    );
    let lines: Vec<serde_json::Value> = String::from_utf8(o.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 7, "one output line per input line");
    assert_eq!(lines[0]["premium_yuan"], "25.00");
    assert_eq!(lines[1]["error"]["code"], "E_FIELD_VALUE");
    assert!(lines[1]["error"]["message"]
        .as_str()
        .unwrap()
        .contains("transfer_price_yuan"));
    assert_eq!(lines[2]["error"]["code"], "E_JSON");
    assert_eq!(lines[2]["line"], 3);
    assert_eq!(lines[3]["error"]["code"], "E_EMPTY_LINE");
    assert_eq!(lines[4]["error"]["code"], "E_FIELD_MISSING");
    assert!(lines[4]["error"]["message"]
        .as_str()
        .unwrap()
        .contains("allocation_price_yuan"));
    assert_eq!(lines[5]["error"]["code"], "E_FIELD_VALUE");
    assert_eq!(lines[6]["premium_yuan"], "70.00");
    assert!(String::from_utf8_lossy(&o.stderr).contains("成功2行"));
}

#[test]
fn errors_have_codes_and_exit_2() {
    let cases: [(&[&str], &str, &str); 6] = [
        (&["rules", "eval", "no-such-rule"], "{}", "E_RULE_UNKNOWN"),
        (&["rules", "eval", "disaster-grade"], "{", "E_JSON"),
        (
            &["rules", "eval", "disaster-grade"],
            r#"{"kind":"险情","people_at_risk":-3}"#,
            "E_FIELD_VALUE",
        ),
        (
            &["rules", "eval", "disaster-grade"],
            r#"{"kind":"险情","people_at_risk":"many"}"#,
            "E_FIELD_TYPE",
        ),
        (
            &["rules", "eval", "talent-subsidy"],
            r#"{"degree":"博士"}"#,
            "E_FIELD_MISSING",
        ),
        (
            &["rules", "eval", "land-premium"],
            r#"{"transfer_price_yuan":"1","allocation_price_yuan":"1","extra":1}"#,
            "E_FIELD_UNKNOWN",
        ),
    ];
    for (args, stdin, code) in cases {
        let o = luoshi_with_stdin(args, stdin);
        assert_eq!(o.status.code(), Some(2), "{args:?} {stdin}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(code), "{code}: {err}");
        assert!(o.stdout.is_empty(), "nothing printed on error");
    }
    let o = luoshi_with_stdin(
        &["rules", "eval", "land-premium", "--input", "/no/such/file"],
        "",
    );
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn params_file_changes_an_interpretation() {
    let applicant = r#"{"degree":"硕士","full_time":true,"birth_date":"1985-06-01","graduation_date":"2018-07-01","settled_date":"2019-09-01","contract_signed_date":"2020-01-10","contract_filed":true,"deed_tax_paid":true,"first_home":true,"application_date":"2020-06-01"}"#;
    let v = json(&luoshi_with_stdin(
        &["rules", "eval", "talent-subsidy"],
        applicant,
    ));
    assert_eq!(
        v["eligible"], true,
        "35周岁 is 35岁以下 by default (“以下”含本数)"
    );
    assert_eq!(
        v["counting"]["citation"],
        "《中华人民共和国民法典》第一千二百五十九条"
    );
    assert_eq!(v["counting"]["default"], true);
    let path = std::env::temp_dir().join(format!("luoshi-params-{}.json", std::process::id()));
    std::fs::write(&path, r#"{"talent":{"counting":"below_exclusive"}}"#).unwrap();
    let v = json(&luoshi_with_stdin(
        &[
            "rules",
            "eval",
            "talent-subsidy",
            "--params",
            path.to_str().unwrap(),
        ],
        applicant,
    ));
    std::fs::remove_file(&path).ok();
    assert_eq!(
        v["eligible"], false,
        "“以下”不含本数 chosen by the parameter"
    );
    assert_eq!(v["counting"]["reading"], "below_exclusive");
    assert_eq!(v["counting"]["default"], false);
    assert_eq!(v["counting"]["parameter"], "talent.counting");
    assert!(v["reasons"][0]["reason"]
        .as_str()
        .unwrap()
        .contains("“以下”不含本数"));
}

fn luoshi_file(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_luoshi"))
        .args(args)
        .output()
        .expect("binary runs")
}

fn temp(name: &str, text: &[u8]) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!("luoshi-rules-{}-{name}", std::process::id()));
    std::fs::write(&path, text).unwrap();
    path
}

/// Generated applicants as CSV and as JSON Lines give the same compact lines, through the
/// columnar path and the row-by-row path; `--explain` gives the whole decision.
#[test]
fn talent_batch_csv_and_jsonl_compact_and_explain() {
    let csv = luoshi_file(&["rules", "generate", "talent-subsidy", "--count", "3000"]);
    assert!(csv.status.success());
    assert_eq!(String::from_utf8_lossy(&csv.stdout).lines().count(), 3001);
    let jsonl = luoshi_file(&[
        "rules",
        "generate",
        "talent-subsidy",
        "--count",
        "3000",
        "--format",
        "jsonl",
    ]);
    let csv_path = temp("people.csv", &csv.stdout);
    let jsonl_path = temp("people.jsonl", &jsonl.stdout);
    let run = |path: &std::path::Path, extra: &[&str]| {
        let p = path.to_str().unwrap();
        let mut args = vec!["rules", "eval", "talent-subsidy", "--batch", "--input", p];
        args.extend_from_slice(extra);
        let o = luoshi_file(&args);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        o
    };
    let from_csv = run(&csv_path, &[]);
    let from_jsonl = run(&jsonl_path, &[]);
    let rows = run(&csv_path, &["--row-by-row"]);
    assert_eq!(from_csv.stdout, from_jsonl.stdout);
    assert_eq!(from_csv.stdout, rows.stdout);
    let stderr = String::from_utf8_lossy(&from_csv.stderr);
    assert!(stderr.contains("成功3000行"), "{stderr}");
    assert!(
        stderr.contains("《中华人民共和国民法典》第一千二百五十九条"),
        "{stderr}"
    );
    let compact: Vec<serde_json::Value> = String::from_utf8(from_csv.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(compact.len(), 3000);
    let explained = run(&jsonl_path, &["--explain"]);
    let full: Vec<serde_json::Value> = String::from_utf8(explained.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(full.len(), 3000);
    let mut refused = 0;
    for (c, f) in compact.iter().zip(&full) {
        assert_eq!(c["eligible"], f["eligible"]);
        assert_eq!(c["amount_yuan"], f["amount_yuan"]);
        let failed = c["failed"].as_object().unwrap();
        let reasons = f["reasons"].as_array().unwrap();
        assert_eq!(failed.len(), reasons.len());
        for r in reasons {
            assert_eq!(failed[r["condition"].as_str().unwrap()], r["clause"]);
        }
        assert!(f["trace"].is_array() && f["explanation"].is_string());
        assert_eq!(f["counting"]["reading"], "civil_code");
        refused += usize::from(!reasons.is_empty());
    }
    assert!(refused > 0 && refused < 3000);
    std::fs::remove_file(csv_path).ok();
    std::fs::remove_file(jsonl_path).ok();
}

/// CSV for any rule: cells typed by the field's documented type, empty cells left out, errors
/// numbered by the file's line (the header is line 1); a bad header stops before any output.
#[test]
fn csv_batch_for_any_rule_and_its_errors() {
    let path = temp(
        "land.csv",
        "\u{feff}allocation_price_yuan,transfer_price_yuan,city_reserve_direct\r\n10,100,\r\n10,\"-1\",\n\n1,200,true\n1,2,3,4\n"
            .as_bytes(),
    );
    let o = luoshi_file(&[
        "rules",
        "eval",
        "land-premium",
        "--batch",
        "--input",
        path.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let lines: Vec<serde_json::Value> = String::from_utf8(o.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 5, "one line per record");
    assert_eq!(lines[0]["premium_yuan"], "25.00");
    assert!(lines[0].get("explanation").is_none(), "compact by default");
    assert_eq!(lines[1]["line"], 3);
    assert_eq!(lines[1]["error"]["code"], "E_FIELD_VALUE");
    assert_eq!(lines[2]["error"]["code"], "E_EMPTY_LINE");
    assert_eq!(lines[3]["city_share_yuan"], serde_json::Value::Null);
    assert_eq!(lines[4]["line"], 6);
    assert_eq!(lines[4]["error"]["code"], "E_JSON");
    std::fs::remove_file(&path).ok();

    let bad = temp("bad.csv", b"transfer_price_yuan,price\n1,2\n");
    let o = luoshi_file(&[
        "rules",
        "eval",
        "land-premium",
        "--batch",
        "--input",
        bad.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
    assert!(String::from_utf8_lossy(&o.stderr).contains("E_FIELD_UNKNOWN"));
    let o = luoshi_file(&[
        "rules",
        "eval",
        "land-premium",
        "--batch",
        "--format",
        "xml",
        "--input",
        bad.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("E_FORMAT"));
    std::fs::remove_file(&bad).ok();
}

/// A batch file of several chunks (the command maps a regular file and cuts it at line breaks;
/// standard input is read by a reader thread instead): both give the same bytes, one line per
/// applicant, and a few bad lines in between keep their line numbers.
#[test]
fn a_mapped_batch_file_answers_as_the_same_bytes_on_standard_input() {
    let dir = std::env::temp_dir().join(format!("luoshi-rules-mapped-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let generated = Command::new(env!("CARGO_BIN_EXE_luoshi"))
        .args(["rules", "generate", "talent-subsidy", "--count", "200000"])
        .output()
        .expect("generate runs");
    assert!(generated.status.success());
    // Bad lines near where an 8 MB chunk ends, and at the very end without a line break.
    let mut csv = generated.stdout;
    let at = csv[8 << 20..].iter().position(|&b| b == b'\n').unwrap() + (8 << 20) + 1;
    csv.splice(at..at, b"not,a,line\n".iter().copied());
    csv.extend_from_slice(b"\xe7\xa1\x95\xe5\xa3\xab,maybe");
    assert!(csv.len() > 2 * (8 << 20), "more than two chunks");
    let path = dir.join("applicants.csv");
    std::fs::write(&path, &csv).unwrap();

    let batch = |stdin: Stdio, input: &str| {
        Command::new(env!("CARGO_BIN_EXE_luoshi"))
            .args([
                "rules",
                "eval",
                "talent-subsidy",
                "--batch",
                "--format",
                "csv",
            ])
            .args(["--input", input])
            .stdin(stdin)
            .output()
            .expect("batch runs")
    };
    let mapped = batch(Stdio::null(), path.to_str().unwrap());
    let streamed = batch(Stdio::from(std::fs::File::open(&path).unwrap()), "-");
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(mapped.status.code(), Some(2), "bad lines give exit code 2");
    assert_eq!(streamed.status.code(), Some(2));
    assert!(mapped.stdout == streamed.stdout, "the same bytes both ways");
    let lines: Vec<&[u8]> = mapped.stdout.split(|&b| b == b'\n').collect();
    assert_eq!(
        lines.len(),
        200_002 + 1,
        "one line per data line, and the last break"
    );
    let errors: Vec<String> = lines
        .iter()
        .filter(|l| l.starts_with(b"{\"error\""))
        .map(|l| String::from_utf8_lossy(l).into_owned())
        .collect();
    assert_eq!(errors.len(), 2, "{errors:?}");
    let header_and_before = csv[..at].iter().filter(|&&b| b == b'\n').count() as u64;
    assert!(
        errors[0].ends_with(&format!("\"line\":{}}}", header_and_before + 1)),
        "{}",
        errors[0]
    );
    assert!(errors[1].ends_with("\"line\":200003}"), "{}", errors[1]);
}
