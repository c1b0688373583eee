//! Masking of personal data (个人信息脱敏): ID numbers and phone numbers are masked in lists
//! and never published.

/// Mask a mainland ID number (身份证号): keep the first 6 and last 4 characters.
pub fn id_number(s: &str) -> String {
    keep_ends(s, 6, 4)
}

/// Mask a phone number: keep the first 3 and last 4 digits.
pub fn phone(s: &str) -> String {
    keep_ends(s, 3, 4)
}

/// Mask a person's name for public pages: keep the surname only (`张*`, `欧阳**`).
pub fn person_name(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    match chars.len() {
        0 => String::new(),
        1 => "*".to_string(),
        n => {
            let keep = if n >= 4 { 2 } else { 1 };
            chars[..keep].iter().collect::<String>() + &"*".repeat(n - keep)
        }
    }
}

fn keep_ends(s: &str, head: usize, tail: usize) -> String {
    let chars: Vec<char> = s.chars().collect();
    if chars.len() <= head + tail {
        return "*".repeat(chars.len());
    }
    let mut out: String = chars[..head].iter().collect();
    out.push_str(&"*".repeat(chars.len() - head - tail));
    out.extend(&chars[chars.len() - tail..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_keep_only_the_ends() {
        assert_eq!(id_number("410102199001011234"), "410102********1234");
        assert_eq!(phone("13812345678"), "138****5678");
        assert_eq!(phone("123"), "***");
        assert_eq!(person_name("张三"), "张*");
        assert_eq!(person_name("欧阳娜娜"), "欧阳**");
    }
}
