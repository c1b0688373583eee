//! Benchmark: one million generated youth-talent subsidy applicants (郑政办〔2020〕24号 第二条)
//! evaluated through the batch path, excluding I/O. Three figures are printed:
//!
//! 1. typed inputs → decisions (the rule itself);
//! 2. in-memory JSON Lines → parse → decision, with the batch reader (`talent_json`, what
//!    `--batch` does before writing), and again with the generic serde reader for comparison;
//! 3. in-memory JSON Lines → parse → decision → full JSON output record (citation, explanation,
//!    reasons, trace) into a reused buffer — the whole `--batch` path minus the read and write
//!    calls — as records per second and MB of output per second.
//!
//! Run: `cargo bench -p luoshi-rules --bench talent_batch` (release profile). Single thread.

use luoshi_rules::common::{parse_input, Date};
use luoshi_rules::talent::{subsidy, Degree, Purchaser, SubsidyInput, TalentParams};
use luoshi_rules::talent_json::parse_subsidy_input;
use luoshi_rules::{Engine, Params};
use std::hint::black_box;
use std::time::Instant;

const N: usize = 1_000_000;

/// Deterministic pseudo-random numbers (no dependency): a 64-bit LCG.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, bound: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % bound
    }
}

fn date(days_from_1970: u64) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap()
        + chrono::Duration::days(days_from_1970 as i64)
}

/// A realistic mix: mostly plausible applicants, a share failing one or more conditions.
fn generate(n: usize) -> Vec<SubsidyInput> {
    let mut r = Lcg(20200512);
    (0..n)
        .map(|_| {
            let degree = match r.next(10) {
                0 => Degree::Doctor,
                1..=5 => Degree::Master,
                _ => Degree::Bachelor,
            };
            let birth = 7300 + r.next(6000); // 1989 … 2006
            let graduation = 16800 + r.next(1800); // 2015-12 … 2020-11
            let settled = graduation + r.next(1400);
            let contract = 17000 + r.next(1500);
            let application = settled.max(contract).max(graduation) + 1 + r.next(300);
            SubsidyInput {
                degree,
                full_time: r.next(20) != 0,
                double_first_class: Some(r.next(4) != 0),
                birth_date: Date(date(birth)),
                graduation_date: Date(date(graduation)),
                settled_date: Date(date(settled)),
                contract_signed_date: Date(date(contract)),
                contract_filed: r.next(15) != 0,
                deed_tax_paid: r.next(15) != 0,
                first_home: r.next(12) != 0,
                application_date: Date(date(application)),
                purchaser: if r.next(5) == 0 {
                    Purchaser::Spouse
                } else {
                    Purchaser::Applicant
                },
                already_received: r.next(50) == 0,
                other_housing_benefit: r.next(40) == 0,
            }
        })
        .collect()
}

fn to_json_line(i: &SubsidyInput, out: &mut String) {
    use std::fmt::Write;
    let _ = writeln!(
        out,
        r#"{{"degree":"{}","full_time":{},"double_first_class":{},"birth_date":"{}","graduation_date":"{}","settled_date":"{}","contract_signed_date":"{}","contract_filed":{},"deed_tax_paid":{},"first_home":{},"application_date":"{}","purchaser":"{}","already_received":{},"other_housing_benefit":{}}}"#,
        i.degree.name(),
        i.full_time,
        i.double_first_class.unwrap_or(false),
        i.birth_date.0,
        i.graduation_date.0,
        i.settled_date.0,
        i.contract_signed_date.0,
        i.contract_filed,
        i.deed_tax_paid,
        i.first_home,
        i.application_date.0,
        if i.purchaser == Purchaser::Spouse {
            "配偶"
        } else {
            "本人"
        },
        i.already_received,
        i.other_housing_benefit
    );
}

fn report(label: &str, n: usize, seconds: f64, extra: &str) {
    println!(
        "{label:<44} {n} 条，用时 {seconds:.3} 秒，{:>12.0} 条/秒（单线程）{extra}",
        n as f64 / seconds
    );
}

fn main() {
    let params = TalentParams::default();
    let inputs = generate(N);
    let mut jsonl = String::with_capacity(N * 400);
    for i in &inputs {
        to_json_line(i, &mut jsonl);
    }
    println!(
        "生成 {} 名申请人，JSON Lines {:.1} MB",
        N,
        jsonl.len() as f64 / 1e6
    );

    // 1. Typed inputs → decisions.
    let start = Instant::now();
    let mut eligible = 0usize;
    for i in &inputs {
        let d = subsidy(black_box(i), &params).expect("generated inputs are valid");
        eligible += usize::from(d.eligible());
    }
    let typed = start.elapsed().as_secs_f64();
    report(
        "1 类型化输入 → 判断",
        N,
        typed,
        &format!("；符合条件 {eligible} 人"),
    );

    // 2. JSON Lines in memory → parse → decision: the batch reader, then serde for comparison.
    let start = Instant::now();
    let mut eligible2 = 0usize;
    for line in jsonl.lines() {
        let input = parse_subsidy_input(black_box(line)).expect("valid line");
        eligible2 += usize::from(subsidy(&input, &params).expect("valid").eligible());
    }
    let parsed = start.elapsed().as_secs_f64();
    assert_eq!(eligible, eligible2, "both paths decide alike");
    report("2 JSON 行解析（批量读取器）→ 判断", N, parsed, "");

    let start = Instant::now();
    let mut eligible2 = 0usize;
    for line in jsonl.lines() {
        let input: SubsidyInput = parse_input(black_box(line)).expect("valid line");
        eligible2 += usize::from(subsidy(&input, &params).expect("valid").eligible());
    }
    let parsed = start.elapsed().as_secs_f64();
    assert_eq!(eligible, eligible2, "both readers decide alike");
    report("2′ JSON 行解析（serde 通用读取）→ 判断", N, parsed, "");

    // 3. Full batch path minus I/O: Engine::evaluate writes the complete output record.
    let engine = Engine::new(
        luoshi_calendar::bundled().expect("bundled calendar"),
        Params::default(),
    );
    let mut out = Vec::with_capacity(1 << 20);
    let mut bytes = 0usize;
    let start = Instant::now();
    for line in jsonl.lines() {
        out.clear();
        engine
            .evaluate("talent-subsidy", black_box(line), &mut out, false)
            .expect("valid");
        out.push(b'\n');
        bytes += out.len();
    }
    let full = start.elapsed().as_secs_f64();
    report(
        "3 解析 → 判断 → 完整输出（含理由、说明、trace）",
        N,
        full,
        &format!(
            "；输出 {:.1} MB，{:.0} MB/秒，平均每条 {:.0} 字节",
            bytes as f64 / 1e6,
            bytes as f64 / 1e6 / full,
            bytes as f64 / N as f64
        ),
    );
}
