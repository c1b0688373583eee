//! Cached views (视图缓存): read models that are costly to build (the supervision dashboard
//! over thousands of items) are kept in memory and reused until the data changes.
//!
//! Each entry carries a stamp — the area's generation counter, kept in the database and bumped
//! by every write to the area in the writer's own transaction, plus the business date. A read
//! first fetches the current stamp (one indexed lookup) and rebuilds only when it differs, so
//! several servers sharing one database never serve each other's stale data.

use std::any::Any;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Most entries kept; beyond this the cache starts over (entries are cheap to rebuild).
const MAX_ENTRIES: usize = 2_000;

type Entry = (String, Arc<dyn Any + Send + Sync>);

/// The cache itself.
#[derive(Default)]
pub struct ViewCache {
    entries: Mutex<HashMap<String, Entry>>,
}

impl ViewCache {
    /// The value stored under `key` if its stamp is still `stamp`; otherwise build it with
    /// `build`, store it and return it. A failed build stores nothing.
    pub fn get_or<T, E>(
        &self,
        key: &str,
        stamp: &str,
        build: impl FnOnce() -> Result<T, E>,
    ) -> Result<Arc<T>, E>
    where
        T: Send + Sync + 'static,
    {
        if let Ok(map) = self.entries.lock() {
            if let Some((s, v)) = map.get(key) {
                if s == stamp {
                    if let Ok(v) = v.clone().downcast::<T>() {
                        return Ok(v);
                    }
                }
            }
        }
        let value = Arc::new(build()?);
        if let Ok(mut map) = self.entries.lock() {
            if map.len() >= MAX_ENTRIES {
                map.clear();
            }
            map.insert(key.to_string(), (stamp.to_string(), value.clone()));
        }
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_is_reused_until_its_stamp_changes() {
        let cache = ViewCache::default();
        let mut builds = 0;
        let mut get = |stamp: &str| {
            *cache
                .get_or("k", stamp, || {
                    builds += 1;
                    Ok::<_, ()>(builds)
                })
                .unwrap()
        };
        assert_eq!(get("1"), 1);
        assert_eq!(get("1"), 1);
        assert_eq!(get("2"), 2);
        let failed: Result<Arc<i32>, &str> = cache.get_or("x", "1", || Err("boom"));
        assert!(failed.is_err());
    }
}
