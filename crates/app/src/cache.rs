//! Cached views (视图缓存): read models that are costly to build (the supervision dashboard
//! over thousands of items) are kept in memory and reused until the data changes.
//!
//! Each entry carries a stamp — the area's generation counter, kept in the database and bumped
//! by every write to the area in the writer's own transaction, plus the business date. A read
//! first fetches the current stamp (one indexed lookup) and rebuilds only when it differs, so
//! several servers sharing one database never serve each other's stale data.
//!
//! A value is built once per change, not once per waiting request: when the data changes
//! under 64 concurrent readers, the first builds and the others wait for its result
//! (single flight, per key) instead of all building the same page at once.

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
    /// One lock per key being built, so concurrent misses build it once.
    building: Mutex<HashMap<String, Arc<Mutex<()>>>>,
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
        if let Some(v) = self.current(key, stamp) {
            return Ok(v);
        }
        let flight = self.building.lock().ok().map(|mut b| {
            if b.len() >= MAX_ENTRIES {
                b.retain(|_, f| Arc::strong_count(f) > 1);
            }
            b.entry(key.to_string())
                .or_insert_with(|| Arc::new(Mutex::new(())))
                .clone()
        });
        // A build that panicked poisons only its flight lock: the next caller builds again.
        let _turn = flight
            .as_ref()
            .map(|f| f.lock().unwrap_or_else(|p| p.into_inner()));
        if let Some(v) = self.current(key, stamp) {
            return Ok(v);
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

    /// The value under `key` if it was built for `stamp`.
    /// The value stored under `key` if its stamp is still `stamp` (no build on a miss).
    pub fn get<T: Send + Sync + 'static>(&self, key: &str, stamp: &str) -> Option<Arc<T>> {
        self.current(key, stamp)
    }

    fn current<T: Send + Sync + 'static>(&self, key: &str, stamp: &str) -> Option<Arc<T>> {
        let map = self.entries.lock().ok()?;
        let (s, v) = map.get(key)?;
        if s != stamp {
            return None;
        }
        v.clone().downcast::<T>().ok()
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

    #[test]
    fn concurrent_misses_build_once() {
        let cache = ViewCache::default();
        let builds = std::sync::atomic::AtomicUsize::new(0);
        std::thread::scope(|scope| {
            for _ in 0..16 {
                scope.spawn(|| {
                    let v = cache
                        .get_or("page", "7", || {
                            builds.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                            std::thread::sleep(std::time::Duration::from_millis(50));
                            Ok::<_, ()>(42)
                        })
                        .unwrap();
                    assert_eq!(*v, 42);
                });
            }
        });
        assert_eq!(builds.load(std::sync::atomic::Ordering::SeqCst), 1);
    }
}
