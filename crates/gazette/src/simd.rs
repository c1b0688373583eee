//! Byte tests sixteen at a time with SSE2 (字节块测试), for the scans that read every byte of
//! the text: the JSON escape search (`json`) and the whitespace search (`text`). SSE2 is part of
//! every x86-64 processor; on other targets the callers keep their eight-byte word versions.
//!
//! Each function takes a block of bytes as an array, so its loads stay inside it, and returns
//! one bit per tested byte (bit `i` for byte `i`).

use std::arch::x86_64::{
    __m128i, _mm_and_si128, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_max_epu8, _mm_movemask_epi8,
    _mm_or_si128, _mm_set1_epi8,
};

/// Sixteen bytes of `bytes` from `at`, as one vector.
///
/// SAFETY (for callers): SSE2 must be available, as it is on every x86-64 processor.
#[inline(always)]
unsafe fn load(bytes: &[u8], at: usize) -> __m128i {
    let block: &[u8; 16] = bytes[at..at + 16].try_into().expect("sixteen bytes");
    // SAFETY: `block` is sixteen readable bytes, exactly what `_mm_loadu_si128` reads; it needs
    // no alignment.
    unsafe { _mm_loadu_si128(block.as_ptr().cast::<__m128i>()) }
}

/// `bytes` (at most `N` of them) at the start of a block of `N`, the rest filled with `a`, a
/// byte no test here flags: the end of a text tested as a whole block.
#[inline(always)]
pub(crate) fn padded<const N: usize>(bytes: &[u8]) -> [u8; N] {
    let mut block = [b'a'; N];
    block[..bytes.len()].copy_from_slice(bytes);
    block
}

/// The bytes of `block` a JSON string must escape: control bytes (at most 0x1F — the unsigned
/// maximum with 0x1F is 0x1F), `"` and `\`.
#[inline(always)]
pub(crate) fn json_escapes(block: &[u8; 16]) -> u32 {
    // SAFETY: SSE2 instructions, which every x86-64 processor has (the target enables the
    // feature); `load` reads inside `block`.
    unsafe {
        let v = load(block, 0);
        let low = _mm_set1_epi8(0x1F);
        let control = _mm_cmpeq_epi8(_mm_max_epu8(v, low), low);
        let quote = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'"' as i8));
        let backslash = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'\\' as i8));
        _mm_movemask_epi8(_mm_or_si128(control, _mm_or_si128(quote, backslash))) as u32
    }
}

/// The first sixteen bytes of `block` that may start whitespace or `*` (the caller tests each
/// exactly): every byte up to the space, `*`, the lead bytes `C2`, `E1` and `E2`, and `E3`
/// only when `80 80` follows (U+3000; the CJK punctuation `、` `。` also starts with `E3 80`,
/// so testing the third byte here keeps Chinese text from sending every block to the exact
/// test). The last two bytes are only read as the ones after the sixteenth.
#[inline(always)]
pub(crate) fn space_candidates(block: &[u8; 18]) -> u32 {
    // SAFETY: SSE2 instructions, which every x86-64 processor has (the target enables the
    // feature); each `load` reads sixteen bytes inside the eighteen of `block`.
    unsafe {
        let (x, y, z) = (load(block, 0), load(block, 1), load(block, 2));
        let eq = |v: __m128i, c: u8| _mm_cmpeq_epi8(v, _mm_set1_epi8(c as i8));
        let space = _mm_set1_epi8(0x20);
        let up_to_space = _mm_cmpeq_epi8(_mm_max_epu8(x, space), space);
        let ideographic = _mm_and_si128(eq(x, 0xE3), _mm_and_si128(eq(y, 0x80), eq(z, 0x80)));
        let leads = _mm_or_si128(eq(x, 0xC2), _mm_or_si128(eq(x, 0xE1), eq(x, 0xE2)));
        let star = eq(x, b'*');
        let any = _mm_or_si128(
            _mm_or_si128(up_to_space, star),
            _mm_or_si128(leads, ideographic),
        );
        _mm_movemask_epi8(any) as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_byte_value_in_every_lane() {
        for value in 0..=255u8 {
            for lane in 0..16 {
                let mut block = [b'a'; 18];
                block[lane] = value;
                let escape = value < 0x20 || value == b'"' || value == b'\\';
                let escapes = json_escapes(block[..16].try_into().expect("sixteen"));
                assert_eq!(escapes, u32::from(escape) << lane, "{value:#x} at {lane}");
                let candidate = value <= 0x20 || matches!(value, b'*' | 0xC2 | 0xE1 | 0xE2);
                assert_eq!(space_candidates(&block), u32::from(candidate) << lane);
            }
        }
        let mut block = [b'a'; 18];
        block[15..18].copy_from_slice("\u{3000}".as_bytes());
        assert_eq!(space_candidates(&block), 1 << 15);
        block[15..18].copy_from_slice("。".as_bytes());
        assert_eq!(space_candidates(&block), 0);
    }
}
