//! End-to-end tests of `luoshi gazette parse`: the binary is spawned on the seed issue and on
//! bad input (unreadable file, invalid UTF-8, bad registry), checking output and exit codes.

use std::path::PathBuf;
use std::process::{Command, Output};

fn seed_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/gazette/zhengzhou-2020-gazette.txt")
}

fn luoshi(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_luoshi"))
        .args(args)
        .output()
        .expect("the luoshi binary runs")
}

fn temp_file(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("luoshi-gazette-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn json_output_follows_the_contract() {
    let seed = seed_path();
    let out = luoshi(&[
        "gazette",
        "parse",
        seed.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    let docs = v["documents"].as_array().expect("documents array");
    assert_eq!(docs.len(), 17);
    let d29 = docs
        .iter()
        .find(|d| d["doc_no"] == "郑政办〔2020〕29号")
        .expect("郑政办〔2020〕29号");
    assert_eq!(d29["issuer"], "郑州市人民政府办公厅");
    assert_eq!(d29["date"], "2020-05-26");
    assert_eq!(d29["kind"], "通知");
    assert_eq!(d29["span"]["first_line"], 1690);
    assert_eq!(d29["span"]["last_line"], 3011);
    let tasks = d29["tasks"].as_array().unwrap();
    assert_eq!(tasks.len(), 146);
    assert_eq!(tasks[0]["no"], 1);
    assert_eq!(tasks[0]["leaders"][0], "王新伟");
    assert_eq!(tasks[0]["lead_units"][0]["name"], "市疫情防控办");
    assert!(tasks[0]["lead_units"][0]["unit"].is_string());
    assert!(tasks[0]["lead_units"][0]["group"].is_null());
    assert_eq!(tasks[0]["lead_units"][0]["open"], false);
    assert!(tasks[0]["clause"]
        .as_str()
        .unwrap()
        .ends_with("一、（一）1."));
    let d59 = docs
        .iter()
        .find(|d| d["doc_no"] == "郑政文〔2020〕59号")
        .unwrap();
    assert_eq!(d59["actions"].as_array().unwrap().len(), 18);
    assert_eq!(d59["actions"][0]["name"], "健康促进行动");
    for d in docs {
        for key in [
            "outline",
            "tasks",
            "actions",
            "indicators",
            "targets",
            "rosters",
            "commendations",
            "unresolved",
        ] {
            assert!(d[key].is_array(), "{key} is an array");
        }
    }
}

#[test]
fn text_output_summarises_counts_and_unresolved() {
    let seed = seed_path();
    let out = luoshi(&[
        "gazette",
        "parse",
        seed.to_str().unwrap(),
        "--format",
        "text",
    ]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("共 17 份文件"));
    assert!(text.contains("郑政办〔2020〕29号  2020-05-26  郑州市人民政府办公厅"));
    assert!(text.contains("任务 146"));
    assert!(text.contains("行动 18"));
    assert!(text.contains("未识别内容: 无"));
}

#[test]
fn invalid_utf8_is_refused_with_the_byte_offset_and_exit_2() {
    let mut bytes = "郑州市人民政府\n".as_bytes().to_vec();
    let offset = bytes.len();
    bytes.push(0xC3); // a lone lead byte
    bytes.extend_from_slice(b"\n");
    let path = temp_file("bad.txt", &bytes);
    let out = luoshi(&["gazette", "parse", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("E_UTF8"), "{err}");
    assert!(err.contains(&format!("第 {offset} 字节")), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn unreadable_file_exits_2() {
    let out = luoshi(&["gazette", "parse", "/nonexistent/gazette.txt"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("E_READ") && err.contains("无法读取文件"),
        "{err}"
    );
}

#[test]
fn another_city_brings_its_own_registry() {
    let registry = temp_file(
        "luoyang.toml",
        "city = \"洛阳市\"\n\n[[units]]\nid = \"dept.fgw\"\nname = \"洛阳市发展和改革委员会\"\nkind = \"department\"\naliases = [\"市发展改革委\"]\n"
            .as_bytes(),
    );
    let gazette = temp_file(
        "luoyang.txt",
        "洛阳市人民政府办公厅\n\n关于做好重点工作的通知\n\n洛政办〔2021〕3号 2021年2月1日\n\n各县（市、区）人民政府：\n\n1. 推进项目建设。\n\n责任领导：张三\n\n牵头单位：市发展改革委\n\n责任单位：市火星局\n"
            .as_bytes(),
    );
    let out = luoshi(&[
        "gazette",
        "parse",
        gazette.to_str().unwrap(),
        "--registry",
        registry.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let d = &v["documents"][0];
    assert_eq!(d["doc_no"], "洛政办〔2021〕3号");
    assert_eq!(d["tasks"][0]["lead_units"][0]["unit"], "dept.fgw");
    assert_eq!(d["unresolved"][0]["kind"], "unit");
    assert_eq!(d["unresolved"][0]["text"], "市火星局");

    let bad = temp_file("bad.toml", b"city = ");
    let out = luoshi(&[
        "gazette",
        "parse",
        gazette.to_str().unwrap(),
        "--registry",
        bad.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("E_REGISTRY_SYNTAX"));
}

#[test]
fn json_is_what_serde_writes_even_when_documents_are_read_and_written_in_parallel() {
    // Eight copies of the seed: above the size where documents are read on several threads.
    let seed = std::fs::read_to_string(seed_path()).unwrap();
    let mut big = String::new();
    for _ in 0..8 {
        big.push_str(&seed);
        if !big.ends_with('\n') {
            big.push('\n');
        }
    }
    let path = temp_file("eight.txt", big.as_bytes());
    let out = luoshi(&["gazette", "parse", path.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let expected = serde_json::to_string_pretty(&luoshi_gazette::parse(&big)).unwrap() + "\n";
    assert!(
        out.stdout == expected.as_bytes(),
        "JSON differs from serde_json's"
    );
    // A text with no document at all.
    let path = temp_file("none.txt", "只有一行。\n".as_bytes());
    let out = luoshi(&["gazette", "parse", path.to_str().unwrap()]);
    let expected =
        serde_json::to_string_pretty(&luoshi_gazette::parse("只有一行。\n")).unwrap() + "\n";
    assert_eq!(String::from_utf8_lossy(&out.stdout), expected);
}
