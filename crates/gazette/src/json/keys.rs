//! Struct field names, written once per value (字段名缓存): a struct member's `"key": ` is the
//! same bytes every time, so after the first time it is one copy, without the escape test.
//!
//! Only `&'static str` names are kept: static text is never freed, so its address and length
//! name one text for the whole run. (A map's keys are made and dropped as the map is written;
//! they are never kept here.)

/// Slots of the cache, chosen by the name's address.
const SLOTS: usize = 64;

/// Longest name kept, in bytes (with its quotes and `: ` it fills a [`super::BLOCK`]).
const LONGEST: usize = super::BLOCK - 4;

#[derive(Clone, Copy)]
struct Slot {
    address: usize,
    len: usize,
    /// `"key": `, the first `rendered` bytes (the rest is copied with them, then dropped).
    bytes: [u8; super::BLOCK],
    rendered: u8,
}

/// The names met so far, one per slot (a later name in the same slot takes its place).
pub(super) struct Keys {
    slots: [Slot; SLOTS],
}

impl Keys {
    pub(super) fn new() -> Keys {
        let empty = Slot {
            address: 0,
            len: 0,
            bytes: [0; super::BLOCK],
            rendered: 0,
        };
        Keys {
            slots: [empty; SLOTS],
        }
    }

    /// `"key": ` for the field name `key`, as a block of [`super::BLOCK`] bytes and the length
    /// of `"key": ` in it; `None` when it needs escapes or is long (written the general way
    /// then).
    #[inline]
    pub(super) fn rendered(&mut self, key: &'static str) -> Option<(&[u8; super::BLOCK], usize)> {
        let address = key.as_ptr() as usize;
        let slot = &mut self.slots[(address ^ (address >> 6) ^ key.len()) % SLOTS];
        if slot.address != address || slot.len != key.len() || slot.rendered == 0 {
            if key.len() > LONGEST || super::needs_escape(key.as_bytes()) {
                return None;
            }
            let n = key.len();
            slot.bytes[0] = b'"';
            slot.bytes[1..=n].copy_from_slice(key.as_bytes());
            slot.bytes[n + 1..n + 4].copy_from_slice(b"\": ");
            slot.rendered = (n + 4) as u8;
            slot.address = address;
            slot.len = n;
        }
        Some((&slot.bytes, usize::from(slot.rendered)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_rendered_once_and_read_back_the_same() {
        let mut keys = Keys::new();
        for _ in 0..3 {
            for key in ["no", "first_line", "assisting_units", "a\"b", "名称"] {
                let expected = format!("{}: ", serde_json::to_string(key).unwrap());
                match keys.rendered(key) {
                    Some((block, len)) => assert_eq!(&block[..len], expected.as_bytes(), "{key}"),
                    None => assert!(key.contains('"'), "{key}"),
                }
            }
        }
        let long: &'static str = "a_field_name_longer_than_any_slot";
        assert!(keys.rendered(long).is_none());
    }
}
