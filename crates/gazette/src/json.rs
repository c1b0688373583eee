//! 输出合同的 JSON 写出 (the output contract written as JSON): values as pretty JSON, byte for
//! byte what `serde_json::to_writer_pretty` writes, at any nesting depth, and fast.
//!
//! [`write_pretty`] drives a serializer of its own ([`Pretty`]) for the shapes the output
//! contract uses — structs, sequences, options, strings, numbers, booleans, unit variants, maps
//! with text keys. Strings are escaped eight bytes at a time (a gazette's text is nearly all
//! ideographs, which never need escaping); numbers are formatted as serde_json formats them
//! (`itoa`; floats by serde_json itself). Any other shape (enum variants with data, maps with
//! other keys) makes the fast serializer give up, and the value is written again by serde_json
//! with [`Nested`], the same pretty formatter started at the same depth: the bytes are the same
//! either way. Documents are written one by one into buffers, so a reader can write each as
//! soon as it is read (see [`crate::parse_to_json`]).

mod keys;

use serde::ser::{self, Serialize};
use std::fmt;

/// Write `value` as pretty JSON (two spaces a level) into `out`, as it reads nested `depth`
/// levels deep: exactly the bytes `serde_json::to_writer_pretty` writes for it there.
pub fn write_pretty<T: Serialize + ?Sized>(
    value: &T,
    out: &mut Vec<u8>,
    depth: usize,
) -> std::io::Result<()> {
    let start = out.len();
    let fast = value.serialize(&mut Pretty {
        out: &mut *out,
        depth,
        keys: keys::Keys::new(),
    });
    if fast.is_err() {
        out.truncate(start);
        let mut ser = serde_json::Serializer::with_formatter(&mut *out, Nested::at(depth));
        value.serialize(&mut ser)?;
    }
    Ok(())
}

/// The fast serializer gave up on a shape (or the value's own `Serialize` failed): the value
/// is written again by serde_json, which reports a real failure.
#[derive(Debug)]
pub struct GiveUp;

impl fmt::Display for GiveUp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("shape left to serde_json")
    }
}

impl std::error::Error for GiveUp {}

impl ser::Error for GiveUp {
    fn custom<T: fmt::Display>(_msg: T) -> Self {
        GiveUp
    }
}

/// Two spaces per level, written in slices of this.
const SPACES: &[u8] = &[b' '; 64];

/// A comma, a line break and the spaces of up to [`SPACES`]`.len() / 2` levels: what comes
/// before a member, written in one copy.
const BREAK_SPACES: &[u8] = b",\n                                                                ";

/// What goes before a member `depth` levels deep: `,` unless it is the first, a line break
/// and the indent. Inlined: it runs before every member, and its call cost more than its
/// block copy.
#[inline(always)]
fn line_break(out: &mut Vec<u8>, depth: usize, comma: bool) {
    let from = usize::from(!comma);
    let to = 2 + depth * 2;
    match BREAK_SPACES.get(from..from + BLOCK) {
        Some(block) if to - from <= BLOCK => {
            append_prefix::<BLOCK>(out, block.try_into().expect("a block"), to - from)
        }
        _ => match BREAK_SPACES.get(from..to) {
            Some(bytes) => out.extend_from_slice(bytes),
            None => {
                out.extend_from_slice(&BREAK_SPACES[from..2]);
                indent(out, depth);
            }
        },
    }
}

/// Bytes copied at once by [`append_prefix`].
pub(crate) const BLOCK: usize = 32;

/// The first `len` bytes of `block` appended to `out`: the whole block is copied (a copy of a
/// fixed size is a few vector moves, where a copy of a length known only when it runs is a
/// call to `memcpy`) and the bytes past `len` taken off again.
#[inline(always)]
pub(crate) fn append_prefix<const N: usize>(out: &mut Vec<u8>, block: &[u8; N], len: usize) {
    let end = out.len() + len;
    out.extend_from_slice(block);
    out.truncate(end);
}

/// What goes before a member's value `depth` levels deep: the [`line_break`], the key and
/// `: `. A key with nothing to escape (every field name of the model) is copied as it is,
/// with room made once: a member is mostly this bookkeeping, not its value.
fn member_key(out: &mut Vec<u8>, depth: usize, comma: bool, key: &str) {
    let from = usize::from(!comma);
    let to = 2 + depth * 2;
    match BREAK_SPACES.get(from..to) {
        Some(brk) if !needs_escape(key.as_bytes()) => {
            out.reserve(brk.len() + key.len() + 4);
            out.extend_from_slice(brk);
            out.push(b'"');
            out.extend_from_slice(key.as_bytes());
            out.extend_from_slice(b"\": ");
        }
        _ => {
            line_break(out, depth, comma);
            write_str(out, key);
            out.extend_from_slice(b": ");
        }
    }
}

fn indent(out: &mut Vec<u8>, depth: usize) {
    let mut n = depth * 2;
    while n > 0 {
        let k = n.min(SPACES.len());
        out.extend_from_slice(&SPACES[..k]);
        n -= k;
    }
}

/// The bytes of `w` (eight, little-endian) that must be escaped in a JSON string — a control
/// byte (below 0x20), `"` or `\` — as a mask with the high bit of each such byte set. Bytes
/// above the first such byte may be flagged wrongly (a borrow carries upward); the lowest
/// flagged byte is always the first one to escape, and the mask is zero exactly when none is.
#[inline(always)]
fn escape_mask(w: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let below_space = w.wrapping_sub(ONES * 0x20) & !w;
    let quote = w ^ (ONES * u64::from(b'"'));
    let backslash = w ^ (ONES * u64::from(b'\\'));
    let zero = |v: u64| v.wrapping_sub(ONES) & !v;
    (below_space | zero(quote) | zero(backslash)) & HIGH
}

/// The index of the first byte at or after `from` that must be escaped: on x86-64 sixteen
/// bytes a step ([`next_escape_by_blocks`]), elsewhere [`next_escape_by_words`].
#[inline(always)]
fn next_escape(b: &[u8], from: usize) -> Option<usize> {
    #[cfg(target_arch = "x86_64")]
    return next_escape_by_blocks(b, from);
    #[cfg(not(target_arch = "x86_64"))]
    return next_escape_by_words(b, from);
}

/// The escape search sixteen bytes a step ([`crate::simd::json_escapes`]): blocks from
/// `from`; the last bytes (a short text's only ones) as a block padded with letters.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn next_escape_by_blocks(b: &[u8], mut from: usize) -> Option<usize> {
    use crate::simd::{json_escapes, padded};
    while from < b.len() {
        let mask = match b.get(from..from + 16) {
            Some(block) => json_escapes(block.try_into().expect("sixteen bytes")),
            None => json_escapes(&padded(&b[from..])),
        };
        if mask != 0 {
            return Some(from + mask.trailing_zeros() as usize);
        }
        from += 16;
    }
    None
}

/// The index of the first byte at or after `from` that must be escaped: eight bytes at a
/// time; the last few in the text's last eight bytes, the ones before `from` (already read)
/// taken as spaces; a text shorter than eight bytes one byte at a time.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
#[inline(always)]
fn next_escape_by_words(b: &[u8], mut from: usize) -> Option<usize> {
    // Sixteen bytes a step while nothing is found (one test for two words); the step that
    // finds something is read again eight bytes at a time below.
    let word = |w: &[u8]| u64::from_le_bytes(w.try_into().expect("eight bytes"));
    while let Some(pair) = b.get(from..from + 16) {
        if escape_mask(word(&pair[..8])) | escape_mask(word(&pair[8..])) != 0 {
            break;
        }
        from += 16;
    }
    while let Some(chunk) = b.get(from..from + 8) {
        let mask = escape_mask(u64::from_le_bytes(chunk.try_into().expect("eight bytes")));
        if mask != 0 {
            return Some(from + (mask.trailing_zeros() / 8) as usize);
        }
        from += 8;
    }
    if from >= b.len() {
        return None;
    }
    let Some(last) = b.len().checked_sub(8) else {
        return b[from..]
            .iter()
            .position(|&c| c < 0x20 || c == b'"' || c == b'\\')
            .map(|k| from + k);
    };
    // The loop stopped with fewer than eight bytes left: 1 to 7 of the window are read.
    let keep = u64::MAX << (8 * (from - last));
    let word = u64::from_le_bytes(b[last..].try_into().expect("eight bytes"));
    let mask = escape_mask((word & keep) | (u64::from_le_bytes([b' '; 8]) & !keep));
    (mask != 0).then(|| last + (mask.trailing_zeros() / 8) as usize)
}

/// True when `b` holds a byte to escape. A short text (a field name) is read as two
/// overlapping four-byte words rather than byte by byte.
#[inline(always)]
fn needs_escape(b: &[u8]) -> bool {
    const HIGH_SPACES: u64 = 0x2020_2020 << 32;
    let word = |at: usize| {
        let four: [u8; 4] = b[at..at + 4].try_into().expect("four bytes");
        escape_mask(u64::from(u32::from_le_bytes(four)) | HIGH_SPACES)
    };
    match b.len() {
        8.. => next_escape(b, 0).is_some(),
        4..=7 => word(0) | word(b.len() - 4) != 0,
        _ => b.iter().any(|&c| c < 0x20 || c == b'"' || c == b'\\'),
    }
}

/// `s` as a JSON string with serde_json's escapes (`\"`, `\\`, `\b`, `\f`, `\n`, `\r`, `\t`,
/// other control bytes as `\u00xx`). Most strings need none: one search, one copy.
pub fn write_str(out: &mut Vec<u8>, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let b = s.as_bytes();
    // A short string (most: ids, markers, operators, names) is tested as one padded block,
    // and that block is what is copied when nothing needs escaping.
    #[cfg(target_arch = "x86_64")]
    if b.len() < 16 {
        let block: [u8; 16] = crate::simd::padded(b);
        if crate::simd::json_escapes(&block) == 0 {
            out.reserve(18);
            out.push(b'"');
            append_prefix(out, &block, b.len());
            out.push(b'"');
            return;
        }
    }
    out.reserve(b.len() + 2);
    out.push(b'"');
    let mut start = 0;
    while let Some(i) = next_escape(b, start) {
        out.extend_from_slice(&b[start..i]);
        let c = b[i];
        match c {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x0C => out.extend_from_slice(b"\\f"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            _ => out.extend_from_slice(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(c >> 4)],
                HEX[usize::from(c & 0xF)],
            ]),
        }
        start = i + 1;
    }
    out.extend_from_slice(&b[start..]);
    out.push(b'"');
}

/// The serializer methods for integers: each written as serde_json writes it (`itoa`).
macro_rules! integers {
    ($($method:ident: $ty:ty,)*) => {
        $(fn $method(self, v: $ty) -> Result<(), GiveUp> {
            self.integer(v)
        })*
    };
}

/// Serializer methods for scalars a map key may not be (only text keys are written here).
macro_rules! refuse {
    ($($method:ident: $ty:ty,)*) => {
        $(fn $method(self, _: $ty) -> Result<String, GiveUp> {
            Err(GiveUp)
        })*
    };
}

/// The fast pretty serializer, `depth` levels deep.
pub struct Pretty<'a> {
    out: &'a mut Vec<u8>,
    depth: usize,
    /// The struct field names written so far, ready to copy.
    keys: keys::Keys,
}

impl Pretty<'_> {
    fn integer(&mut self, v: impl itoa::Integer) -> Result<(), GiveUp> {
        self.out
            .extend_from_slice(itoa::Buffer::new().format(v).as_bytes());
        Ok(())
    }

    /// Open an array or object: `[` or `{`, one level deeper.
    fn open(&mut self, bracket: u8) -> Result<Compound<'_, Self>, GiveUp> {
        self.out.push(bracket);
        self.depth += 1;
        Ok(Compound {
            ser: self,
            first: true,
        })
    }
}

/// An array or object being written: `first` until its first member.
pub struct Compound<'b, S> {
    ser: &'b mut S,
    first: bool,
}

impl<'a> Compound<'_, Pretty<'a>> {
    /// The line break and indent before a member.
    fn member(&mut self) {
        line_break(self.ser.out, self.ser.depth, !self.first);
        self.first = false;
    }

    fn close(self, bracket: u8) -> Result<(), GiveUp> {
        self.ser.depth -= 1;
        if !self.first {
            line_break(self.ser.out, self.ser.depth, false);
        }
        self.ser.out.push(bracket);
        Ok(())
    }

    fn field<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<(), GiveUp> {
        member_key(self.ser.out, self.ser.depth, !self.first, key);
        self.first = false;
        value.serialize(&mut *self.ser)
    }
}

impl<'a, 'b> ser::Serializer for &'b mut Pretty<'a> {
    type Ok = ();
    type Error = GiveUp;
    type SerializeSeq = Compound<'b, Pretty<'a>>;
    type SerializeTuple = Compound<'b, Pretty<'a>>;
    type SerializeTupleStruct = Compound<'b, Pretty<'a>>;
    type SerializeTupleVariant = ser::Impossible<(), GiveUp>;
    type SerializeMap = Compound<'b, Pretty<'a>>;
    type SerializeStruct = Compound<'b, Pretty<'a>>;
    type SerializeStructVariant = ser::Impossible<(), GiveUp>;

    fn serialize_bool(self, v: bool) -> Result<(), GiveUp> {
        self.out
            .extend_from_slice(if v { b"true" } else { b"false" });
        Ok(())
    }
    integers! {
        serialize_i8: i8,
        serialize_i16: i16,
        serialize_i32: i32,
        serialize_i64: i64,
        serialize_i128: i128,
        serialize_u8: u8,
        serialize_u16: u16,
        serialize_u32: u32,
        serialize_u64: u64,
        serialize_u128: u128,
    }
    fn serialize_f32(self, v: f32) -> Result<(), GiveUp> {
        serde_json::to_writer(&mut *self.out, &v).map_err(|_| GiveUp)
    }
    fn serialize_f64(self, v: f64) -> Result<(), GiveUp> {
        serde_json::to_writer(&mut *self.out, &v).map_err(|_| GiveUp)
    }
    fn serialize_char(self, v: char) -> Result<(), GiveUp> {
        write_str(self.out, v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), GiveUp> {
        write_str(self.out, v);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), GiveUp> {
        // serde_json writes bytes as an array of numbers.
        use ser::SerializeSeq as _;
        let mut seq = self.serialize_seq(Some(v.len()))?;
        for byte in v {
            seq.serialize_element(byte)?;
        }
        seq.end()
    }
    fn serialize_none(self) -> Result<(), GiveUp> {
        self.serialize_unit()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), GiveUp> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), GiveUp> {
        self.out.extend_from_slice(b"null");
        Ok(())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), GiveUp> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), GiveUp> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), GiveUp> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<(), GiveUp> {
        Err(GiveUp)
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq, GiveUp> {
        self.open(b'[')
    }
    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, GiveUp> {
        self.open(b'[')
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct, GiveUp> {
        self.open(b'[')
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, GiveUp> {
        Err(GiveUp)
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, GiveUp> {
        self.open(b'{')
    }
    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStruct, GiveUp> {
        self.open(b'{')
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, GiveUp> {
        Err(GiveUp)
    }
}

impl ser::SerializeSeq for Compound<'_, Pretty<'_>> {
    type Ok = ();
    type Error = GiveUp;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), GiveUp> {
        self.member();
        value.serialize(&mut *self.ser)
    }
    fn end(self) -> Result<(), GiveUp> {
        self.close(b']')
    }
}

impl ser::SerializeTuple for Compound<'_, Pretty<'_>> {
    type Ok = ();
    type Error = GiveUp;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), GiveUp> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<(), GiveUp> {
        self.close(b']')
    }
}

impl ser::SerializeTupleStruct for Compound<'_, Pretty<'_>> {
    type Ok = ();
    type Error = GiveUp;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), GiveUp> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<(), GiveUp> {
        self.close(b']')
    }
}

impl ser::SerializeStruct for Compound<'_, Pretty<'_>> {
    type Ok = ();
    type Error = GiveUp;
    #[inline(always)]
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), GiveUp> {
        let ser = &mut *self.ser;
        let Some((block, len)) = ser.keys.rendered(key) else {
            return self.field(key, value);
        };
        line_break(ser.out, ser.depth, !self.first);
        append_prefix(ser.out, block, len);
        self.first = false;
        value.serialize(&mut *self.ser)
    }
    fn end(self) -> Result<(), GiveUp> {
        self.close(b'}')
    }
}

impl ser::SerializeMap for Compound<'_, Pretty<'_>> {
    type Ok = ();
    type Error = GiveUp;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), GiveUp> {
        // Text keys only; serde_json's conversions of other keys are left to it.
        let key = key.serialize(KeyText)?;
        self.member();
        write_str(self.ser.out, &key);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), GiveUp> {
        self.ser.out.extend_from_slice(b": ");
        value.serialize(&mut *self.ser)
    }
    fn end(self) -> Result<(), GiveUp> {
        self.close(b'}')
    }
}

/// A map key that is text (anything else gives up).
struct KeyText;

impl ser::Serializer for KeyText {
    type Ok = String;
    type Error = GiveUp;
    type SerializeSeq = ser::Impossible<String, GiveUp>;
    type SerializeTuple = ser::Impossible<String, GiveUp>;
    type SerializeTupleStruct = ser::Impossible<String, GiveUp>;
    type SerializeTupleVariant = ser::Impossible<String, GiveUp>;
    type SerializeMap = ser::Impossible<String, GiveUp>;
    type SerializeStruct = ser::Impossible<String, GiveUp>;
    type SerializeStructVariant = ser::Impossible<String, GiveUp>;

    fn serialize_str(self, v: &str) -> Result<String, GiveUp> {
        Ok(v.to_string())
    }
    refuse! {
        serialize_bool: bool,
        serialize_i8: i8,
        serialize_i16: i16,
        serialize_i32: i32,
        serialize_i64: i64,
        serialize_u8: u8,
        serialize_u16: u16,
        serialize_u32: u32,
        serialize_u64: u64,
        serialize_f32: f32,
        serialize_f64: f64,
        serialize_char: char,
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<String, GiveUp> {
        Err(GiveUp)
    }
    fn serialize_none(self) -> Result<String, GiveUp> {
        Err(GiveUp)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<String, GiveUp> {
        Err(GiveUp)
    }
    fn serialize_unit(self) -> Result<String, GiveUp> {
        Err(GiveUp)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<String, GiveUp> {
        Err(GiveUp)
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
    ) -> Result<String, GiveUp> {
        Err(GiveUp)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: &T,
    ) -> Result<String, GiveUp> {
        Err(GiveUp)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<String, GiveUp> {
        Err(GiveUp)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, GiveUp> {
        Err(GiveUp)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, GiveUp> {
        Err(GiveUp)
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, GiveUp> {
        Err(GiveUp)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, GiveUp> {
        Err(GiveUp)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, GiveUp> {
        Err(GiveUp)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, GiveUp> {
        Err(GiveUp)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, GiveUp> {
        Err(GiveUp)
    }
}

/// serde_json's pretty formatter (two spaces a level), starting `depth` levels deep, so a value
/// written alone reads as it does nested in a larger document.
pub struct Nested {
    depth: usize,
    has_value: bool,
}

impl Nested {
    pub fn at(depth: usize) -> Nested {
        Nested {
            depth,
            has_value: false,
        }
    }

    fn indent<W: ?Sized + std::io::Write>(&self, w: &mut W) -> std::io::Result<()> {
        let mut n = self.depth * 2;
        while n > 0 {
            let k = n.min(SPACES.len());
            w.write_all(&SPACES[..k])?;
            n -= k;
        }
        Ok(())
    }

    /// Open an array or object: `[` or `{`, one level deeper.
    fn open<W: ?Sized + std::io::Write>(&mut self, w: &mut W, bracket: u8) -> std::io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(&[bracket])
    }

    /// Close an array or object: its last member's line break and indent, then `]` or `}`.
    fn close<W: ?Sized + std::io::Write>(&mut self, w: &mut W, bracket: u8) -> std::io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            w.write_all(b"\n")?;
            self.indent(w)?;
        }
        w.write_all(&[bracket])
    }

    /// The line break and indent before a member (an element or a key).
    fn member<W: ?Sized + std::io::Write>(&self, w: &mut W, first: bool) -> std::io::Result<()> {
        w.write_all(if first { b"\n" } else { b",\n" })?;
        self.indent(w)
    }
}

impl serde_json::ser::Formatter for Nested {
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b'[')
    }

    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b']')
    }

    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.member(w, first)
    }

    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, _w: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b'{')
    }

    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b'}')
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.member(w, first)
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, _w: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;
    use std::collections::BTreeMap;

    fn pretty<T: Serialize>(v: &T) -> String {
        let mut out = Vec::new();
        write_pretty(v, &mut out, 0).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[derive(Serialize)]
    enum Shape {
        Unit,
        Pair(u8, u8),
        Named { a: i32 },
        Wrapped(String),
    }

    #[derive(Serialize)]
    struct Everything {
        text: String,
        empty: Vec<u8>,
        nested: Vec<Vec<Option<i64>>>,
        float: f64,
        floats: Vec<f64>,
        flag: bool,
        ch: char,
        unit: (),
        tuple: (u8, String),
        shapes: Vec<Shape>,
        by_name: BTreeMap<String, u32>,
        by_number: BTreeMap<u32, String>,
        empty_map: BTreeMap<String, u32>,
    }

    #[test]
    fn every_shape_is_written_as_serde_json_writes_it() {
        let mut by_number = BTreeMap::new();
        by_number.insert(7, "七".to_string());
        let mut by_name = BTreeMap::new();
        by_name.insert("键\"".to_string(), 1);
        let v = Everything {
            text: "郑州市\"引号\"\\反斜杠\n换行\t\r\u{8}\u{c}\u{1}\u{1f}\u{7f}末尾 ascii text!"
                .into(),
            empty: vec![],
            nested: vec![vec![], vec![Some(-3), None], vec![Some(i64::MAX)]],
            float: 0.1,
            floats: vec![1.0, 65.5, f64::NAN, 1e21, -0.0],
            flag: true,
            ch: '"',
            unit: (),
            tuple: (1, "二".into()),
            shapes: vec![],
            by_name,
            by_number: BTreeMap::new(),
            empty_map: BTreeMap::new(),
        };
        assert_eq!(pretty(&v), serde_json::to_string_pretty(&v).unwrap());
        // Shapes the fast serializer leaves to serde_json: the same bytes all the same.
        let v = Everything {
            shapes: vec![
                Shape::Unit,
                Shape::Pair(1, 2),
                Shape::Named { a: -1 },
                Shape::Wrapped("包".into()),
            ],
            by_number,
            ..v
        };
        assert_eq!(pretty(&v), serde_json::to_string_pretty(&v).unwrap());
    }

    #[test]
    fn strings_of_every_length_and_escape_position_match_serde_json() {
        let pieces = [
            "a", "中", "\"", "\\", "\n", "\u{0}", "\u{1b}", "é", "\u{1f}", " ", "\u{7f}",
        ];
        for len in 0..24 {
            for (k, special) in pieces.iter().enumerate() {
                for at in 0..=len {
                    let mut s = String::new();
                    for i in 0..len {
                        s.push_str(if i == at {
                            special
                        } else {
                            pieces[(i + k) % 2]
                        });
                    }
                    let mut out = Vec::new();
                    write_str(&mut out, &s);
                    assert_eq!(out, serde_json::to_vec(&s).unwrap(), "{s:?}");
                    let escapes = s.bytes().any(|c| c < 0x20 || c == b'"' || c == b'\\');
                    assert_eq!(needs_escape(s.as_bytes()), escapes, "{s:?}");
                    for from in 0..=s.len() {
                        assert_eq!(
                            next_escape(s.as_bytes(), from),
                            next_escape_by_words(s.as_bytes(), from),
                            "{s:?} from {from}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn a_value_nested_deeper_reads_as_it_does_inside_its_parent() {
        let inner = vec![vec!["一", "二"], vec![]];
        let mut out = b"{\n  \"k\": ".to_vec();
        write_pretty(&inner, &mut out, 1).unwrap();
        out.extend_from_slice(b"\n}");
        let whole = serde_json::to_string_pretty(&BTreeMap::from([("k", &inner)])).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), whole);
    }
}
