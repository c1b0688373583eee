//! 生成的申请人 (generated applicants) for 郑政办〔2020〕24号 第二条: a fixed-seed generator of
//! plausible youth-talent subsidy applicants, written as CSV or JSON Lines in the canonical field
//! order. The benchmarks of both Luoshi and the OpenFisca model in `bench/openfisca/` read the
//! same files, so both sides decide the same people.
//!
//! The mix: 10 % 博士, 50 % 硕士, 40 % 本科; born 1980–1998 (so some are over 35); graduated
//! mid-2016 to mid-2020 (some before 2017); settled up to about three and a half years after graduating (some
//! outside the three-year window); and a few percent failing each other condition.

use crate::common::{Date, Ymd};
use crate::talent::{Degree, Purchaser, SubsidyInput};
use chrono::NaiveDate;

/// The seed both benchmarks use (the date of 24号).
pub const SEED: u64 = 20200512;

/// The canonical field order (the documented order of `luoshi rules list --json`).
pub const FIELDS: [&str; 14] = [
    "degree",
    "full_time",
    "double_first_class",
    "birth_date",
    "graduation_date",
    "settled_date",
    "contract_signed_date",
    "contract_filed",
    "deed_tax_paid",
    "first_home",
    "application_date",
    "purchaser",
    "already_received",
    "other_housing_benefit",
];

/// Deterministic pseudo-random numbers (no dependency): a 64-bit LCG, high bits.
pub struct Lcg(pub u64);

impl Lcg {
    pub fn next(&mut self, bound: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % bound
    }
}

fn day(from: NaiveDate, days: u64) -> Date {
    Date(from + chrono::Duration::days(days as i64))
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid constant date")
}

/// `n` applicants from `seed`.
pub fn applicants(n: usize, seed: u64) -> Vec<SubsidyInput> {
    let mut r = Lcg(seed);
    (0..n)
        .map(|_| {
            let degree = match r.next(10) {
                0 => Degree::Doctor,
                1..=5 => Degree::Master,
                _ => Degree::Bachelor,
            };
            let birth = day(ymd(1980, 1, 1), r.next(6600));
            let graduation = day(ymd(2016, 6, 1), r.next(1500));
            let settled = day(graduation.0, r.next(1300));
            let contract = day(ymd(2016, 10, 1), r.next(1500));
            let latest = settled.0.max(contract.0);
            let application = day(latest, 1 + r.next(300));
            SubsidyInput {
                degree,
                full_time: r.next(20) != 0,
                double_first_class: (degree == Degree::Bachelor).then(|| r.next(4) != 0),
                birth_date: birth,
                graduation_date: graduation,
                settled_date: settled,
                contract_signed_date: contract,
                contract_filed: r.next(15) != 0,
                deed_tax_paid: r.next(15) != 0,
                first_home: r.next(12) != 0,
                application_date: application,
                purchaser: match r.next(50) {
                    0 => Purchaser::Other,
                    1..=10 => Purchaser::Spouse,
                    _ => Purchaser::Applicant,
                },
                already_received: r.next(50) == 0,
                other_housing_benefit: r.next(40) == 0,
            }
        })
        .collect()
}

fn purchaser_name(p: Purchaser) -> &'static str {
    match p {
        Purchaser::Applicant => "本人",
        Purchaser::Spouse => "配偶",
        Purchaser::Other => "其他",
    }
}

fn flag(b: bool) -> &'static str {
    if b {
        "true"
    } else {
        "false"
    }
}

/// The CSV header line.
pub fn csv_header(out: &mut Vec<u8>) {
    out.extend_from_slice(FIELDS.join(",").as_bytes());
    out.push(b'\n');
}

/// One CSV record in the canonical order (`double_first_class` empty when not given).
pub fn csv_line(i: &SubsidyInput, out: &mut Vec<u8>) {
    let dfc = i.double_first_class.map_or("", flag);
    let cells: [&[u8]; 14] = [
        i.degree.name().as_bytes(),
        flag(i.full_time).as_bytes(),
        dfc.as_bytes(),
        &Ymd(i.birth_date.0).bytes(),
        &Ymd(i.graduation_date.0).bytes(),
        &Ymd(i.settled_date.0).bytes(),
        &Ymd(i.contract_signed_date.0).bytes(),
        flag(i.contract_filed).as_bytes(),
        flag(i.deed_tax_paid).as_bytes(),
        flag(i.first_home).as_bytes(),
        &Ymd(i.application_date.0).bytes(),
        purchaser_name(i.purchaser).as_bytes(),
        flag(i.already_received).as_bytes(),
        flag(i.other_housing_benefit).as_bytes(),
    ];
    for (k, cell) in cells.iter().enumerate() {
        if k > 0 {
            out.push(b',');
        }
        out.extend_from_slice(cell);
    }
    out.push(b'\n');
}

/// One JSON line in the canonical order (`double_first_class` null when not given).
pub fn json_line(i: &SubsidyInput, out: &mut Vec<u8>) {
    use std::io::Write;
    let _ = writeln!(
        out,
        r#"{{"degree":"{}","full_time":{},"double_first_class":{},"birth_date":"{}","graduation_date":"{}","settled_date":"{}","contract_signed_date":"{}","contract_filed":{},"deed_tax_paid":{},"first_home":{},"application_date":"{}","purchaser":"{}","already_received":{},"other_housing_benefit":{}}}"#,
        i.degree.name(),
        i.full_time,
        i.double_first_class.map_or("null", flag),
        Ymd(i.birth_date.0),
        Ymd(i.graduation_date.0),
        Ymd(i.settled_date.0),
        Ymd(i.contract_signed_date.0),
        i.contract_filed,
        i.deed_tax_paid,
        i.first_home,
        Ymd(i.application_date.0),
        purchaser_name(i.purchaser),
        i.already_received,
        i.other_housing_benefit
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The field order is the documented one, and both writers produce input the rule reads back
    /// as the same applicant.
    #[test]
    fn written_lines_read_back_as_generated() {
        let rule = crate::find("talent-subsidy").unwrap();
        let documented: Vec<&str> = rule.input.iter().map(|f| f.name).collect();
        assert_eq!(documented, FIELDS);
        let people = applicants(500, SEED);
        let mut header = Vec::new();
        csv_header(&mut header);
        let header = crate::batch::CsvHeader::parse(rule, &header).unwrap();
        let mut cells = Vec::new();
        for p in &people {
            let mut line = Vec::new();
            json_line(p, &mut line);
            let text = std::str::from_utf8(&line).unwrap();
            assert_eq!(
                crate::common::parse_input::<SubsidyInput>(text).unwrap(),
                *p
            );
            line.clear();
            csv_line(p, &mut line);
            let json = header
                .row_to_json(crate::batch::trim_line_end(&line), &mut cells)
                .unwrap();
            assert_eq!(
                crate::common::parse_input::<SubsidyInput>(&json).unwrap(),
                *p
            );
        }
        // Every condition fails for someone, and most applicants are eligible.
        let params = crate::talent::TalentParams::default();
        let mut failed_any = 0u16;
        let mut eligible = 0;
        for p in applicants(20_000, SEED) {
            let d = crate::talent::subsidy(&p, &params).unwrap();
            failed_any |= d.failed;
            eligible += usize::from(d.eligible());
        }
        assert_eq!(failed_any.count_ones(), 12, "{failed_any:b}");
        assert!(eligible > 5_000 && eligible < 15_000, "{eligible}");
    }
}
