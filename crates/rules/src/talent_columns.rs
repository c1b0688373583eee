//! 人才补贴的列式批量路径 (columnar batch path for 郑政办〔2020〕24号 第二条): applicants read into
//! columns (struct of arrays), decided column by column in loops the compiler vectorizes, on
//! every core, and written as compact lines.
//!
//! The output is byte-identical to the row-by-row path ([`crate::batch::Batch::eval_line`]): the
//! compact line is written by the same [`write_compact`] from the same degree and bitmask of
//! failed conditions, and every line the columnar reader does not take as plain — anything
//! unusual, and every line with a data error — is handed to the row-by-row path whole, so its
//! value or error message is exactly that path's. A property test compares the two on generated
//! and mutated batches, under every parameter set.
//!
//! Dates are packed as `year << 9 | month << 5 | day`: packed dates compare like dates, full
//! years (周岁) are a shift, a mask and a compare, and “毕业3年内” is `+ 3 << 9` (with 29 February
//! falling back to the 28th, as chrono's month arithmetic does).

use crate::batch::{Counts, CsvHeader, InputFormat};
use crate::counting::Word;
use crate::talent::{write_compact, AgeMeasuredAt, Condition, Degree, TalentParams, CUTOFF_2017};
use chrono::Datelike;

/// Rows decided per block: the block's columns stay in the core's cache between the three steps.
pub const BLOCK_ROWS: usize = 8192;

const FULL_TIME: u16 = 1 << 0;
const DFC_KNOWN: u16 = 1 << 1;
const DFC: u16 = 1 << 2;
const FILED: u16 = 1 << 3;
const TAX: u16 = 1 << 4;
const FIRST_HOME: u16 = 1 << 5;
const PURCHASER_OTHER: u16 = 1 << 6;
const ALREADY: u16 = 1 << 7;
const OTHER_BENEFIT: u16 = 1 << 8;
/// The row goes to the row-by-row path (in `flags`: not read as plain; in `failed`: that, or a
/// data error the row path reports with its own message).
pub const ROW_PATH: u16 = 1 << 15;

/// A date packed as `year << 9 | month << 5 | day` (years 0–9999).
pub fn pack(y: u32, m: u32, d: u32) -> u32 {
    (y << 9) | (m << 5) | d
}

fn pack_date(d: chrono::NaiveDate) -> u32 {
    pack(d.year() as u32, d.month(), d.day())
}

const FEB_29: u32 = (2 << 5) | 29;

/// A block of applicants as columns. `flags` holds the booleans and the purchaser; a row with
/// `ROW_PATH` in its flags is a placeholder for a line the row path decides.
#[derive(Debug, Default, Clone)]
pub struct Columns {
    /// 0 本科, 1 硕士, 2 博士.
    pub degree: Vec<u8>,
    pub flags: Vec<u16>,
    pub birth: Vec<u32>,
    pub graduation: Vec<u32>,
    pub settled: Vec<u32>,
    pub contract: Vec<u32>,
    pub application: Vec<u32>,
    /// Where each row's line starts in the input, and where the last one ends.
    pub starts: Vec<usize>,
}

impl Columns {
    pub fn len(&self) -> usize {
        self.degree.len()
    }
    pub fn is_empty(&self) -> bool {
        self.degree.is_empty()
    }
    pub fn clear(&mut self) {
        self.degree.clear();
        self.flags.clear();
        self.birth.clear();
        self.graduation.clear();
        self.settled.clear();
        self.contract.clear();
        self.application.clear();
        self.starts.clear();
    }
    #[inline(always)]
    fn push(&mut self, row: &Row) {
        self.degree.push(row.degree);
        self.flags.push(row.flags);
        self.birth.push(row.dates[0]);
        self.graduation.push(row.dates[1]);
        self.settled.push(row.dates[2]);
        self.contract.push(row.dates[3]);
        self.application.push(row.dates[4]);
    }
    /// Add a prepared applicant (for benchmarks and tests).
    pub fn push_input(&mut self, i: &crate::talent::SubsidyInput) {
        let mut row = Row::default();
        row.set_input(i);
        self.push(&row);
    }
}

/// One applicant as the readers fill it: degree, flags, and the five dates in the order birth,
/// graduation, settlement, contract, application.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Row {
    degree: u8,
    flags: u16,
    dates: [u32; 5],
}

impl Row {
    fn set_input(&mut self, i: &crate::talent::SubsidyInput) {
        use crate::talent::Purchaser;
        self.degree = degree_code(i.degree);
        let mut f = 0;
        let mut set = |bit: u16, on: bool| {
            if on {
                f |= bit;
            }
        };
        set(FULL_TIME, i.full_time);
        set(DFC_KNOWN, i.double_first_class.is_some());
        set(DFC, i.double_first_class == Some(true));
        set(FILED, i.contract_filed);
        set(TAX, i.deed_tax_paid);
        set(FIRST_HOME, i.first_home);
        set(PURCHASER_OTHER, i.purchaser == Purchaser::Other);
        set(ALREADY, i.already_received);
        set(OTHER_BENEFIT, i.other_housing_benefit);
        self.flags = f;
        self.dates = [
            pack_date(i.birth_date.0),
            pack_date(i.graduation_date.0),
            pack_date(i.settled_date.0),
            pack_date(i.contract_signed_date.0),
            pack_date(i.application_date.0),
        ];
    }
}

fn degree_code(d: Degree) -> u8 {
    match d {
        Degree::Bachelor => 0,
        Degree::Master => 1,
        Degree::Doctor => 2,
    }
}

const DEGREES: [Degree; 3] = [Degree::Bachelor, Degree::Master, Degree::Doctor];

/// The loop-invariant numbers of the parameters.
#[derive(Clone, Copy)]
struct Limits {
    /// Age passes when `age < age_below` (35 + 1 when “以下” includes the number).
    age_below: i32,
    /// Graduation passes when `graduation >= graduation_from`.
    graduation_from: u32,
    /// Settlement passes when `settled < deadline + settle_slack` (1 when “以内” includes).
    settle_slack: u32,
    other_blocks: u16,
}

impl Limits {
    fn of(p: &TalentParams) -> Limits {
        Limits {
            age_below: p.age_limit.min(i32::MAX as u32 - 1) as i32
                + i32::from(p.counting.includes(Word::Below)),
            graduation_from: pack_date(CUTOFF_2017) + u32::from(!p.graduation_cutoff_inclusive),
            settle_slack: u32::from(p.counting.includes(Word::Within)),
            other_blocks: if p.other_benefit_blocks { u16::MAX } else { 0 },
        }
    }
}

fn bit(c: Condition, fails: bool) -> u16 {
    u16::from(fails) << (c as u16)
}

/// The kernel: the failed-condition mask of every row (`ROW_PATH` for rows the row path decides).
/// Branch-free on slices of one length, so the compiler vectorizes it.
#[inline(always)]
fn decide_kernel(cols: &Columns, at: &[u32], l: Limits, failed: &mut [u16]) {
    let n = cols.len();
    let (degree, flags) = (&cols.degree[..n], &cols.flags[..n]);
    let (birth, grad) = (&cols.birth[..n], &cols.graduation[..n]);
    let (settled, contract) = (&cols.settled[..n], &cols.contract[..n]);
    let (app, at, failed) = (&cols.application[..n], &at[..n], &mut failed[..n]);
    let cutoff = pack_date(CUTOFF_2017);
    for i in 0..n {
        let (f, d) = (flags[i], degree[i]);
        let (b, g, s, c, a, t) = (birth[i], grad[i], settled[i], contract[i], app[i], at[i]);
        let bachelor = d == 0;
        let age = ((t >> 9) as i32 - (b >> 9) as i32 - i32::from((t & 511) < (b & 511))).max(0);
        let deadline = g + (3 << 9) - u32::from((g & 511) == FEB_29);
        let invalid = (g <= b) | (g > a) | (s > a) | (c > a) | (bachelor & (f & DFC_KNOWN == 0));
        let mut m = bit(Condition::FullTime, f & FULL_TIME == 0)
            | bit(Condition::DoubleFirstClass, bachelor & (f & DFC == 0))
            | bit(Condition::Age, (d != 2) & (age >= l.age_below))
            | bit(Condition::GraduationDate, g < l.graduation_from)
            | bit(Condition::SettlementWindow, s >= deadline + l.settle_slack)
            | bit(Condition::ContractDate, c < cutoff)
            | bit(Condition::ContractFiled, f & FILED == 0)
            | bit(Condition::DeedTaxPaid, f & TAX == 0)
            | bit(Condition::FirstHome, f & FIRST_HOME == 0)
            | bit(Condition::Purchaser, f & PURCHASER_OTHER != 0)
            | bit(Condition::AlreadyReceived, f & ALREADY != 0)
            | (bit(Condition::OtherBenefit, f & OTHER_BENEFIT != 0) & l.other_blocks);
        m |= (f & ROW_PATH) | (u16::from(invalid) << 15);
        failed[i] = m;
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn decide_avx2(cols: &Columns, at: &[u32], l: Limits, failed: &mut [u16]) {
    decide_kernel(cols, at, l, failed)
}

/// Decide every row of `cols` into `failed` (resized to the row count): the bitmask of failed
/// conditions, with [`ROW_PATH`] set for rows the row-by-row path must decide.
pub fn decide(cols: &Columns, params: &TalentParams, failed: &mut Vec<u16>) {
    failed.clear();
    failed.resize(cols.len(), 0);
    let at = match params.age_measured_at {
        AgeMeasuredAt::ApplicationDate => &cols.application,
        AgeMeasuredAt::ContractSignedDate => &cols.contract,
        AgeMeasuredAt::SettledDate => &cols.settled,
    };
    let limits = Limits::of(params);
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU supports AVX2 (checked just above).
        unsafe { decide_avx2(cols, at, limits, failed) };
        return;
    }
    decide_kernel(cols, at, limits, failed)
}

// ------------------------------------------------------------------------------ readers

/// `YYYY-MM-DD` at the start of `b` as a packed date, if it is a real date (what
/// [`crate::common::parse_ymd`] accepts). The eight digits are checked and converted together,
/// eight bytes in one integer.
#[inline(always)]
fn date10(b: &[u8]) -> Option<u32> {
    date_at(b.get(..10)?.try_into().ok()?)
}

/// [`date10`] on exactly ten bytes: read as one eight-byte word and a two-byte one.
#[inline(always)]
fn date_at(b: &[u8; 10]) -> Option<u32> {
    let head = u64::from_le_bytes(b[..8].try_into().ok()?);
    let tail = u16::from_le_bytes(b[8..].try_into().ok()?);
    // `-` at bytes 4 and 7.
    const DASH_MASK: u64 = 0xFF00_00FF_0000_0000;
    const DASHES: u64 = 0x2D00_002D_0000_0000;
    if head & DASH_MASK != DASHES {
        return None;
    }
    // The eight digits in one word: the year's four, the month's two (bytes 5–6 moved down one
    // byte), the day's two.
    let w = (head & 0xFFFF_FFFF) | ((head >> 8) & 0x0000_FFFF_0000_0000) | (u64::from(tail) << 48);
    // Every byte '0'..='9': high nibble 3, and adding 6 leaves it 3.
    const HIGH: u64 = 0xF0F0_F0F0_F0F0_F0F0;
    if (w & HIGH) | ((w.wrapping_add(0x0606_0606_0606_0606) & HIGH) >> 4) != 0x3333_3333_3333_3333 {
        return None;
    }
    let x = w - 0x3030_3030_3030_3030;
    // Each 16-bit lane: first digit × 10 + second digit (YY, YY, MM, DD).
    let v = (x * 10 + (x >> 8)) & 0x00FF_00FF_00FF_00FF;
    let lane = |k: u32| ((v >> (16 * k)) & 0xFF) as u32;
    let (y, m, d) = (lane(0) * 100 + lane(1), lane(2), lane(3));
    const DAYS: [u32; 13] = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    if !(1..=12).contains(&m) || d == 0 {
        return None;
    }
    if d > DAYS[m as usize] {
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        if !(m == 2 && d == 29 && leap) {
            return None;
        }
    }
    Some(pack(y, m, d))
}

const BENKE: &[u8] = "本科".as_bytes();
const SHUOSHI: &[u8] = "硕士".as_bytes();
const BOSHI: &[u8] = "博士".as_bytes();
const BENREN: &[u8] = "本人".as_bytes();
const PEIOU: &[u8] = "配偶".as_bytes();
const QITA: &[u8] = "其他".as_bytes();

/// Six bytes (a two-ideograph word) as one integer, for comparing without a call to `memcmp`.
#[inline(always)]
fn word6(b: &[u8]) -> Option<u64> {
    let a: &[u8; 6] = b.try_into().ok()?;
    Some(u64::from_le_bytes([
        a[0], a[1], a[2], a[3], a[4], a[5], 0, 0,
    ]))
}

const fn word6_of(s: &[u8]) -> u64 {
    u64::from_le_bytes([s[0], s[1], s[2], s[3], s[4], s[5], 0, 0])
}

#[inline(always)]
fn degree_of(b: &[u8]) -> Option<u8> {
    const W_SHUOSHI: u64 = word6_of(SHUOSHI);
    const W_BENKE: u64 = word6_of(BENKE);
    const W_BOSHI: u64 = word6_of(BOSHI);
    match word6(b)? {
        W_SHUOSHI => Some(1),
        W_BENKE => Some(0),
        W_BOSHI => Some(2),
        _ => None,
    }
}

/// 本人 → 0, 配偶 → 0 (both pass), 其他 → `PURCHASER_OTHER`.
#[inline(always)]
fn purchaser_of(b: &[u8]) -> Option<u16> {
    const W_BENREN: u64 = word6_of(BENREN);
    const W_PEIOU: u64 = word6_of(PEIOU);
    const W_QITA: u64 = word6_of(QITA);
    match word6(b)? {
        W_BENREN | W_PEIOU => Some(0),
        W_QITA => Some(PURCHASER_OTHER),
        _ => None,
    }
}

/// `true` or `false` at `b[at..]`, and its length (four bytes compared at once).
#[inline(always)]
fn bool_at(b: &[u8], at: usize) -> Option<(bool, usize)> {
    const TRUE: u32 = u32::from_le_bytes(*b"true");
    const FALS: u32 = u32::from_le_bytes(*b"fals");
    let w = u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?);
    if w == TRUE {
        Some((true, 4))
    } else if w == FALS && b.get(at + 4) == Some(&b'e') {
        Some((false, 5))
    } else {
        None
    }
}

/// A cursor over the compact canonical JSON form written by `luoshi rules` tools: the fields in
/// the documented order, no whitespace. Anything else is left to the general readers.
struct Template<'a> {
    b: &'a [u8],
    at: usize,
}

impl Template<'_> {
    fn lit(&mut self, s: &[u8]) -> Option<()> {
        if self.b.get(self.at..self.at + s.len())? == s {
            self.at += s.len();
            Some(())
        } else {
            None
        }
    }
    fn boolean(&mut self) -> Option<bool> {
        let (value, len) = bool_at(self.b, self.at)?;
        self.at += len;
        Some(value)
    }
    fn date(&mut self) -> Option<u32> {
        self.lit(b"\"")?;
        let d = date10(self.b.get(self.at..)?)?;
        self.at += 10;
        self.lit(b"\"")?;
        Some(d)
    }
    /// A six-byte (two-ideograph) string.
    fn word(&mut self) -> Option<&[u8]> {
        self.lit(b"\"")?;
        let w = self.b.get(self.at..self.at + 6)?;
        self.at += 6;
        self.lit(b"\"")?;
        Some(w)
    }
    fn flag(&mut self, key: &[u8], bit: u16, flags: &mut u16) -> Option<()> {
        self.lit(key)?;
        if self.boolean()? {
            *flags |= bit;
        }
        Some(())
    }
}

/// Read one JSON line in canonical form. `b` starts at the line; returns the row and the length
/// of the line's content (without the line break).
fn read_json_template(b: &[u8]) -> Option<(Row, usize)> {
    let mut t = Template { b, at: 0 };
    let mut row = Row::default();
    t.lit(br#"{"degree":"#)?;
    row.degree = degree_of(t.word()?)?;
    t.flag(br#","full_time":"#, FULL_TIME, &mut row.flags)?;
    t.lit(br#","double_first_class":"#)?;
    if t.lit(b"null").is_none() {
        row.flags |= DFC_KNOWN;
        if t.boolean()? {
            row.flags |= DFC;
        }
    }
    t.lit(br#","birth_date":"#)?;
    row.dates[0] = t.date()?;
    t.lit(br#","graduation_date":"#)?;
    row.dates[1] = t.date()?;
    t.lit(br#","settled_date":"#)?;
    row.dates[2] = t.date()?;
    t.lit(br#","contract_signed_date":"#)?;
    row.dates[3] = t.date()?;
    t.flag(br#","contract_filed":"#, FILED, &mut row.flags)?;
    t.flag(br#","deed_tax_paid":"#, TAX, &mut row.flags)?;
    t.flag(br#","first_home":"#, FIRST_HOME, &mut row.flags)?;
    t.lit(br#","application_date":"#)?;
    row.dates[4] = t.date()?;
    t.lit(br#","purchaser":"#)?;
    row.flags |= purchaser_of(t.word()?)?;
    t.flag(br#","already_received":"#, ALREADY, &mut row.flags)?;
    t.flag(
        br#","other_housing_benefit":"#,
        OTHER_BENEFIT,
        &mut row.flags,
    )?;
    t.lit(b"}")?;
    let end = t.at;
    match b.get(end) {
        None | Some(b'\n') => Some((row, end)),
        Some(b'\r') if matches!(b.get(end + 1), None | Some(b'\n')) => Some((row, end)),
        _ => None,
    }
}

/// Read one CSV line whose columns are in the canonical order (`talent_gen::FIELDS`, what
/// `luoshi rules generate` writes): straight-line, no per-column dispatch, words and booleans
/// compared as integers.
#[inline(always)]
fn read_csv_canonical(b: &[u8]) -> Option<(Row, usize)> {
    let mut row = Row::default();
    let mut flags = 0;
    // The position after the comma at `at`.
    let comma = |at: usize| (b.get(at) == Some(&b',')).then_some(at + 1);
    let is_end = |at: usize| matches!(b.get(at), None | Some(b',' | b'\n' | b'\r'));
    row.degree = degree_of(b.get(..6)?)?;
    let mut at = comma(6)?;
    let (full_time, n) = bool_at(b, at)?;
    flags |= if full_time { FULL_TIME } else { 0 };
    at = comma(at + n)?;
    if !is_end(at) {
        let (dfc, n) = bool_at(b, at)?;
        flags |= DFC_KNOWN | if dfc { DFC } else { 0 };
        at += n;
    }
    // The four dates that follow, each after its comma, are read from one 44-byte window.
    let dates: &[u8; 44] = b.get(at..at + 44)?.try_into().ok()?;
    for (slot, field) in dates.chunks_exact(11).enumerate() {
        let (sep, date) = field.split_first()?;
        if *sep != b',' {
            return None;
        }
        row.dates[slot] = date_at(date.try_into().ok()?)?;
    }
    at += 44;
    for bit in [FILED, TAX, FIRST_HOME] {
        at = comma(at)?;
        let (on, n) = bool_at(b, at)?;
        flags |= if on { bit } else { 0 };
        at += n;
    }
    at = comma(at)?;
    row.dates[4] = date10(b.get(at..)?)?;
    at = comma(at + 10)?;
    if !is_end(at) {
        flags |= purchaser_of(b.get(at..at + 6)?)?;
        at += 6;
    }
    for bit in [ALREADY, OTHER_BENEFIT] {
        at = comma(at)?;
        if !is_end(at) {
            let (on, n) = bool_at(b, at)?;
            flags |= if on { bit } else { 0 };
            at += n;
        }
    }
    row.flags = flags;
    match b.get(at) {
        None | Some(b'\n') => Some((row, at)),
        Some(b'\r') if matches!(b.get(at + 1), None | Some(b'\n')) => Some((row, at)),
        _ => None,
    }
}

/// What a CSV column holds, for the plain reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    Degree,
    /// A required boolean, into this flag.
    Flag(u16),
    /// An optional boolean (empty = false), into this flag.
    OptFlag(u16),
    DoubleFirstClass,
    /// A date, into this slot of `Row::dates`.
    Date(usize),
    Purchaser,
}

/// The plain CSV reader for one header: `None` when the header lacks a required field (every row
/// then goes to the row path, which reports the missing field).
fn csv_columns(header: &CsvHeader) -> Option<Vec<Col>> {
    let cols: Vec<Col> = header
        .fields
        .iter()
        .map(|f| match f.name {
            "degree" => Col::Degree,
            "full_time" => Col::Flag(FULL_TIME),
            "double_first_class" => Col::DoubleFirstClass,
            "birth_date" => Col::Date(0),
            "graduation_date" => Col::Date(1),
            "settled_date" => Col::Date(2),
            "contract_signed_date" => Col::Date(3),
            "contract_filed" => Col::Flag(FILED),
            "deed_tax_paid" => Col::Flag(TAX),
            "first_home" => Col::Flag(FIRST_HOME),
            "application_date" => Col::Date(4),
            "purchaser" => Col::Purchaser,
            "already_received" => Col::OptFlag(ALREADY),
            "other_housing_benefit" => Col::OptFlag(OTHER_BENEFIT),
            other => unreachable!("CsvHeader only names talent-subsidy fields, not {other}"),
        })
        .collect();
    let has = |c: Col| cols.contains(&c);
    let required = [
        Col::Degree,
        Col::Flag(FULL_TIME),
        Col::Flag(FILED),
        Col::Flag(TAX),
        Col::Flag(FIRST_HOME),
    ];
    (required.into_iter().all(has) && (0..5).all(|i| has(Col::Date(i)))).then_some(cols)
}

/// Read one CSV line of plain cells (no quotes; exact values), each cell parsed in place by its
/// column's kind. Returns the row and the length of the line's content.
fn read_csv_plain(b: &[u8], cols: &[Col]) -> Option<(Row, usize)> {
    let mut row = Row::default();
    let mut at = 0;
    let is_end = |c: Option<&u8>| matches!(c, None | Some(b',' | b'\n' | b'\r'));
    for (k, col) in cols.iter().enumerate() {
        let empty = is_end(b.get(at));
        match *col {
            Col::Degree => {
                row.degree = degree_of(b.get(at..at + 6)?)?;
                at += 6;
            }
            Col::Flag(_) if empty => return None,
            Col::OptFlag(_) | Col::DoubleFirstClass if empty => {}
            Col::Flag(bit) | Col::OptFlag(bit) => {
                let (value, len) = bool_at(b, at)?;
                at += len;
                if value {
                    row.flags |= bit;
                }
            }
            Col::DoubleFirstClass => {
                let (value, len) = bool_at(b, at)?;
                at += len;
                row.flags |= if value { DFC_KNOWN | DFC } else { DFC_KNOWN };
            }
            Col::Date(slot) => {
                row.dates[slot] = date10(b.get(at..)?)?;
                at += 10;
            }
            Col::Purchaser if empty => {}
            Col::Purchaser => {
                row.flags |= purchaser_of(b.get(at..at + 6)?)?;
                at += 6;
            }
        }
        let last = k + 1 == cols.len();
        match (b.get(at), last) {
            (Some(b','), false) => at += 1,
            (None | Some(b'\n'), true) => {}
            (Some(b'\r'), true) if matches!(b.get(at + 1), None | Some(b'\n')) => {}
            _ => return None,
        }
    }
    Some((row, at))
}

/// How a part of the input is read.
#[derive(Clone, Copy)]
enum Reader<'h> {
    Json,
    /// CSV in the canonical column order.
    CsvCanonical,
    Csv(&'h [Col]),
    /// Every row to the row path.
    RowPath,
}

/// The reader for a format and (CSV) header.
fn reader_for<'h>(
    format: InputFormat,
    header: Option<&CsvHeader>,
    csv_cols: Option<&'h [Col]>,
) -> Reader<'h> {
    let canonical = header.is_some_and(|h| {
        h.fields.len() == crate::talent_gen::FIELDS.len()
            && h.fields
                .iter()
                .zip(crate::talent_gen::FIELDS)
                .all(|(f, n)| f.name == n)
    });
    match (format, csv_cols) {
        (InputFormat::JsonLines, _) => Reader::Json,
        (InputFormat::Csv, Some(_)) if canonical => Reader::CsvCanonical,
        (InputFormat::Csv, Some(c)) => Reader::Csv(c),
        (InputFormat::Csv, None) => Reader::RowPath,
    }
}

/// Read up to `max` rows from `input[*pos..]` into `cols`.
fn read_block(input: &[u8], pos: &mut usize, reader: Reader<'_>, cols: &mut Columns, max: usize) {
    cols.clear();
    while *pos < input.len() && cols.len() < max {
        let line = &input[*pos..];
        cols.starts.push(*pos);
        let plain = match reader {
            Reader::Json => read_json_template(line).or_else(|| read_json_general(line)),
            Reader::CsvCanonical => read_csv_canonical(line),
            Reader::Csv(c) => read_csv_plain(line, c),
            Reader::RowPath => None,
        };
        let next = match plain {
            Some((row, len)) => {
                cols.push(&row);
                let mut end = *pos + len;
                if input.get(end) == Some(&b'\r') {
                    end += 1;
                }
                end + 1
            }
            None => {
                cols.push(&Row {
                    flags: ROW_PATH,
                    ..Row::default()
                });
                memchr::memchr(b'\n', line).map_or(input.len(), |i| *pos + i + 1)
            }
        };
        *pos = next.min(input.len());
    }
    cols.starts.push(*pos);
}

/// Read every line of `input` (JSON Lines, or CSV records after `header`) into `cols` — the
/// reading step of the columnar path on its own, for benchmarks.
pub fn read_columns(
    input: &[u8],
    format: InputFormat,
    header: Option<&CsvHeader>,
    cols: &mut Columns,
) {
    let csv_cols = header.and_then(csv_columns);
    let reader = reader_for(format, header, csv_cols.as_deref());
    let mut pos = 0;
    read_block(input, &mut pos, reader, cols, usize::MAX);
}

/// Any other plain JSON line, through the strict reader of [`crate::talent_json`].
fn read_json_general(line: &[u8]) -> Option<(Row, usize)> {
    let len = memchr::memchr(b'\n', line).unwrap_or(line.len());
    let text = std::str::from_utf8(crate::batch::trim_line_end(&line[..len])).ok()?;
    let input = crate::talent_json::read_plain(text)?;
    let mut row = Row::default();
    row.set_input(&input);
    // `len` excludes the line break; a `\r` before it is skipped by the caller.
    let content = if line[..len].ends_with(b"\r") {
        len - 1
    } else {
        len
    };
    Some((row, content))
}

/// The row-by-row path for one line: appends the decision or error record and a line break,
/// returns whether the line was decided.
pub type RowPath<'a> = dyn Fn(&[u8], u64, &mut Vec<u8>) -> bool + Sync + 'a;

/// Decide one part of the input block by block, appending compact lines to `out`. `base` gives
/// the line number of the part's first line when the row path needs one (computed on first use).
fn eval_part(
    part: &[u8],
    reader: Reader<'_>,
    params: &TalentParams,
    base: &dyn Fn() -> u64,
    row_path: &RowPath<'_>,
    out: &mut Vec<u8>,
    scratch: &mut Scratch,
) -> Counts {
    let Scratch {
        cols,
        failed,
        lines,
    } = scratch;
    let mut counts = Counts::default();
    let mut pos = 0;
    let mut first: Option<u64> = None;
    while pos < part.len() {
        read_block(part, &mut pos, reader, cols, BLOCK_ROWS);
        decide(cols, params, failed);
        for (i, (&m, &d)) in failed.iter().zip(&cols.degree).enumerate() {
            if m & ROW_PATH == 0 {
                lines.write(d, m, out);
                counts.ok += 1;
            } else {
                let line_no = *first.get_or_insert_with(base) + counts.lines;
                let line = &part[cols.starts[i]..cols.starts[i + 1]];
                if row_path(line, line_no, out) {
                    counts.ok += 1;
                } else {
                    counts.bad += 1;
                }
            }
            counts.lines += 1;
        }
    }
    counts
}

/// What one thread of the columnar path keeps from chunk to chunk, so that nothing is allocated
/// (and no fresh memory touched) per chunk: the block's columns, the masks of failed conditions,
/// and the compact lines already written.
#[derive(Default)]
pub struct Scratch {
    cols: Columns,
    failed: Vec<u16>,
    lines: LineCache,
}

/// Each compact line (with its line break) written once by [`write_compact`] and then copied:
/// the line depends only on the mask of failed conditions, and on the degree when none failed.
/// A line of up to [`COPY`] bytes is kept padded to that size and copied whole, a copy of one
/// fixed size (a few vector moves) rather than a call to `memcpy` sized line by line.
struct LineCache {
    /// The line of each slot, padded with zeros to at least [`COPY`] bytes (empty until written).
    lines: Vec<Vec<u8>>,
    /// The length of each slot's line.
    lens: Vec<usize>,
}

/// Masks of failed conditions below this have a slot (every condition's bit is below it).
const MASKS: usize = 1 << crate::talent::CONDITIONS.len();

/// Lines this long or shorter are copied as one block of this size (most compact lines: one
/// failed condition with its clause is about 100 bytes).
const COPY: usize = 128;

impl Default for LineCache {
    fn default() -> Self {
        let slots = MASKS + DEGREES.len();
        LineCache {
            lines: vec![Vec::new(); slots],
            lens: vec![0; slots],
        }
    }
}

impl LineCache {
    /// Append the compact line of a decision and a line break to `out`.
    #[inline(always)]
    fn write(&mut self, degree: u8, failed: u16, out: &mut Vec<u8>) {
        let degree_code = usize::from(degree).min(DEGREES.len() - 1);
        let slot = if failed == 0 {
            MASKS + degree_code
        } else {
            usize::from(failed)
        };
        let (Some(line), Some(len)) = (self.lines.get_mut(slot), self.lens.get_mut(slot)) else {
            write_compact(DEGREES[degree_code], failed, out);
            out.push(b'\n');
            return;
        };
        if line.is_empty() {
            write_compact(DEGREES[degree_code], failed, line);
            line.push(b'\n');
            *len = line.len();
            line.resize(line.len().max(COPY), 0);
        }
        match line.first_chunk::<COPY>() {
            Some(block) if *len <= COPY => append_prefix(out, block, *len),
            _ => out.extend_from_slice(&line[..*len]),
        }
    }
}

/// Append the first `len` bytes of `block` to `out` by copying the whole block into `out`'s
/// spare room (`len` ≤ [`COPY`]).
#[inline(always)]
fn append_prefix(out: &mut Vec<u8>, block: &[u8; COPY], len: usize) {
    let len = len.min(COPY);
    out.reserve(COPY);
    for (to, &from) in out.spare_capacity_mut()[..COPY].iter_mut().zip(block) {
        to.write(from);
    }
    // SAFETY: the first `len` (≤ COPY) bytes of the spare room were written just above.
    unsafe { out.set_len(out.len() + len) };
}

/// Below this many bytes one thread does the whole chunk.
const PARALLEL_MIN_BYTES: usize = 1 << 18;

/// Bytes of input per piece: the threads take pieces one after another until none is left, so
/// a thread the writer or another process holds up does fewer of them and no core waits long
/// for the slowest at the end of a chunk (a piece is about 600 lines, some 50 µs of work).
const PIECE_BYTES: usize = 1 << 16;

/// Decide a chunk of whole `talent-subsidy` lines (JSON Lines, or CSV records after the header)
/// on every core, writing one compact line per input line into `outs`: one buffer per piece of
/// the chunk, in input order (the buffers are cleared and reused, so a caller that keeps them
/// allocates once). `first_line` is the line number of the chunk's first line (for error records).
/// `scratch` holds each thread's working memory, kept by the caller from chunk to chunk.
#[allow(clippy::too_many_arguments)]
pub fn eval_compact(
    params: &TalentParams,
    format: InputFormat,
    header: Option<&CsvHeader>,
    chunk: &[u8],
    first_line: u64,
    outs: &mut Vec<Vec<u8>>,
    scratch: &mut Vec<Scratch>,
    row_path: &RowPath<'_>,
) -> Counts {
    let threads = if chunk.len() < PARALLEL_MIN_BYTES {
        1
    } else {
        std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .clamp(1, 16)
    };
    eval_compact_on(
        params,
        format,
        header,
        chunk,
        first_line,
        outs,
        scratch,
        row_path,
        threads,
        PIECE_BYTES,
    )
}

/// [`eval_compact`] on `threads` threads: the chunk cut into pieces of about `piece_bytes` (at
/// least one per thread), which the threads take in turn.
#[allow(clippy::too_many_arguments)]
pub fn eval_compact_on(
    params: &TalentParams,
    format: InputFormat,
    header: Option<&CsvHeader>,
    chunk: &[u8],
    first_line: u64,
    outs: &mut Vec<Vec<u8>>,
    scratch: &mut Vec<Scratch>,
    row_path: &RowPath<'_>,
    threads: usize,
    piece_bytes: usize,
) -> Counts {
    let threads = threads.max(1);
    let csv_cols = header.and_then(csv_columns);
    let reader = reader_for(format, header, csv_cols.as_deref());
    let pieces = if threads == 1 {
        1
    } else {
        (chunk.len() / piece_bytes.max(1)).max(threads)
    };
    let parts = split_lines(chunk, pieces);
    outs.resize_with(parts.len(), Vec::new);
    outs.truncate(parts.len());
    let threads = threads.min(parts.len());
    if scratch.len() < threads {
        scratch.resize_with(threads, Scratch::default);
    }
    for (out, part) in outs.iter_mut().zip(&parts) {
        out.clear();
        // A compact line is about as long as a CSV line: room for the part's lines up front, so
        // the buffer is not grown (and copied) while it is written.
        out.reserve(part.len() + part.len() / 2);
    }
    // The line number of piece k's first line, counted only when its row path needs one; each
    // piece's lines are counted at most once, however many later pieces need them.
    let piece_lines: Vec<std::sync::OnceLock<usize>> =
        parts.iter().map(|_| Default::default()).collect();
    let counted_base = |k: usize| -> u64 {
        let before: usize = parts[..k]
            .iter()
            .zip(&piece_lines)
            .map(|(p, n)| *n.get_or_init(|| memchr::memchr_iter(b'\n', p).count()))
            .sum();
        first_line + before as u64
    };
    let queue = std::sync::Mutex::new(parts.iter().zip(outs.iter_mut()).enumerate());
    // One thread's share: pieces taken from the queue until it is empty.
    let work = |scratch: &mut Scratch| {
        let mut counts = Counts::default();
        loop {
            // A poisoned lock only means another thread panicked; the queue itself is whole.
            let next = queue.lock().unwrap_or_else(|e| e.into_inner()).next();
            let Some((k, (part, out))) = next else {
                return counts;
            };
            let base = || counted_base(k);
            let c = eval_part(part, reader, params, &base, row_path, out, scratch);
            add(&mut counts, c);
        }
    };
    let (mine, others) = scratch.split_first_mut().expect("at least one thread");
    if threads == 1 {
        return work(mine);
    }
    std::thread::scope(|s| {
        let handles: Vec<_> = others[..threads - 1]
            .iter_mut()
            .map(|scratch| s.spawn(|| work(scratch)))
            .collect();
        // The calling thread takes its share meanwhile.
        let mut all = work(mine);
        for h in handles {
            add(&mut all, h.join().expect("a batch worker does not panic"));
        }
        all
    })
}

fn add(total: &mut Counts, c: Counts) {
    total.lines += c.lines;
    total.ok += c.ok;
    total.bad += c.bad;
}

/// Split `chunk` into at most `n` parts of whole lines, of about equal size (one per thread).
pub fn split_lines(chunk: &[u8], n: usize) -> Vec<&[u8]> {
    let mut parts = Vec::with_capacity(n);
    let mut start = 0;
    for k in 1..n {
        let target = (chunk.len() * k / n).max(start);
        if target >= chunk.len() {
            break;
        }
        let end = memchr::memchr(b'\n', &chunk[target..]).map_or(chunk.len(), |i| target + i + 1);
        if end > start {
            parts.push(&chunk[start..end]);
            start = end;
        }
    }
    if start < chunk.len() || parts.is_empty() {
        parts.push(&chunk[start..]);
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::{Batch, InputFormat};
    use crate::common::Date;
    use crate::counting::Reading;
    use crate::talent::{Purchaser, SubsidyInput};
    use crate::talent_gen::{applicants, Lcg, FIELDS};
    use crate::{Engine, Params, Style};
    use chrono::NaiveDate;
    use proptest::prelude::*;

    fn nd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// Move an applicant onto a threshold, or make it invalid, as `r` decides.
    fn tweak(i: &mut SubsidyInput, r: &mut Lcg) {
        let app = i.application_date.0;
        let shift = |d: NaiveDate, days: i64| d + chrono::Duration::days(days);
        match r.next(16) {
            0 => {
                // Exactly 34, 35 or 36 at the application date, or a day either side.
                let age = 34 + r.next(3) as i32;
                let b = nd(app.year() - age, app.month(), app.day().min(28));
                i.birth_date = Date(shift(b, r.next(3) as i64 - 1));
            }
            1 => i.graduation_date = Date(shift(nd(2017, 1, 1), r.next(3) as i64 - 1)),
            2 => {
                let deadline = i.graduation_date.0 + chrono::Months::new(36);
                i.settled_date = Date(shift(deadline, r.next(3) as i64 - 1));
                i.application_date = Date(i.settled_date.0.max(app) + chrono::Duration::days(1));
            }
            3 => {
                i.graduation_date = Date(nd(2016, 2, 29));
                i.settled_date = Date(nd(2019, 2, 27 + r.next(3) as u32 % 2));
                i.birth_date = Date(nd(1992, 2, 29));
            }
            4 => i.contract_signed_date = Date(shift(nd(2017, 1, 1), r.next(3) as i64 - 1)),
            5 => i.contract_signed_date = Date(shift(app, 1)), // after application: error
            6 => i.graduation_date = i.birth_date,             // not after birth: error
            7 => i.double_first_class = None,                  // 本科 without the flag: error
            8 => i.purchaser = Purchaser::Other,
            9 => i.birth_date = Date(nd(0, 1, 1)),
            _ => {}
        }
    }

    /// The cells of an applicant by field name, as JSON values.
    fn cells(i: &SubsidyInput) -> Vec<(&'static str, serde_json::Value)> {
        let mut line = Vec::new();
        crate::talent_gen::json_line(i, &mut line);
        let v: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(&line).unwrap();
        FIELDS.iter().map(|f| (*f, v[*f].clone())).collect()
    }

    fn csv_cell(v: &serde_json::Value) -> String {
        match v {
            serde_json::Value::Null => String::new(),
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        }
    }

    /// Damage a line the way real files are damaged.
    fn mutate(line: &mut Vec<u8>, r: &mut Lcg) {
        let at = r.next(line.len() as u64 + 1) as usize;
        match r.next(8) {
            0 => {
                line.insert(
                    at.min(line.len()),
                    b"{}[],:\" 0tn\r\x01\xe4"[r.next(14) as usize],
                );
            }
            1 if !line.is_empty() => {
                line.remove(at.min(line.len() - 1));
            }
            2 => line.clear(),
            3 => line.extend_from_slice(b"\r"),
            4 => {
                *line = String::from_utf8_lossy(line)
                    .replacen("true", "1", 1)
                    .into_bytes()
            }
            5 => {
                *line = String::from_utf8_lossy(line)
                    .replacen("硕士", "大专", 1)
                    .into_bytes()
            }
            6 => {
                *line = String::from_utf8_lossy(line)
                    .replacen(",", ", ", 2)
                    .into_bytes()
            }
            _ => {
                *line = String::from_utf8_lossy(line)
                    .replacen("-0", "-1", 1)
                    .into_bytes()
            }
        }
    }

    /// A batch text in `format` (CSV: a header of `order`) from `seed`.
    fn batch_text(seed: u64, n: usize, format: InputFormat, order: &[usize]) -> Vec<u8> {
        let mut r = Lcg(seed ^ 0x5eed);
        let mut people = applicants(n, seed);
        let mut text = Vec::new();
        if format == InputFormat::Csv {
            let names: Vec<&str> = order.iter().map(|&k| FIELDS[k]).collect();
            text.extend_from_slice(names.join(",").as_bytes());
            text.push(b'\n');
        }
        for p in &mut people {
            if r.next(3) == 0 {
                tweak(p, &mut r);
            }
            let c = cells(p);
            let mut line = match format {
                InputFormat::JsonLines if r.next(5) == 0 => {
                    // Another field order, or an optional field left out.
                    let mut m = serde_json::Map::new();
                    for &k in order.iter().rev() {
                        if !(k >= 11 && r.next(2) == 0) {
                            m.insert(c[k].0.to_string(), c[k].1.clone());
                        }
                    }
                    serde_json::Value::Object(m).to_string().into_bytes()
                }
                InputFormat::JsonLines => {
                    let mut l = Vec::new();
                    crate::talent_gen::json_line(p, &mut l);
                    l.pop();
                    l
                }
                InputFormat::Csv => order
                    .iter()
                    .map(|&k| csv_cell(&c[k].1))
                    .collect::<Vec<_>>()
                    .join(",")
                    .into_bytes(),
            };
            if r.next(12) == 0 {
                mutate(&mut line, &mut r);
            }
            text.extend_from_slice(&line);
            if r.next(9) == 0 {
                text.extend_from_slice(b"\r");
            }
            text.push(b'\n');
        }
        if r.next(2) == 0 {
            text.pop(); // no line break after the last line
        }
        text
    }

    fn params_from(bits: u64, age_limit: u32) -> Params {
        let mut p = Params::default();
        p.talent.counting = if bits & 1 == 0 {
            Reading::CivilCode
        } else {
            Reading::BelowExclusive
        };
        p.talent.age_limit = age_limit;
        p.talent.age_measured_at = match (bits >> 1) % 3 {
            0 => AgeMeasuredAt::ApplicationDate,
            1 => AgeMeasuredAt::ContractSignedDate,
            _ => AgeMeasuredAt::SettledDate,
        };
        p.talent.graduation_cutoff_inclusive = bits & 8 == 0;
        p.talent.other_benefit_blocks = bits & 16 == 0;
        p
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        /// The columnar path writes exactly the bytes of the row-by-row path — decisions, error
        /// records and line numbers — for generated, boundary, invalid and damaged lines, in both
        /// formats, any CSV column order, every parameter set, on one to three threads, and when
        /// the input arrives in two chunks.
        #[test]
        fn columnar_is_byte_identical_to_row_by_row(
            seed in any::<u64>(),
            n in 1usize..400,
            csv in any::<bool>(),
            order_seed in any::<u64>(),
            drop_column in 0usize..20,
            bits in 0u64..32,
            age_limit in prop_oneof![Just(35u32), Just(0), Just(34), Just(36), Just(u32::MAX)],
            threads in 1usize..4,
            piece_bytes in 100usize..5000,
            cut in 0usize..1000,
        ) {
            let format = if csv { InputFormat::Csv } else { InputFormat::JsonLines };
            let mut order: Vec<usize> = (0..FIELDS.len()).collect();
            let mut r = Lcg(order_seed);
            // A third of the batches keep the canonical column order (its own fast reader).
            if order_seed % 3 != 0 {
                for k in (1..order.len()).rev() {
                    order.swap(k, r.next(k as u64 + 1) as usize);
                }
            }
            if drop_column < FIELDS.len() && csv {
                order.remove(drop_column);
            }
            let text = batch_text(seed, n, format, &order);
            let engine = Engine::new(luoshi_calendar::bundled().unwrap(), params_from(bits, age_limit));

            let mut rows = Batch::new(&engine, "talent-subsidy", format, Style::Compact).unwrap().row_by_row();
            let mut expected = Vec::new();
            rows.feed(&text, &mut expected).unwrap();

            // The columnar path through Batch (one call), and directly on `threads` threads in
            // two chunks cut at a line boundary, each in pieces of about `piece_bytes`.
            let mut columnar = Batch::new(&engine, "talent-subsidy", format, Style::Compact).unwrap();
            prop_assert!(columnar.is_columnar());
            let mut got = Vec::new();
            columnar.feed(&text, &mut got).unwrap();
            prop_assert_eq!(String::from_utf8_lossy(&got), String::from_utf8_lossy(&expected));
            prop_assert_eq!(columnar.counts(), rows.counts());

            let header_end = if csv { text.iter().position(|&b| b == b'\n').map_or(text.len(), |i| i + 1) } else { 0 };
            let header = if csv {
                match crate::batch::CsvHeader::parse(crate::find("talent-subsidy").unwrap(), &text[..header_end]) {
                    Ok(h) => Some(h),
                    Err(_) => return Ok(()),
                }
            } else {
                None
            };
            let body = &text[header_end..];
            let split = body[..cut * body.len() / 1000].iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
            let row_path = |line: &[u8], no: u64, out: &mut Vec<u8>| rows.eval_line(line, no, out);
            let first_line = 1 + u64::from(csv);
            let mut direct = Vec::new();
            let (mut outs, mut scratch) = (Vec::new(), Vec::new());
            let c1 = eval_compact_on(&engine.params.talent, format, header.as_ref(), &body[..split], first_line, &mut outs, &mut scratch, &row_path, threads, piece_bytes);
            outs.iter().for_each(|o| direct.extend_from_slice(o));
            eval_compact_on(&engine.params.talent, format, header.as_ref(), &body[split..], first_line + c1.lines, &mut outs, &mut scratch, &row_path, threads, piece_bytes);
            outs.iter().for_each(|o| direct.extend_from_slice(o));
            prop_assert_eq!(String::from_utf8_lossy(&direct), String::from_utf8_lossy(&expected));
        }
    }

    /// Generated files in canonical form are read as plain in both formats: the row path only
    /// sees what needs it.
    #[test]
    fn canonical_lines_are_read_as_plain() {
        let people = applicants(2000, 1);
        let rule = crate::find("talent-subsidy").unwrap();
        let mut csv = Vec::new();
        crate::talent_gen::csv_header(&mut csv);
        let header = crate::batch::CsvHeader::parse(rule, &csv).unwrap();
        let csv_cols = csv_columns(&header).unwrap();
        csv.clear();
        let mut jsonl = Vec::new();
        for p in &people {
            crate::talent_gen::csv_line(p, &mut csv);
            crate::talent_gen::json_line(p, &mut jsonl);
        }
        assert!(matches!(
            reader_for(InputFormat::Csv, Some(&header), Some(&csv_cols)),
            Reader::CsvCanonical
        ));
        for (text, reader) in [
            (&csv, Reader::Csv(&csv_cols)),
            (&csv, Reader::CsvCanonical),
            (&jsonl, Reader::Json),
        ] {
            let (mut pos, mut cols) = (0, Columns::default());
            read_block(text, &mut pos, reader, &mut cols, usize::MAX);
            assert_eq!(cols.len(), people.len());
            assert!(cols.flags.iter().all(|f| f & ROW_PATH == 0));
            let mut expected = Columns::default();
            people.iter().for_each(|p| expected.push_input(p));
            assert_eq!(cols.birth, expected.birth);
            assert_eq!(cols.flags, expected.flags);
            assert_eq!(cols.application, expected.application);
        }
    }

    /// The canonical-order reader accepts exactly the lines the per-column reader accepts, with
    /// the same reading, when any one byte of a line is replaced, removed or duplicated: two
    /// readers written differently agree on every damaged line.
    #[test]
    fn canonical_reader_agrees_with_plain_reader_on_damaged_lines() {
        let rule = crate::find("talent-subsidy").unwrap();
        let mut head = Vec::new();
        crate::talent_gen::csv_header(&mut head);
        let header = crate::batch::CsvHeader::parse(rule, &head).unwrap();
        let cols = csv_columns(&header).unwrap();
        let mut people = applicants(300, 7);
        let mut r = Lcg(11);
        people.iter_mut().for_each(|p| tweak(p, &mut r));
        let (mut checked, mut accepted) = (0, 0);
        for p in &people {
            let mut line = Vec::new();
            crate::talent_gen::csv_line(p, &mut line);
            line.pop();
            let mut variants = vec![line.clone()];
            for at in 0..line.len() {
                for byte in [b',', b'e', b'0', b'9', b't', b'f', b'\r', 0xE5] {
                    let mut v = line.clone();
                    v[at] = byte;
                    variants.push(v);
                }
                let mut v = line.clone();
                v.remove(at);
                variants.push(v);
                let mut v = line.clone();
                v.insert(at, line[at]);
                variants.push(v);
            }
            for v in &variants {
                for end in [&b""[..], b"\n", b"\r\n", b"\rx"] {
                    let text = [v.as_slice(), end].concat();
                    let fast = read_csv_canonical(&text);
                    assert_eq!(
                        fast,
                        read_csv_plain(&text, &cols),
                        "{}",
                        String::from_utf8_lossy(&text)
                    );
                    checked += 1;
                    accepted += usize::from(fast.is_some());
                }
            }
        }
        // Both kinds of line were seen.
        assert!(
            accepted > 1000 && checked - accepted > 1000,
            "{accepted} of {checked}"
        );
    }

    /// Packed dates compare like dates, and full years come out as `age_in_full_years` says.
    #[test]
    fn packed_dates_order_and_age() {
        let mut r = Lcg(3);
        for _ in 0..20_000 {
            let a = nd(1900, 1, 1) + chrono::Duration::days(r.next(60_000) as i64);
            let b = nd(1900, 1, 1) + chrono::Duration::days(r.next(60_000) as i64);
            assert_eq!(pack_date(a).cmp(&pack_date(b)), a.cmp(&b));
            let (t, s) = (pack_date(a), pack_date(b));
            let age = ((t >> 9) as i32 - (s >> 9) as i32 - i32::from((t & 511) < (s & 511))).max(0);
            assert_eq!(age as u32, crate::talent::age_in_full_years(b, a));
            let text = a.format("%Y-%m-%d").to_string();
            assert_eq!(date10(text.as_bytes()), Some(pack_date(a)));
        }
        for bad in [
            "2019-02-29",
            "2020-13-01",
            "2020-00-10",
            "2020-04-31",
            "20x0-01-01",
            "2020-1-01",
        ] {
            assert_eq!(
                date10(bad.as_bytes()),
                crate::common::parse_ymd(bad).map(pack_date),
                "{bad}"
            );
        }
    }
}
