//! Targets written in prose (文字表述的目标): `到2022年和2030年，全市居民健康素养水平分别不低于25%和36%`
//! gives one [`Target`] per year, with metric, operator, value, unit and the comparator words.
//!
//! How a statement is read:
//! 1. Lines are joined into paragraphs first, so a statement split by a page break (a blank
//!    line after `…4.0‰及以下，`) is whole again. Table rows and headings are not prose.
//! 2. A paragraph is cut into sentences (`。！？`) and each sentence into pieces at `，；：`
//!    outside brackets. A piece that starts with a time anchor (`到2022年和2030年`, `到2025年底`,
//!    see [`ANCHOR_WORDS`]) sets the years for the rest of the sentence; pieces before any anchor
//!    state no target. An anchor closing a paragraph with `：` (`到2025年，实现以下目标：`) applies
//!    to the numbered items that follow, while they stay at the level of the first item; the
//!    item's marker (`1.`) is not part of the metric.
//! 3. A piece is a numeric target when a comparator ([`COMPARATORS`]) is followed by a number:
//!    the text before it is the metric, then one value per year joined by `和`/`、`
//!    (`分别…25%和36%`). One value with several years applies to every year.
//!    A count announced by an action verb ([`ACTION_VERBS`], possibly after `推动`/`力争`…:
//!    `推动建设300个实训基地`) is a number to reach (`>=`); counts joined by `和`/`、`/`及`
//!    share the verb (`建设50所学校和150个骨干专业` → two targets).
//! 4. A change against a base (`能耗比2020年下降13.5%`) is kept whole as a `text` target: its
//!    number is relative, not a level.
//!    Otherwise a piece ending in a direction (`明显下降`, `持续提高`, see [`TREND_VERBS`]) is a
//!    `trend` target, and one comparing with a benchmark (`达到国家中心城市平均水平`) is a `text`
//!    target; both have no value.
//! 5. The metric drops scope words in front (`全市`) and `分别` behind. A piece without a subject
//!    (`分别优于全国平均水平`) speaks of the metric before it in the same sentence; an elliptical
//!    subject (`乡镇卫生院(社区卫生服务中心)达到100%` after `村卫生室提供中医非药物疗法的比例达到75%`)
//!    takes the predicate of the metric before it.

use crate::cite::clause_path_at;
use crate::commendations::marker::leading_marker;
use crate::model::{Clause, Span, Target};
use crate::text::{clean, fold_width, normalize_spacing, remove_spaces};

/// A comparator word written before the value, with its operator.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Comparator {
    pub words: &'static str,
    pub op: &'static str,
    /// A neutral comparator (`达到`, `控制在`, `下降到`) takes its operator from the words
    /// after the value when there are any (`达到42%及以上`, `控制在4.1‰及以下`).
    pub neutral: bool,
}

const fn cmp(words: &'static str, op: &'static str, neutral: bool) -> Comparator {
    Comparator { words, op, neutral }
}

/// THE table of comparator words (比较用语) and their operators. Words after the value
/// ([`BoundaryWord`]) decide for neutral comparators.
///
/// | words | op |
/// |---|---|
/// | 不低于, 不少于, 不小于 | `>=` |
/// | 不高于, 不多于, 不大于, 不超过 | `<=` |
/// | 高于, 多于, 大于, 超过 | `>` |
/// | 低于, 少于, 小于 | `<` |
/// | 达到, 保持在, 稳定在, 提高到/至, 提升到/至, 增加到/至, 增长到/至, 上升到/至 (neutral) | `>=` |
/// | 控制在, 下降到/至, 降低到/至, 降到, 降至, 减少到/至, 缩短到/至 (neutral) | `<=` |
/// | 为 (neutral) | `=` |
/// | after the value: …及以上 | `>=` |
/// | after the value: …及以下, …以内 | `<=` |
/// | after the value: …以上 (bare) | `>=` ([`CIVIL_CODE_READING`]), `>` where the document says 以上不含本数 |
/// | after the value: …以下 (bare) | `<=` ([`CIVIL_CODE_READING`]), `<` where the document says 以下不含本数 (郑政办〔2020〕26号) |
/// | after the value: …左右 | `=` |
/// | no number, a direction (明显下降, 持续提高 …, [`TREND_VERBS`]) | `trend` |
/// | no number, a benchmark (达到/优于/领先…水平) | `text` |
///
/// Words after the value override a neutral comparator (`达到42%及以上` → `>=`, `控制在5‰以下`
/// → `<=`); a comparator with its own bound keeps it (`不低于25%` → `>=`).
pub(crate) const COMPARATORS: &[Comparator] = &[
    cmp("不低于", ">=", false),
    cmp("不少于", ">=", false),
    cmp("不小于", ">=", false),
    cmp("不高于", "<=", false),
    cmp("不多于", "<=", false),
    cmp("不大于", "<=", false),
    cmp("不超过", "<=", false),
    cmp("高于", ">", false),
    cmp("多于", ">", false),
    cmp("大于", ">", false),
    cmp("超过", ">", false),
    cmp("低于", "<", false),
    cmp("少于", "<", false),
    cmp("小于", "<", false),
    cmp("达到", ">=", true),
    cmp("保持在", ">=", true),
    cmp("稳定在", ">=", true),
    cmp("提高到", ">=", true),
    cmp("提高至", ">=", true),
    cmp("提升到", ">=", true),
    cmp("提升至", ">=", true),
    cmp("增加到", ">=", true),
    cmp("增加至", ">=", true),
    cmp("增长到", ">=", true),
    cmp("增长至", ">=", true),
    cmp("上升到", ">=", true),
    cmp("上升至", ">=", true),
    cmp("控制在", "<=", true),
    cmp("下降到", "<=", true),
    cmp("下降至", "<=", true),
    cmp("降低到", "<=", true),
    cmp("降低至", "<=", true),
    cmp("降到", "<=", true),
    cmp("降至", "<=", true),
    cmp("减少到", "<=", true),
    cmp("减少至", "<=", true),
    cmp("缩短到", "<=", true),
    cmp("缩短至", "<=", true),
    cmp("为", "=", true),
];

/// True for the characters comparator words start with (a cheap test before the table is
/// searched); a test checks it against [`COMPARATORS`].
fn may_start_comparator(c: char) -> bool {
    matches!(
        c,
        '不' | '高'
            | '多'
            | '大'
            | '超'
            | '低'
            | '少'
            | '小'
            | '达'
            | '保'
            | '稳'
            | '提'
            | '增'
            | '上'
            | '控'
            | '下'
            | '降'
            | '减'
            | '缩'
            | '为'
    )
}

/// Words written after the value (`85%以上`, `4.1‰及以下`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BoundaryWord {
    /// 及以上: `>=`, explicit.
    AtLeast,
    /// 及以下: `<=`, explicit.
    AtMost,
    /// 以上 (bare): see [`BoundaryReading::above_inclusive`].
    Above,
    /// 以下 (bare): see [`BoundaryReading::below_inclusive`].
    Below,
    /// 以内: `<=`.
    Within,
    /// 左右: `=` (approximately).
    About,
}

/// Boundary words, longest first.
const BOUNDARY_WORDS: &[(&str, BoundaryWord)] = &[
    ("及以上", BoundaryWord::AtLeast),
    ("及以下", BoundaryWord::AtMost),
    ("以上", BoundaryWord::Above),
    ("以下", BoundaryWord::Below),
    ("以内", BoundaryWord::Within),
    ("左右", BoundaryWord::About),
];

/// Whether bare `以上` / `以下` include the number itself: a named parameter of
/// interpretation.
///
/// The default follows 《中华人民共和国民法典》第一千二百五十九条 ("以上、以下、以内、届满，
/// 包括本数"): both inclusive, so `保持在95%以上` is `>= 95`. A document that states its own
/// rule overrides it: 郑政办〔2020〕26号 says "以上含本数，以下不含本数", so in that document a bare
/// `以下` is `<`. Explicit `及以上` / `及以下` are always inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct BoundaryReading {
    pub above_inclusive: bool,
    pub below_inclusive: bool,
}

/// 民法典第一千二百五十九条: 以上、以下 include the number.
pub(crate) const CIVIL_CODE_READING: BoundaryReading = BoundaryReading {
    above_inclusive: true,
    below_inclusive: true,
};

impl BoundaryReading {
    /// The reading a document declares in its own text (`以上含本数，以下不含本数`), else the
    /// civil-code default.
    pub(crate) fn declared_in(lines: &[(usize, &str)]) -> BoundaryReading {
        let mut reading = CIVIL_CODE_READING;
        for (_, raw) in lines.iter().filter(|(_, raw)| raw.contains("本数")) {
            let text: String = remove_spaces(raw)
                .chars()
                .filter(|c| !matches!(c, '“' | '”' | '"' | '‘' | '’' | '\''))
                .collect();
            if text.contains("以上不含本数") {
                reading.above_inclusive = false;
            } else if text.contains("以上含本数") || text.contains("以上包括本数") {
                reading.above_inclusive = true;
            }
            if text.contains("以下不含本数") {
                reading.below_inclusive = false;
            } else if text.contains("以下含本数") || text.contains("以下包括本数") {
                reading.below_inclusive = true;
            }
        }
        reading
    }

    fn op(&self, word: BoundaryWord) -> &'static str {
        match word {
            BoundaryWord::AtLeast => ">=",
            BoundaryWord::AtMost | BoundaryWord::Within => "<=",
            BoundaryWord::Above if self.above_inclusive => ">=",
            BoundaryWord::Above => ">",
            BoundaryWord::Below if self.below_inclusive => "<=",
            BoundaryWord::Below => "<",
            BoundaryWord::About => "=",
        }
    }
}

/// Words that open a time anchor (`到2022年和2030年`).
pub(crate) const ANCHOR_WORDS: &[&str] =
    &["力争到", "力争在", "截止到", "截至", "截止", "到", "至"];
/// Verbs that end a statement of direction.
pub(crate) const TREND_VERBS: &[&str] = &[
    "下降", "降低", "减少", "减缓", "提高", "提升", "改善", "上升", "增加", "增长", "扩大", "缩小",
    "好转", "遏制", "控制", "增强",
];
/// Adverbs in front of a direction verb, kept in the comparator (`明显下降`).
const TREND_ADVERBS: &[&str] = &[
    "明显",
    "持续",
    "逐年",
    "显著",
    "大幅",
    "稳步",
    "进一步",
    "逐步",
    "不断",
    "有效",
    "有所",
    "较大",
    "得到",
    "加快",
    "基本",
    "大力",
];
/// Comparators with a benchmark instead of a number (`达到国家中心城市平均水平`).
const BENCHMARK_WORDS: &[&str] = &[
    "达到",
    "优于",
    "好于",
    "领先于",
    "领先",
    "高于",
    "不低于",
    "接近",
];
const BENCHMARK_ENDINGS: &[&str] = &["水平", "标准", "要求", "前列"];
/// Scope words dropped from the front of a metric (`全市居民健康素养水平`).
const METRIC_SCOPE_WORDS: &[&str] = &[
    "全市", "全省", "全国", "我市", "全区", "全县", "并", "且", "使", "同时", "其中", "和",
];
/// Words dropped from the end of a metric (`…水平分别`, `…比例实现`).
const METRIC_TAIL_WORDS: &[&str] = &[
    "分别", "均", "都", "要", "应", "将", "力争", "实现", "呈", "全部", "的",
];
/// Verbs that start the predicate an elliptical subject borrows (`提供中医非药物疗法的比例`).
const ELLIPSIS_VERBS: &[&str] = &[
    "提供", "开展", "配备", "设置", "建成", "实现", "参加", "拥有",
];
/// Endings of an elliptical subject that names a place or organisation (`乡镇卫生院`).
const PLACE_ENDINGS: &[&str] = &[
    ")", "院", "室", "中心", "站", "所", "机构", "学校", "单位", "企业", "社区", "村",
];

/// Extract the prose targets of one document.
#[cfg(test)]
pub(crate) fn extract(lines: &[(usize, &str)], outline: &[Clause]) -> Vec<Target> {
    let with_year: Vec<bool> = lines.iter().map(|(_, raw)| raw.contains("年")).collect();
    extract_with(lines, &with_year, outline)
}

/// [`extract`], told which lines hold a 年 (`with_year`, one flag per line): the caller finds
/// them with one search over the document's text instead of one per line.
pub(crate) fn extract_with(
    lines: &[(usize, &str)],
    with_year: &[bool],
    outline: &[Clause],
) -> Vec<Target> {
    // A cheap test first: without a time anchor anywhere there is no target to read.
    let anchored: Vec<bool> = lines
        .iter()
        .zip(with_year)
        .map(|((_, raw), &year)| year && mentions_anchor(raw))
        .collect();
    if !anchored.contains(&true) {
        return Vec::new();
    }
    let reading = BoundaryReading::declared_in(lines);
    let mut out = Vec::new();
    // The years of an anchor that introduces a list (`到2022年，实现以下目标：`) apply to the
    // numbered items that follow it.
    let mut list_years: Vec<i32> = Vec::new();
    let mut list_level: Option<u8> = None;
    for group in paragraph_groups(lines) {
        // Only paragraphs with an anchor, or items of a list an anchor introduced, are read.
        if list_years.is_empty() && !anchored[group.clone()].contains(&true) {
            list_level = None;
            continue;
        }
        let paragraph = Paragraph::from_lines(&lines[group]);
        let (marker, level) = paragraph.marker();
        // The list is the run of items at the level of its first item.
        let same_list = level.is_some() && list_level.is_none_or(|l| Some(l) == level);
        if same_list {
            list_level = level;
        } else {
            list_years.clear();
            list_level = None;
        }
        let mut years = list_years.clone();
        for (k, sentence) in paragraph.sentences().into_iter().enumerate() {
            let from = if k == 0 {
                sentence.0 + marker
            } else {
                sentence.0
            };
            if from >= sentence.1 {
                continue;
            }
            // The year an anchor set governs the sentences after it, until another year.
            let initial = if k == 0 {
                list_years.clone()
            } else {
                years.clone()
            };
            years = read_sentence(
                &paragraph,
                (from, sentence.1),
                initial,
                reading,
                outline,
                &mut out,
            );
        }
        if paragraph.folded.last() == Some(&':') {
            list_years = years;
            list_level = None;
        }
    }
    out
}

/// True when `line` holds a time anchor (`到2022年`, `到 2022 年`, `截至2025年`, `力争在2025年`):
/// a cheap test on raw lines before any paragraph is built.
fn mentions_anchor(line: &str) -> bool {
    // Read back from each 年: four digits, then the anchor word's last character (spaces
    // skipped throughout, digits width-folded). The same as reading forward from each anchor
    // character, but only lines with a 年 are decoded at all.
    // Each 年 found by a byte search for its last byte (no substring searcher per line).
    crate::words::char_positions(line, '年').any(|at| {
        let mut before = line[..at]
            .chars()
            .rev()
            .filter(|c| !c.is_whitespace())
            .map(crate::text::fold_char);
        before.by_ref().take(4).filter(char::is_ascii_digit).count() == 4
            && match before.next() {
                Some('到' | '至' | '止') => true,
                Some('在') => before.next() == Some('争'),
                _ => false,
            }
    })
}

/// A paragraph of prose: written characters (spacing normalized), their width-folded twins
/// (same positions) and the source line of each character.
#[derive(Debug, Default)]
struct Paragraph {
    written: Vec<char>,
    folded: Vec<char>,
    lines: Vec<usize>,
}

impl Paragraph {
    /// The paragraph of these lines, spacing normalized.
    fn from_lines(lines: &[(usize, &str)]) -> Paragraph {
        let mut p = Paragraph::default();
        for &(line_no, raw) in lines {
            p.push(&normalize_spacing(raw), line_no);
        }
        p
    }

    fn push(&mut self, text: &str, line: usize) {
        // Each list filled by its own loop: the folded characters are the written ones mapped,
        // the line numbers one per character.
        let from = self.written.len();
        self.written.extend(text.chars());
        let added = &self.written[from..];
        self.folded
            .extend(added.iter().map(|&c| crate::text::fold_char(c)));
        self.lines.resize(self.written.len(), line);
    }

    fn written(&self, range: (usize, usize)) -> String {
        self.written[range.0..range.1].iter().collect()
    }

    fn folded(&self, range: (usize, usize)) -> String {
        self.folded[range.0..range.1].iter().collect()
    }

    fn span(&self, range: (usize, usize)) -> Span {
        Span {
            first_line: self.lines[range.0],
            last_line: self.lines[range.1.max(range.0 + 1) - 1],
        }
    }

    /// The clause marker opening the paragraph (`1.`, `（二）`): the characters it takes (0 when
    /// there is none) and its level.
    fn marker(&self) -> (usize, Option<u8>) {
        let head: String = self.folded.iter().take(12).collect();
        match leading_marker(&head) {
            Some(m) => (head[..m.len].chars().count(), Some(m.level)),
            None => (0, None),
        }
    }

    /// Sentence ranges, cut at `。！？`.
    fn sentences(&self) -> Vec<(usize, usize)> {
        split_ranges(
            &self.folded,
            (0, self.folded.len()),
            &['。', '!', '?'],
            false,
        )
    }
}

/// Join lines into paragraphs, as ranges of `lines`: a line continues the paragraph unless the
/// paragraph ended (`。！？：`), the line is a heading (clause marker, or a short unpunctuated
/// line starting a paragraph), or a table row. Blank lines (page breaks) do not end a paragraph.
fn paragraph_groups(lines: &[(usize, &str)]) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let flush = |start: &mut Option<usize>, end: usize, out: &mut Vec<std::ops::Range<usize>>| {
        if let Some(s) = start.take() {
            out.push(s..end);
        }
    };
    let mut head = String::new(); // the folded start of each line, reused
    for (i, &(_, raw)) in lines.iter().enumerate() {
        if crate::words::has_char(raw, '\t') {
            flush(&mut start, i, &mut out);
            continue;
        }
        let text = clean(raw);
        if text.is_empty() {
            continue;
        }
        head.clear();
        head.extend(text.chars().take(16).map(crate::text::fold_char));
        let is_title = start.is_none()
            && text.chars().filter(|c| !c.is_whitespace()).take(26).count() <= 25
            && !text.contains([',', '，', '。', ';', '；', ':', '：', '、']);
        let heading = leading_marker(&head).is_some() || is_title;
        if heading {
            flush(&mut start, i, &mut out);
        }
        start.get_or_insert(i);
        if heading || text.ends_with(['。', '!', '?', ':', '！', '？', '：']) {
            flush(&mut start, i + 1, &mut out);
        }
    }
    flush(&mut start, lines.len(), &mut out);
    out
}

/// Cut `range` of `chars` at `separators` outside brackets; empty parts are dropped.
fn split_ranges(
    chars: &[char],
    range: (usize, usize),
    separators: &[char],
    respect_brackets: bool,
) -> Vec<(usize, usize)> {
    debug_assert!(!separators
        .iter()
        .any(|c| ('\u{4E00}'..='\u{9FFF}').contains(c)));
    let mut parts = Vec::new();
    let mut start = range.0;
    let mut depth = 0usize;
    for (i, &c) in chars.iter().enumerate().take(range.1).skip(range.0) {
        // Ideographs (most characters) are neither brackets nor separators.
        if ('\u{4E00}'..='\u{9FFF}').contains(&c) {
            continue;
        }
        if respect_brackets {
            match c {
                '(' | '《' | '“' | '〔' | '[' | '【' => depth += 1,
                ')' | '》' | '”' | '〕' | ']' | '】' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        if depth == 0 && separators.contains(&c) {
            if i > start {
                parts.push((start, i));
            }
            start = i + 1;
        }
    }
    if range.1 > start {
        parts.push((start, range.1));
    }
    parts
}

/// What one piece of a sentence states.
#[derive(Debug)]
enum Statement {
    Numeric {
        metric: (usize, usize),
        values: Vec<Value>,
    },
    Trend {
        metric: (usize, usize),
        comparator: String,
    },
    Benchmark {
        metric: (usize, usize),
        comparator: String,
    },
}

#[derive(Debug, Clone, PartialEq)]
struct Value {
    value: f64,
    unit: Option<String>,
    op: &'static str,
    /// The comparator words for this value (`达到…及以上`).
    words: String,
}

/// Read one sentence, starting with the years in force (`years`); returns the years in force
/// at its end.
fn read_sentence(
    p: &Paragraph,
    sentence: (usize, usize),
    mut years: Vec<i32>,
    reading: BoundaryReading,
    outline: &[Clause],
    out: &mut Vec<Target>,
) -> Vec<i32> {
    let mut previous_metric: Option<String> = None;
    for piece in split_ranges(&p.folded, sentence, &[',', ';', ':'], true) {
        let mut piece = piece;
        if let Some((anchor_years, consumed)) = time_anchor(&p.folded[piece.0..piece.1]) {
            years = anchor_years;
            previous_metric = None;
            piece.0 += consumed;
            if piece.0 >= piece.1 {
                continue;
            }
        } else if let Some(consumed) = relative_horizon(&p.folded[piece.0..piece.1]) {
            years.clear();
            previous_metric = None;
            piece.0 += consumed;
        }
        if years.is_empty() {
            continue;
        }
        for statement in read_statements(p, piece, reading) {
            let metric_range = match &statement {
                Statement::Numeric { metric, .. }
                | Statement::Trend { metric, .. }
                | Statement::Benchmark { metric, .. } => *metric,
            };
            let Some(metric) =
                complete_metric(&p.written(metric_range), previous_metric.as_deref())
            else {
                continue;
            };
            previous_metric = Some(metric.clone());
            let span = p.span(piece);
            let clause = clause_path_at(outline, span.first_line);
            let target =
                |year: i32, op: &str, value: Option<f64>, unit: Option<String>, words: &str| {
                    Target {
                        metric: metric.clone(),
                        year,
                        op: op.to_string(),
                        value,
                        unit,
                        comparator: words.to_string(),
                        clause: clause.clone(),
                        span,
                    }
                };
            match statement {
                // `A、B分别达到65%和55%` in one year: one value per metric.
                Statement::Numeric { values, .. }
                    if values.len() > 1
                        && years.len() == 1
                        && spread_metrics(&metric, values.len()).is_some() =>
                {
                    let metrics = spread_metrics(&metric, values.len()).unwrap_or_default();
                    for (m, v) in metrics.into_iter().zip(&values) {
                        let mut t = target(years[0], v.op, Some(v.value), v.unit.clone(), &v.words);
                        t.metric = m;
                        out.push(t);
                    }
                }
                Statement::Numeric { values, .. } => {
                    let pairs: Vec<(i32, &Value)> = if values.len() == 1 {
                        years.iter().map(|y| (*y, &values[0])).collect()
                    } else {
                        years.iter().copied().zip(values.iter()).collect()
                    };
                    for (year, v) in pairs {
                        out.push(target(year, v.op, Some(v.value), v.unit.clone(), &v.words));
                    }
                }
                Statement::Trend { comparator, .. } => {
                    for &year in &years {
                        out.push(target(year, "trend", None, None, &comparator));
                    }
                }
                Statement::Benchmark { comparator, .. } => {
                    for &year in &years {
                        out.push(target(year, "text", None, None, &comparator));
                    }
                }
            }
        }
    }
    years
}

/// `到2022年和2030年…` → ([2022, 2030], characters consumed).
fn time_anchor(piece: &[char]) -> Option<(Vec<i32>, usize)> {
    if !matches!(piece.first(), Some('力' | '截' | '到' | '至')) {
        return None;
    }
    let text: String = piece.iter().take(8).collect();
    let word = ANCHOR_WORDS.iter().find(|w| text.starts_with(*w))?;
    let mut i = word.chars().count();
    let mut years = Vec::new();
    loop {
        let digits = piece[i.min(piece.len())..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        if digits != 4 || piece.get(i + 4) != Some(&'年') {
            break;
        }
        let year: String = piece[i..i + 4].iter().collect();
        years.push(year.parse().ok()?);
        i += 5;
        // `到2022年底前`, `到2022年年底`, `到2025年末时`.
        if piece.get(i) == Some(&'年') && matches!(piece.get(i + 1), Some('底' | '末')) {
            i += 1;
        }
        while matches!(piece.get(i), Some('底' | '末' | '前' | '时')) {
            i += 1;
        }
        match piece.get(i) {
            Some('和' | '、' | '及' | '与')
                if piece.get(i + 1).is_some_and(char::is_ascii_digit) =>
            {
                i += 1
            }
            _ => break,
        }
    }
    (!years.is_empty()).then_some((years, i))
}

/// Words before a relative horizon (`力争三到五年时间内`, `用3年时间`, `今后五年`).
const HORIZON_LEADS: &[&str] = &["力争", "争取", "再用", "用", "经过", "今后", "未来"];

/// A horizon counted in years from now, not a calendar year (`力争三到五年时间内`, `用3年时间`,
/// `今后五年`, `三年内`): the characters it takes. The years in force before it no longer hold
/// (named interpretation: a target set `三到五年` ahead has no year a reader can state).
fn relative_horizon(piece: &[char]) -> Option<usize> {
    let is_count = |c: &char| {
        crate::lines::is_cn_digit(*c) || matches!(c, '0'..='9' | '到' | '至' | '～' | '-')
    };
    // Most pieces start otherwise: ruled out by their first character.
    let first = piece.first()?;
    if !is_count(first) && !matches!(first, '力' | '争' | '再' | '用' | '经' | '今' | '未') {
        return None;
    }
    let lead = HORIZON_LEADS
        .iter()
        .find(|w| starts_with_at(piece, 0, w))
        .map_or(0, |w| w.chars().count());
    let year_at = piece.iter().take(12).position(|&c| c == '年')?;
    let count = piece.get(lead..year_at)?;
    if count.is_empty()
        || !count.iter().all(is_count)
        || count.iter().filter(|c| c.is_ascii_digit()).count() >= 4
    {
        return None;
    }
    let rest = piece[year_at + 1..]
        .iter()
        .take_while(|c| matches!(c, '时' | '间' | '内' | '以' | '左' | '右'))
        .count();
    Some(year_at + 1 + rest)
}

fn read_statements(
    p: &Paragraph,
    piece: (usize, usize),
    reading: BoundaryReading,
) -> Vec<Statement> {
    if let Some(statement) = numeric_statement(p, piece, reading) {
        return vec![statement];
    }
    let counts = count_statements(p, piece);
    if !counts.is_empty() {
        return counts;
    }
    let text = p.folded(piece);
    relative_statement(p, piece, &text)
        .or_else(|| trend_statement(p, piece, &text))
        .or_else(|| benchmark_statement(p, piece, &text))
        .into_iter()
        .collect()
}

/// Verbs that announce a count of things to make (`推出100项精品赛事`, `建成50所学校`).
pub(crate) const ACTION_VERBS: &[&str] = &[
    "推出", "打造", "建设", "建成", "培育", "新建", "新增", "创建", "引进", "遴选", "培养",
];

/// Units of a count after an action verb, longest first (`万个` before `个`).
const COUNT_UNITS: &[&str] = &[
    "平方米",
    "万个",
    "万家",
    "万人",
    "万名",
    "万户",
    "万亩",
    "公里",
    "项",
    "个",
    "家",
    "所",
    "座",
    "条",
    "处",
    "名",
    "人",
    "支",
    "批",
    "户",
    "亩",
    "张",
    "部",
    "套",
    "场",
    "台",
    "辆",
    "件",
    "种",
];

/// How a count announced by an action verb is read: a number to reach, `>=` (named
/// interpretation: `推出100项…` means at least a hundred by the year; the document states no
/// ceiling).
pub(crate) const ACTION_COUNT_OP: &str = ">=";

/// Words that may stand before an action verb (`推动建设300个…`, `力争培育…`).
const ACTION_LEADS: &[&str] = &["推动", "力争", "累计", "全市", "全省", "全国", "共"];

/// Words joining counts that share one action verb (`建设50所A和150个B`, `A、B`, `A以及B`).
const COUNT_JOINS: &[&str] = &["以及", "和", "、", "及"];

/// `推出100项具有较大知名度的体育精品赛事`: the count is the value, the words after its unit
/// are the metric. Counts joined by [`COUNT_JOINS`] share the verb, one statement each
/// (`建设50所高水平高等职业学校和150个骨干专业（群）` → 50 所 and 150 个).
fn count_statements(p: &Paragraph, piece: (usize, usize)) -> Vec<Statement> {
    let chars = &p.folded[..piece.1];
    let lead = ACTION_LEADS
        .iter()
        .find(|w| starts_with_at(chars, piece.0, w))
        .map_or(0, |w| w.chars().count());
    let Some(verb) = ACTION_VERBS
        .iter()
        .find(|v| starts_with_at(chars, piece.0 + lead, v))
    else {
        return Vec::new();
    };
    let words = p.written((piece.0, piece.0 + lead + verb.chars().count()));
    let mut out = Vec::new();
    let mut value_at = piece.0 + lead + verb.chars().count();
    while let Some((value, unit, metric_at)) = count_at(chars, value_at) {
        // The metric runs to the next joined count, or to the piece's end.
        let next = (metric_at + 1..piece.1).find_map(|j| {
            let join = COUNT_JOINS.iter().find(|w| starts_with_at(chars, j, w))?;
            let after = j + join.chars().count();
            count_at(chars, after).map(|_| (j, after))
        });
        let metric_end = next.map_or(piece.1, |(j, _)| j);
        if metric_end <= metric_at + 1 {
            break;
        }
        out.push(Statement::Numeric {
            metric: (metric_at, metric_end),
            values: vec![Value {
                value,
                unit: Some(unit.to_string()),
                op: ACTION_COUNT_OP,
                words: words.clone(),
            }],
        });
        match next {
            Some((_, after)) => value_at = after,
            None => break,
        }
    }
    out
}

/// A count at `at` (`150个`): its value, its unit and where the words after the unit start.
fn count_at(chars: &[char], at: usize) -> Option<(f64, &'static str, usize)> {
    let digits = chars
        .get(at..)?
        .iter()
        .take_while(|c| c.is_ascii_digit() || **c == '.')
        .count();
    if digits == 0 {
        return None;
    }
    let value: f64 = chars[at..at + digits]
        .iter()
        .collect::<String>()
        .parse()
        .ok()?;
    let after = &chars[at + digits..];
    let unit = COUNT_UNITS
        .iter()
        .find(|u| u.chars().zip(after).filter(|(a, b)| a == *b).count() == u.chars().count())?;
    Some((value, unit, at + digits + unit.chars().count()))
}

fn starts_with_at(chars: &[char], at: usize, word: &str) -> bool {
    (at..)
        .zip(word.chars())
        .all(|(i, w)| chars.get(i) == Some(&w))
}

fn numeric_statement(
    p: &Paragraph,
    piece: (usize, usize),
    reading: BoundaryReading,
) -> Option<Statement> {
    let chars = &p.folded[..piece.1];
    for at in piece.0..piece.1 {
        if !may_start_comparator(chars[at]) {
            continue;
        }
        let Some(comparator) = COMPARATORS
            .iter()
            .filter(|c| starts_with_at(chars, at, c.words))
            .max_by_key(|c| c.words.len())
        else {
            continue;
        };
        let value_at = at + comparator.words.chars().count();
        if !chars.get(value_at).is_some_and(char::is_ascii_digit) {
            continue;
        }
        let words = p.written((at, value_at));
        let values = read_values(chars, value_at, *comparator, &words, reading);
        if values.is_empty() {
            continue;
        }
        return Some(Statement::Numeric {
            metric: (piece.0, at),
            values,
        });
    }
    None
}

/// Read `25%和36%`, `10/10万及以下和9/10万及以下`, `3.2名和3.5名` from `at`; `written` is the
/// comparator as the document wrote it.
fn read_values(
    chars: &[char],
    mut at: usize,
    comparator: Comparator,
    written: &str,
    reading: BoundaryReading,
) -> Vec<Value> {
    let mut values = Vec::new();
    loop {
        let digits = chars[at..]
            .iter()
            .take_while(|c| c.is_ascii_digit() || **c == '.')
            .count();
        let number: String = chars[at..at + digits].iter().collect();
        let Ok(value) = number.trim_end_matches('.').parse::<f64>() else {
            break;
        };
        at += digits;
        let (unit, unit_len) = read_unit(&chars[at..]);
        at += unit_len;
        let boundary = BOUNDARY_WORDS
            .iter()
            .find(|(w, _)| starts_with_at(chars, at, w));
        let (op, words) = match boundary {
            Some((w, word)) => {
                at += w.chars().count();
                let words = format!("{written}…{w}");
                if comparator.neutral {
                    (reading.op(*word), words)
                } else {
                    (comparator.op, words)
                }
            }
            None => (comparator.op, written.to_string()),
        };
        values.push(Value {
            value,
            unit,
            op,
            words,
        });
        match chars.get(at) {
            Some('和' | '、' | '与' | '或')
                if chars.get(at + 1).is_some_and(char::is_ascii_digit) =>
            {
                at += 1
            }
            _ => break,
        }
    }
    values
}

/// The unit right after a number: `%`, `‰`, `/10万` (as `1/10万`), or up to three measure-word
/// characters (`名`, `岁`, `小时`). Returns the unit and the characters it took.
fn read_unit(chars: &[char]) -> (Option<String>, usize) {
    match chars.first() {
        Some('%') => return (Some("%".into()), 1),
        Some('‰') => return (Some("‰".into()), 1),
        Some('/') => {
            let digits = chars[1..].iter().take_while(|c| c.is_ascii_digit()).count();
            let scale = chars
                .get(1 + digits)
                .filter(|c| matches!(c, '十' | '百' | '千' | '万' | '亿'));
            if digits > 0 {
                let base: String = chars[1..1 + digits].iter().collect();
                let scale_len = usize::from(scale.is_some());
                let unit = format!(
                    "1/{base}{}",
                    scale.map(|c| c.to_string()).unwrap_or_default()
                );
                return (Some(unit), 1 + digits + scale_len);
            }
            return (None, 0);
        }
        _ => {}
    }
    let mut len = 0;
    while len < 3 {
        let Some(c) = chars.get(len) else { break };
        let starts_boundary = BOUNDARY_WORDS
            .iter()
            .any(|(w, _)| starts_with_at(chars, len, w));
        if !crate::text::is_han(*c)
            || starts_boundary
            || matches!(c, '和' | '及' | '或' | '与' | '、' | '的' | '至' | '到')
        {
            break;
        }
        len += 1;
    }
    if len == 0 {
        (None, 0)
    } else {
        (Some(chars[..len].iter().collect()), len)
    }
}

/// `text` is the folded text of `piece`.
fn trend_statement(p: &Paragraph, piece: (usize, usize), text: &str) -> Option<Statement> {
    if text.chars().any(|c| c.is_ascii_digit()) && ends_with_number_phrase(text) {
        return None;
    }
    let verb = TREND_VERBS.iter().find(|v| text.ends_with(*v))?;
    let mut start = text.len() - verb.len();
    while let Some(adverb) = TREND_ADVERBS.iter().find(|a| text[..start].ends_with(*a)) {
        start -= adverb.len();
    }
    let start_chars = piece.0 + text[..start].chars().count();
    Some(Statement::Trend {
        metric: (piece.0, start_chars),
        comparator: p.written((start_chars, piece.1)),
    })
}

/// True when the piece ends in a number with its unit (`…达到85%`): a numeric statement the
/// numeric reader did not understand is not re-read as a trend.
fn ends_with_number_phrase(text: &str) -> bool {
    text.chars()
        .rev()
        .take(4)
        .any(|c| c.is_ascii_digit() || c == '%' || c == '‰')
}

/// A change measured against a base (`单位生产总值能耗比2020年下降13.5%`): kept whole as a `text`
/// target (its value is relative, not a level), metric before `比`/`较`.
/// `text` is the folded text of `piece`.
fn relative_statement(p: &Paragraph, piece: (usize, usize), text: &str) -> Option<Statement> {
    // `比2020年`, `较上年`, `比基期`; not the 比 of `比例`.
    let at = text.char_indices().find_map(|(at, c)| {
        let next = text[at + c.len_utf8()..].chars().next()?;
        let base = next.is_ascii_digit() || matches!(next, '上' | '去' | '基' | '同' | '前');
        (matches!(c, '比' | '较') && base).then_some(at)
    })?;
    let after = &text[at..];
    let has_change = TREND_VERBS.iter().any(|v| after.contains(v));
    if !has_change || !after.chars().any(|c| c.is_ascii_digit()) || at == 0 {
        return None;
    }
    let at_chars = piece.0 + text[..at].chars().count();
    Some(Statement::Benchmark {
        metric: (piece.0, at_chars),
        comparator: p.written((at_chars, piece.1)),
    })
}

/// `text` is the folded text of `piece`.
/// Endings of a qualitative target stated as a comparison with today (`健康服务体系更加完善`):
/// a `text` target, the words kept. (A state reached, `基本建立`, is not read as a target: the
/// golden reading of 郑政文〔2020〕59号 does not count it.)
const QUALITY_ENDINGS: &[&str] = &["更加完善", "更加健全", "更加成熟", "日益完善"];

fn benchmark_statement(p: &Paragraph, piece: (usize, usize), text: &str) -> Option<Statement> {
    if let Some(ending) = QUALITY_ENDINGS.iter().find(|e| text.ends_with(*e)) {
        let at = text.len() - ending.len();
        if at > 0 && !text.chars().any(|c| c.is_ascii_digit()) {
            let at_chars = piece.0 + text[..at].chars().count();
            return Some(Statement::Benchmark {
                metric: (piece.0, at_chars),
                comparator: p.written((at_chars, piece.1)),
            });
        }
    }
    if !BENCHMARK_ENDINGS.iter().any(|e| text.ends_with(e)) {
        return None;
    }
    let (at, _) = BENCHMARK_WORDS
        .iter()
        .filter_map(|w| text.find(w).map(|at| (at, w)))
        .min_by_key(|(at, _)| *at)?;
    if text[at..].chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    let at_chars = piece.0 + text[..at].chars().count();
    Some(Statement::Benchmark {
        metric: (piece.0, at_chars),
        comparator: p.written((at_chars, piece.1)),
    })
}

/// Clean a metric and fill it in from the previous one when the piece has no subject or an
/// elliptical one. `None` when there is nothing to name.
/// The metrics of `A、B` (or `A和B`) when there are exactly `n` of them.
fn spread_metrics(metric: &str, n: usize) -> Option<Vec<String>> {
    let separator = if metric.contains('、') { '、' } else { '和' };
    let parts: Vec<String> = crate::documents::split_top_level(metric, &[separator])
        .into_iter()
        .map(trim_metric)
        .filter(|p| !p.is_empty())
        .collect();
    (parts.len() == n).then_some(parts)
}

fn complete_metric(raw: &str, previous: Option<&str>) -> Option<String> {
    let metric = trim_metric(raw);
    if metric.chars().count() < 2 {
        return previous.map(str::to_string);
    }
    let Some(previous) = previous else {
        return Some(metric);
    };
    let folded = fold_width(&metric);
    let elliptical = PLACE_ENDINGS.iter().any(|e| folded.ends_with(e))
        && !ELLIPSIS_VERBS.iter().any(|v| folded.contains(v));
    if elliptical {
        if let Some(at) = ELLIPSIS_VERBS.iter().filter_map(|v| previous.find(v)).min() {
            return Some(format!("{metric}{}", &previous[at..]));
        }
    }
    Some(metric)
}

fn trim_metric(raw: &str) -> String {
    let mut s = raw.trim();
    loop {
        let before = s;
        for w in METRIC_SCOPE_WORDS {
            s = s.strip_prefix(w).unwrap_or(s);
        }
        for w in METRIC_TAIL_WORDS {
            s = s.strip_suffix(w).unwrap_or(s);
        }
        s = s.trim();
        if s == before {
            return s.to_string();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commendations::testing::numbered;

    /// (metric, year, op, value, unit)
    type Summary = (String, i32, String, Option<f64>, Option<String>);

    fn summary(targets: &[Target]) -> Vec<Summary> {
        targets
            .iter()
            .map(|t| {
                (
                    t.metric.clone(),
                    t.year,
                    t.op.clone(),
                    t.value,
                    t.unit.clone(),
                )
            })
            .collect()
    }

    fn row(m: &str, y: i32, op: &str, v: Option<f64>, u: Option<&str>) -> Summary {
        (m.to_string(), y, op.to_string(), v, u.map(str::to_string))
    }

    #[test]
    fn a_horizon_in_years_from_now_ends_the_year_in_force() {
        let text = "到2020年底，抽查覆盖率达到100%。力争三到五年时间内，监管机制更加完善，\
            抽查比例达到20%。用3年时间，建成10个中心。每年抽查比例不低于5%。";
        let t = extract(&numbered(text), &[]);
        assert_eq!(
            summary(&t),
            [row("抽查覆盖率", 2020, ">=", Some(100.0), Some("%"))]
        );
        for not_horizon in ["到2025年", "每年", "2025年", "近年来"] {
            let chars: Vec<char> = not_horizon.chars().collect();
            assert_eq!(relative_horizon(&chars), None, "{not_horizon}");
        }
    }

    #[test]
    fn counts_joined_under_one_verb_and_a_verb_after_a_lead_word() {
        let text = "具体指标：到2022年，建设50所高水平学校和150个骨干专业（群）、20个实训中心。\
            推动建设300个实训基地。新建学校和医院。";
        let t = extract(&numbered(text), &[]);
        assert_eq!(
            summary(&t),
            [
                row("高水平学校", 2022, ">=", Some(50.0), Some("所")),
                row("骨干专业（群）", 2022, ">=", Some(150.0), Some("个")),
                row("实训中心", 2022, ">=", Some(20.0), Some("个")),
                row("实训基地", 2022, ">=", Some(300.0), Some("个")),
            ]
        );
        assert_eq!(t[3].comparator, "推动建设");
    }

    #[test]
    fn invented_plan_from_another_city() {
        let text = "（三）全民健身行动\n\
            推进全民健身。到2025年和2035年，全县城乡居民体质达标率分别不低于90%和93%；\
            每千人拥有社会体育指导员分别不少于2.5名和3名，\n\n\
            人均体育场地面积分别达到2.2平方米以上和2.6平方米及以上，\
            青少年近视率明显下降。";
        let t = extract(&numbered(text), &[]);
        assert_eq!(
            summary(&t),
            [
                row("城乡居民体质达标率", 2025, ">=", Some(90.0), Some("%")),
                row("城乡居民体质达标率", 2035, ">=", Some(93.0), Some("%")),
                row(
                    "每千人拥有社会体育指导员",
                    2025,
                    ">=",
                    Some(2.5),
                    Some("名")
                ),
                row(
                    "每千人拥有社会体育指导员",
                    2035,
                    ">=",
                    Some(3.0),
                    Some("名")
                ),
                row("人均体育场地面积", 2025, ">=", Some(2.2), Some("平方米")),
                row("人均体育场地面积", 2035, ">=", Some(2.6), Some("平方米")),
                row("青少年近视率", 2025, "trend", None, None),
                row("青少年近视率", 2035, "trend", None, None),
            ]
        );
        assert_eq!(t[4].comparator, "达到…以上");
        assert_eq!(
            t[4].span,
            Span {
                first_line: 4,
                last_line: 4
            }
        );
        assert_eq!(t[6].comparator, "明显下降");
    }

    #[test]
    fn a_statement_split_by_a_page_break_is_joined() {
        let text = "到2022年和2030年，婴儿死亡率分别控制在4.1‰及以下和4.0‰及以下，\n\n\
            孕产妇死亡率分别下降到 10/10 万及以下和 9/10 万及以下。(市卫健委牵头)";
        let t = extract(&numbered(text), &[]);
        assert_eq!(
            summary(&t),
            [
                row("婴儿死亡率", 2022, "<=", Some(4.1), Some("‰")),
                row("婴儿死亡率", 2030, "<=", Some(4.0), Some("‰")),
                row("孕产妇死亡率", 2022, "<=", Some(10.0), Some("1/10万")),
                row("孕产妇死亡率", 2030, "<=", Some(9.0), Some("1/10万")),
            ]
        );
        assert_eq!(
            t[2].span,
            Span {
                first_line: 3,
                last_line: 3
            }
        );
        assert_eq!(t[2].comparator, "下降到…及以下");
    }

    #[test]
    fn bare_below_follows_the_documents_own_rule() {
        let plain = "到2025年，重点河段水质超标率控制在5%以下。";
        assert_eq!(extract(&numbered(plain), &[])[0].op, "<=");
        let ruled = "本预案有关数量的表述中,“以上”含本数,“以下”不含本数。\n到2025年，重点河段水质超标率控制在5%以下。";
        assert_eq!(extract(&numbered(ruled), &[])[0].op, "<");
    }

    #[test]
    fn elliptical_subject_borrows_the_predicate() {
        let text = "到2022年，村卫生室提供中医非药物疗法的比例达到75%，乡镇卫生院(社区卫生服务中心)达到100%。";
        let t = extract(&numbered(text), &[]);
        assert_eq!(
            t[1].metric,
            "乡镇卫生院(社区卫生服务中心)提供中医非药物疗法的比例"
        );
        assert_eq!((t[1].op.as_str(), t[1].value), (">=", Some(100.0)));
    }

    #[test]
    fn benchmarks_and_subjectless_pieces() {
        let text =
            "到2022年和2030年，5岁以下儿童生长迟缓率分别低于5%和4.5%，分别优于全国平均水平。";
        let t = extract(&numbered(text), &[]);
        assert_eq!(t.len(), 4);
        assert_eq!(t[0].metric, "5岁以下儿童生长迟缓率");
        assert_eq!((t[0].op.as_str(), t[1].value), ("<", Some(4.5)));
        assert_eq!(t[2].metric, "5岁以下儿童生长迟缓率");
        assert_eq!(
            (t[2].op.as_str(), t[2].comparator.as_str()),
            ("text", "优于全国平均水平")
        );
    }

    #[test]
    fn numbers_in_the_metric_are_not_values() {
        let text = "到2022年，65岁及以上人群老年期痴呆患病率增速明显下降；接尘工龄不足5年的劳动者新发尘肺病报告例数占年度报告总例数的比例实现明显下降。";
        let t = extract(&numbered(text), &[]);
        assert_eq!(
            summary(&t),
            [
                row(
                    "65岁及以上人群老年期痴呆患病率增速",
                    2022,
                    "trend",
                    None,
                    None
                ),
                row(
                    "接尘工龄不足5年的劳动者新发尘肺病报告例数占年度报告总例数的比例",
                    2022,
                    "trend",
                    None,
                    None
                ),
            ]
        );
    }

    #[test]
    fn an_anchor_introducing_a_list_applies_to_its_items() {
        let text = "（二）主要目标\n到2025年，实现以下目标：\n1.居民健康素养水平达到30%；\n\
            2.婴儿死亡率控制在5‰以下。\n三、保障措施\n1.全市接种率保持在95%以上。";
        let t = extract(&numbered(text), &[]);
        assert_eq!(
            summary(&t),
            [
                row("居民健康素养水平", 2025, ">=", Some(30.0), Some("%")),
                row("婴儿死亡率", 2025, "<=", Some(5.0), Some("‰")),
            ]
        );
        assert_eq!(
            t[1].span,
            Span {
                first_line: 4,
                last_line: 4
            }
        );
    }

    #[test]
    fn a_change_against_a_base_year_is_kept_as_text() {
        let text = "到2025年，单位生产总值能耗比2020年下降13.5%，森林覆盖率达到35%。";
        let t = extract(&numbered(text), &[]);
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].metric, "单位生产总值能耗");
        assert_eq!((t[0].op.as_str(), t[0].value), ("text", None));
        assert_eq!(t[0].comparator, "比2020年下降13.5%");
        assert_eq!((t[1].op.as_str(), t[1].value), (">=", Some(35.0)));
        let text = "到2025年，某项比例较上年提高5个百分点，其他比例明显下降。";
        let t = extract(&numbered(text), &[]);
        assert_eq!(t[0].metric, "某项比例");
        assert_eq!(t[0].comparator, "较上年提高5个百分点");
        assert_eq!(
            (t[1].metric.as_str(), t[1].op.as_str()),
            ("其他比例", "trend")
        );
    }

    #[test]
    fn sentences_without_a_time_anchor_state_no_target() {
        let text = "力争人均体育场地面积达到先进城市水平。全市接种率保持在95%以上。";
        assert!(extract(&numbered(text), &[]).is_empty());
    }

    #[test]
    fn every_comparator_starts_with_a_listed_character() {
        const COMPARATOR_FIRST_CHARS: &str = "不高多大超低少小达保稳提增上控下降减缩为";
        for c in COMPARATORS {
            let first = c.words.chars().next().unwrap();
            assert!(COMPARATOR_FIRST_CHARS.contains(first), "{}", c.words);
            assert!(may_start_comparator(first), "{}", c.words);
        }
        for c in COMPARATOR_FIRST_CHARS.chars() {
            assert!(may_start_comparator(c), "{c}");
        }
        assert!(!may_start_comparator('的'));
        for a in ANCHOR_WORDS {
            assert!(a.starts_with(['力', '截', '到', '至']), "{a}");
            assert!(a.chars().count() <= 8);
        }
    }

    #[test]
    fn lines_that_can_hold_an_anchor() {
        assert!(mentions_anchor("到 2022 年和 2030 年"));
        assert!(mentions_anchor("xx截至２０２５年"));
        assert!(!mentions_anchor("到"));
        assert!(!mentions_anchor("达到先进水平"));
        assert!(!mentions_anchor("2022年"));
        assert!(!mentions_anchor("2019年10月26日至27日"));
        assert!(!mentions_anchor("在2019年"));
        assert!(mentions_anchor("力争在2025年"));
    }

    /// The forward reading `mentions_anchor` replaced: from each anchor character, four
    /// digits, then 年.
    fn anchor_read_forward(line: &str) -> bool {
        let chars: Vec<char> = line.chars().filter(|c| !c.is_whitespace()).collect();
        (0..chars.len()).any(|p| {
            let opens = match chars[p] {
                '到' | '至' | '止' => true,
                '在' => p > 0 && chars[p - 1] == '争',
                _ => false,
            };
            let rest: Vec<char> = chars[p + 1..]
                .iter()
                .map(|&c| crate::text::fold_char(c))
                .take(5)
                .collect();
            opens
                && rest.len() == 5
                && rest[..4].iter().all(char::is_ascii_digit)
                && rest[4] == '年'
        })
    }

    #[test]
    fn anchors_read_back_from_year_as_forward_from_anchor() {
        let seed = include_str!("../../../data/gazette/zhengzhou-2020-gazette.txt");
        let odd = [
            "争 在 2 0 2 5 年",
            "到２０２５年年",
            "至12345年",
            "截止到2022年、2030年",
            "年2022到",
            "在在2020年",
            "争\u{3000}在2020年",
        ];
        for line in seed.lines().chain(odd) {
            assert_eq!(mentions_anchor(line), anchor_read_forward(line), "{line}");
        }
    }

    #[test]
    fn time_anchors() {
        let chars = |s: &str| s.chars().collect::<Vec<_>>();
        assert_eq!(
            time_anchor(&chars("到2022年和2030年")),
            Some((vec![2022, 2030], 12))
        );
        assert_eq!(time_anchor(&chars("到2025年底全市")), Some((vec![2025], 7)));
        assert_eq!(time_anchor(&chars("到2025年年底前")), Some((vec![2025], 9)));
        assert_eq!(
            time_anchor(&chars("力争到2025年、2030年")),
            Some((vec![2025, 2030], 14))
        );
        assert_eq!(time_anchor(&chars("到2022")), None);
        assert_eq!(time_anchor(&chars("2022年")), None);
    }

    #[test]
    fn odd_input_does_not_panic() {
        for text in [
            "到2022年，",
            "到2022年，达到",
            "到2022年，x达到.",
            "到2022年，A达到5/",
            "到2022年，A分别为1和",
            "到9999年，下降",
            "到2022年和",
            "，。；",
        ] {
            let _ = extract(&numbered(text), &[]);
        }
    }
}
