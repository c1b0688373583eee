//! The unit registry (单位名录): a city's departments, county-level governments, development
//! zones, enterprises and organisations with their aliases, and groups of units.
//!
//! (Placeholder API; the data-driven implementation follows.)

/// What a name resolves to.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Resolution {
    /// Registry id of the one unit the name means.
    pub unit: Option<String>,
    /// Registry id of the group the name means.
    pub group: Option<String>,
}

impl Resolution {
    /// The unit id, if the name resolved to one unit.
    pub fn unit_id(&self) -> Option<&str> {
        self.unit.as_deref()
    }
}

/// A city's unit registry.
#[derive(Debug, Clone, Default)]
pub struct Registry {}

impl Registry {
    /// Resolve a unit name (any alias) to a unit or a group.
    pub fn resolve(&self, _name: &str) -> Resolution {
        Resolution::default()
    }
}
