//! 计数用语 (counting words): whether 以上、以下、以内、届满、不满、超过、以外 include the number
//! they follow, and which text says so.
//!
//! The default for every document is 《中华人民共和国民法典》第一千二百五十九条: “以上”“以下”
//! “以内”“届满”包括本数；“不满”“超过”“以外”不包括本数. A document that defines the words itself
//! applies its definition within that document only: 郑政办〔2020〕26号 八（一） says “本预案有关数量
//! 的表述中，‘以上’含本数，‘以下’不含本数”, so 26号's grading reads 以下 as exclusive, and no other
//! document does by default. The other reading stays available per document as a named
//! parameter (`talent.counting`, `disaster.counting`, …), and every decision that depends on a
//! counting word carries a [`Counting`] saying which reading decided and why.

use serde::{Deserialize, Serialize};

/// A counting word of 民法典 第一千二百五十九条.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Word {
    /// 以上: at or above.
    Above,
    /// 以下: at or below.
    Below,
    /// 以内 (and “…内” of a period): within.
    Within,
    /// 届满: a period reaching its end.
    Expiry,
    /// 不满: short of.
    Under,
    /// 超过 (超出): beyond.
    Over,
    /// 以外: outside, beyond.
    Outside,
}

impl Word {
    pub fn text(self) -> &'static str {
        match self {
            Word::Above => "以上",
            Word::Below => "以下",
            Word::Within => "以内",
            Word::Expiry => "届满",
            Word::Under => "不满",
            Word::Over => "超过",
            Word::Outside => "以外",
        }
    }
}

/// How the counting words are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Reading {
    /// 《民法典》第一千二百五十九条: 以上、以下、以内、届满 include the number; 不满、超过、以外 do not.
    CivilCode,
    /// 郑政办〔2020〕26号 八（一）: “以上”含本数，“以下”不含本数; the words it does not define are
    /// read as the civil code reads them.
    BelowExclusive,
}

impl Reading {
    /// Whether `word` includes the number it follows under this reading.
    pub fn includes(self, word: Word) -> bool {
        match word {
            Word::Above | Word::Within | Word::Expiry => true,
            Word::Below => self == Reading::CivilCode,
            Word::Under | Word::Over | Word::Outside => false,
        }
    }

    /// Whether `value` is “`limit` `word`” (e.g. 35岁以下 for `Word::Below`, 45%以上 for
    /// `Word::Above`, 超过24小时 for `Word::Over`).
    pub fn holds<T: PartialOrd>(self, value: T, word: Word, limit: T) -> bool {
        let inclusive = self.includes(word);
        match word {
            Word::Above | Word::Expiry | Word::Over | Word::Outside => {
                if inclusive {
                    value >= limit
                } else {
                    value > limit
                }
            }
            Word::Below | Word::Within | Word::Under => {
                if inclusive {
                    value <= limit
                } else {
                    value < limit
                }
            }
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Reading::CivilCode => "civil_code",
            Reading::BelowExclusive => "below_exclusive",
        }
    }
}

/// The documents whose rules contain counting words, each with its own parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Document {
    /// 郑政办〔2020〕24号 (talent subsidy and purchase qualification).
    Talent24,
    /// 郑政办〔2020〕26号 (geological disasters) — defines 以上/以下 itself in 八（一）.
    Disaster26,
    /// 郑政文〔2020〕70号 (e-government IT projects).
    ItProject70,
    /// 郑政办〔2020〕27号 (deputies' suggestions and members' proposals).
    Proposal27,
}

pub const CIVIL_CODE: &str = "《中华人民共和国民法典》第一千二百五十九条";
pub const CIVIL_CODE_TEXT: &str =
    "民法所称的“以上”“以下”“以内”“届满”，包括本数；所称的“不满”“超过”“以外”，不包括本数";
pub const DISASTER_DEFINITION: &str = "郑政办〔2020〕26号 八（一）";
pub const DISASTER_DEFINITION_TEXT: &str =
    "本预案有关数量的表述中，“以上”含本数，“以下”不含本数（未定义的用语按民法典）";

impl Document {
    /// The reading that applies unless a parameter says otherwise.
    pub fn default_reading(self) -> Reading {
        match self {
            Document::Disaster26 => Reading::BelowExclusive,
            _ => Reading::CivilCode,
        }
    }
    /// The `--params` key that selects the reading for this document.
    pub fn parameter(self) -> &'static str {
        match self {
            Document::Talent24 => "talent.counting",
            Document::Disaster26 => "disaster.counting",
            Document::ItProject70 => "it_project.counting",
            Document::Proposal27 => "proposal.counting",
        }
    }
    /// Which reading decided, under `reading`, for this document.
    pub fn counting(self, reading: Reading) -> Counting {
        let default = reading == self.default_reading();
        let (citation, rule, short) = match reading {
            Reading::CivilCode => (CIVIL_CODE, CIVIL_CODE_TEXT, "《民法典》第一千二百五十九条"),
            Reading::BelowExclusive if self == Document::Disaster26 => (
                DISASTER_DEFINITION,
                DISASTER_DEFINITION_TEXT,
                "郑政办〔2020〕26号 八（一）",
            ),
            Reading::BelowExclusive => (
                DISASTER_DEFINITION,
                DISASTER_DEFINITION_TEXT,
                "参数选用郑政办〔2020〕26号 八（一）的定义",
            ),
        };
        Counting {
            reading,
            citation,
            rule,
            parameter: self.parameter(),
            default,
            short,
        }
    }
}

/// Which reading of the counting words decided a decision: part of every decision whose outcome
/// depends on a counting word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Counting {
    /// `civil_code` or `below_exclusive`.
    pub reading: Reading,
    /// The text that decided: 《中华人民共和国民法典》第一千二百五十九条 or 郑政办〔2020〕26号 八（一）.
    pub citation: &'static str,
    /// What that text says.
    pub rule: &'static str,
    /// The `--params` key that selects the reading for this document.
    pub parameter: &'static str,
    /// Whether this is the document's default reading (false: chosen by the parameter).
    pub default: bool,
    /// The short citation used inside explanations.
    #[serde(skip)]
    pub short: &'static str,
}

impl Counting {
    /// `“以下”含本数（《民法典》第一千二百五十九条）` — the note an explanation adds after a
    /// threshold to say how its word was read.
    pub fn note(&self, word: Word) -> String {
        format!(
            "“{}”{}本数，{}",
            word.text(),
            if self.reading.includes(word) {
                "含"
            } else {
                "不含"
            },
            self.short
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 民法典 第一千二百五十九条 word by word, and 26号 八（一） differing only on 以下.
    #[test]
    fn readings_word_by_word() {
        use Word::*;
        for (word, civil, below_exclusive) in [
            (Above, true, true),
            (Below, true, false),
            (Within, true, true),
            (Expiry, true, true),
            (Under, false, false),
            (Over, false, false),
            (Outside, false, false),
        ] {
            assert_eq!(Reading::CivilCode.includes(word), civil, "{}", word.text());
            assert_eq!(
                Reading::BelowExclusive.includes(word),
                below_exclusive,
                "{}",
                word.text()
            );
        }
    }

    /// At, below and above a limit of 35, for every word, under both readings.
    #[test]
    fn holds_at_below_and_above_the_limit() {
        use Word::*;
        for reading in [Reading::CivilCode, Reading::BelowExclusive] {
            for word in [Above, Below, Within, Expiry, Under, Over, Outside] {
                let at = reading.holds(35, word, 35);
                assert_eq!(at, reading.includes(word), "{} at", word.text());
                let upward = matches!(word, Above | Expiry | Over | Outside);
                assert_eq!(reading.holds(36, word, 35), upward, "{} above", word.text());
                assert_eq!(
                    reading.holds(34, word, 35),
                    !upward,
                    "{} below",
                    word.text()
                );
            }
        }
    }

    #[test]
    fn only_26_defines_its_own_reading() {
        for doc in [
            Document::Talent24,
            Document::Disaster26,
            Document::ItProject70,
            Document::Proposal27,
        ] {
            let c = doc.counting(doc.default_reading());
            assert!(c.default);
            if doc == Document::Disaster26 {
                assert_eq!(c.citation, DISASTER_DEFINITION);
            } else {
                assert_eq!(c.citation, CIVIL_CODE);
            }
            let other = match doc.default_reading() {
                Reading::CivilCode => Reading::BelowExclusive,
                Reading::BelowExclusive => Reading::CivilCode,
            };
            assert!(!doc.counting(other).default);
        }
        assert_eq!(
            Document::Talent24
                .counting(Reading::CivilCode)
                .note(Word::Below),
            "“以下”含本数，《民法典》第一千二百五十九条"
        );
    }
}
