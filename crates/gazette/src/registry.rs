//! The unit registry (单位名录): a city's departments, county-level governments, development
//! zones, enterprises, institutions and organisations with their aliases, and the groups that
//! documents name at once (`各县（市、区）政府`, `开发区管委会`, `市政府各部门`).
//!
//! The registry is data, not code: the bundled Zhengzhou registry lives in
//! `data/units/zhengzhou.toml` at the repository root; another city brings its own file and
//! loads it with [`Registry::from_toml_str`]. The platform imports units and groups through
//! [`Registry::units`] and [`Registry::groups`]; ids are stable strings chosen in the file.
//!
//! # File format (TOML)
//!
//! ```toml
//! city = "郑州市"          # full city name; "郑州市X" also resolves as "市X" and as "X"
//! version = "2020-06"      # free text, recorded by importers
//! open_prefixes = ["相关", "有关"]   # optional; words that make a mention an open reference
//!
//! [[units]]
//! id = "dept.fgw"                      # stable id, unique in the file
//! name = "郑州市发展和改革委员会"        # official name
//! kind = "department"                  # see UnitKind
//! aliases = ["市发展改革委", "市发展和改革委员会"]
//! parent = "..."                       # optional: id of the unit this one belongs to
//!
//! [[groups]]
//! id = "group.counties"
//! name = "各县（市、区）政府"
//! aliases = ["各县（市、区）人民政府"]
//! members = ["county.zhongyuan", "..."]    # explicit member ids
//! member_kinds = ["department"]            # optional: also every unit of these kinds
//! ```
//!
//! Names are compared after normalisation (see [`name_key`]): full/half-width folded, all
//! bracket styles (`（）` `()` `〔〕` `[]` `【】`) equal, spaces removed, `人民政府` = `政府`,
//! `管理委员会` = `管委会`.

use crate::text::{fold_char, is_space};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// The hasher of the name index: the multiply-rotate hash of rustc (FxHash). Names are short,
/// and the index is only ever filled from the registry file, never from gazette text, so a
/// keyed hash buys nothing there; lookups are most of the reader's registry work.
#[derive(Debug, Default, Clone, Copy)]
struct KeyHasher(u64);

impl KeyHasher {
    const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(Self::SEED);
    }
}

impl Hasher for KeyHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes([
                c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7],
            ]));
        }
        for &b in chunks.remainder() {
            self.add(u64::from(b));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// The bundled registry of Zhengzhou (郑州市), built from every unit the 2020 seed issue names.
pub const BUNDLED_TOML: &str = include_str!("../../../data/units/zhengzhou.toml");

/// The bundled registry of the State Council's bodies (国务院部门), for State Council documents.
pub const GUOWUYUAN_TOML: &str = include_str!("../../../data/units/guowuyuan.toml");

/// The registries bundled into the reader, by the name the command line knows them by:
/// `zhengzhou` (the default), `guowuyuan` (国务院部门), and `none` (an empty registry: every name
/// is kept and reported as unresolved).
pub const BUNDLED_NAMES: &[&str] = &["zhengzhou", "guowuyuan", "none"];

/// Errors loading a registry file. Messages are Chinese; `code()` is stable.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum RegistryError {
    #[error("单位名录格式错误: {0}")]
    Syntax(String),
    #[error("单位名录中编号重复: {0}")]
    DuplicateId(String),
    #[error("单位名录中名称“{name}”同时指向 {first} 和 {second}")]
    AmbiguousName {
        name: String,
        first: String,
        second: String,
    },
    #[error("单位名录中 {owner} 引用了不存在的编号 {missing}")]
    UnknownId { owner: String, missing: String },
    #[error("单位名录中 {0} 的名称为空")]
    EmptyName(String),
}

impl RegistryError {
    /// Stable error code for logs and the CLI.
    pub fn code(&self) -> &'static str {
        match self {
            RegistryError::Syntax(_) => "E_REGISTRY_SYNTAX",
            RegistryError::DuplicateId(_) => "E_REGISTRY_DUPLICATE_ID",
            RegistryError::AmbiguousName { .. } => "E_REGISTRY_AMBIGUOUS_NAME",
            RegistryError::UnknownId { .. } => "E_REGISTRY_UNKNOWN_ID",
            RegistryError::EmptyName(_) => "E_REGISTRY_EMPTY_NAME",
        }
    }
}

/// What kind of body a unit is (单位类别).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    /// 市政府工作部门、直属机构、党委部门 (`市发展改革委`, `市委宣传部`).
    Department,
    /// 县级政府: 区、县级市、县 (`巩义市人民政府`).
    County,
    /// 开发区、功能区管委会 (`郑东新区管委会`).
    Zone,
    /// 国有企业和其他企业 (`市地铁集团`, `国网郑州供电公司`).
    Enterprise,
    /// 群团组织、社会组织 (`市总工会`, `团市委`, `市红十字会`).
    Organisation,
    /// 事业单位: 学校、医院、中心 (`郑州师范学院`).
    Institution,
    /// 中央、省驻郑单位 (`市税务局`, `市气象局`).
    Central,
    /// 军队、武警、消防 (`武警郑州支队`).
    Military,
    /// 议事协调机构及其办公室 (`市疫情防控办`, `四大片区建设领导小组办公室`).
    Body,
    /// 单位的内设或下属机构 (`市公安局交警支队一大队`); see `parent`.
    Subunit,
}

impl UnitKind {
    pub fn as_str(self) -> &'static str {
        match self {
            UnitKind::Department => "department",
            UnitKind::County => "county",
            UnitKind::Zone => "zone",
            UnitKind::Enterprise => "enterprise",
            UnitKind::Organisation => "organisation",
            UnitKind::Institution => "institution",
            UnitKind::Central => "central",
            UnitKind::Military => "military",
            UnitKind::Body => "body",
            UnitKind::Subunit => "subunit",
        }
    }
}

/// One unit of the registry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unit {
    pub id: String,
    /// Official name (全称).
    pub name: String,
    pub kind: UnitKind,
    /// Other names documents use (简称、曾用名).
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Id of the unit this one belongs to (for sub-units).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
}

/// A named group of units (`各县（市、区）政府`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Group {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Member unit ids, explicit members first, then members by kind, without duplicates.
    /// Empty when the gazette names the group without listing it (`市脱贫攻坚小组成员单位`).
    #[serde(default)]
    pub members: Vec<String>,
    /// In the file: every unit of these kinds is also a member.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub member_kinds: Vec<UnitKind>,
}

/// What a name resolves to.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Resolution {
    /// Registry id of the one unit the name means.
    pub unit: Option<String>,
    /// Registry id of the group the name means.
    pub group: Option<String>,
    /// The name is an open reference (`相关县（市、区）政府`, `有关部门`): it names some, not
    /// all, members of the group, or units the text leaves open.
    pub open: bool,
}

impl Resolution {
    /// The unit id, if the name resolved to one unit.
    pub fn unit_id(&self) -> Option<&str> {
        self.unit.as_deref()
    }

    /// The group id, if the name resolved to a group.
    pub fn group_id(&self) -> Option<&str> {
        self.group.as_deref()
    }

    /// True when the name means something the reader understood: a unit, a group, or an
    /// open reference. False means "kept but unresolved".
    pub fn is_understood(&self) -> bool {
        self.unit.is_some() || self.group.is_some() || self.open
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Unit(usize),
    Group(usize),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RegistryFile {
    city: String,
    #[serde(default)]
    version: Option<String>,
    #[serde(default)]
    open_prefixes: Option<Vec<String>>,
    #[serde(default)]
    units: Vec<Unit>,
    #[serde(default)]
    groups: Vec<Group>,
}

/// Default open-reference prefixes (开放指代): `相关县（市、区）政府`, `有关部门`,
/// `灾害发生地县（市、区）政府`.
const DEFAULT_OPEN_PREFIXES: &[&str] = &["相关", "有关", "其他", "灾害发生地", "所在地", "属地"];

/// A city's unit registry.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    city: String,
    version: Option<String>,
    units: Vec<Unit>,
    groups: Vec<Group>,
    /// Open-reference prefixes, as name keys.
    open_prefixes: Vec<String>,
    /// Name key of the city (`郑州市`).
    city_key: String,
    by_key: HashMap<String, Target, BuildHasherDefault<KeyHasher>>,
}

impl Registry {
    /// The bundled Zhengzhou registry (`data/units/zhengzhou.toml`).
    pub fn bundled() -> Registry {
        Registry::bundled_ref().clone()
    }

    /// A bundled registry by name (see [`BUNDLED_NAMES`]); `None` for an unknown name.
    pub fn bundled_named(name: &str) -> Option<Registry> {
        match name {
            "zhengzhou" => Some(Registry::bundled()),
            "guowuyuan" => Registry::from_toml_str(GUOWUYUAN_TOML).ok(),
            // No unit or group, the default open-reference prefixes.
            "none" => Registry::from_toml_str("city = \"\"\n").ok(),
            _ => None,
        }
    }

    /// The bundled registry, loaded once per process.
    pub(crate) fn bundled_ref() -> &'static Registry {
        static BUNDLED: std::sync::OnceLock<Registry> = std::sync::OnceLock::new();
        // The bundled file is checked by a unit test; an error here is a build defect, so
        // fall back to an empty registry rather than panic.
        BUNDLED.get_or_init(|| Registry::from_toml_str(BUNDLED_TOML).unwrap_or_default())
    }

    /// Load a registry from TOML text (see the module docs for the format).
    pub fn from_toml_str(text: &str) -> Result<Registry, RegistryError> {
        let file: RegistryFile =
            toml::from_str(text).map_err(|e| RegistryError::Syntax(e.to_string()))?;
        Registry::build(file)
    }

    fn build(file: RegistryFile) -> Result<Registry, RegistryError> {
        let mut registry = Registry {
            city: file.city.trim().to_string(),
            version: file.version,
            open_prefixes: file
                .open_prefixes
                .unwrap_or_else(|| {
                    DEFAULT_OPEN_PREFIXES
                        .iter()
                        .map(|s| s.to_string())
                        .collect()
                })
                .iter()
                .map(|p| name_key(p))
                .collect(),
            ..Registry::default()
        };
        let mut ids: HashMap<String, Target> = HashMap::new();
        for (i, unit) in file.units.iter().enumerate() {
            if ids.insert(unit.id.clone(), Target::Unit(i)).is_some() {
                return Err(RegistryError::DuplicateId(unit.id.clone()));
            }
        }
        for (i, group) in file.groups.iter().enumerate() {
            if ids.insert(group.id.clone(), Target::Group(i)).is_some() {
                return Err(RegistryError::DuplicateId(group.id.clone()));
            }
        }
        for unit in &file.units {
            if unit.name.trim().is_empty() {
                return Err(RegistryError::EmptyName(unit.id.clone()));
            }
            if let Some(parent) = &unit.parent {
                if !matches!(ids.get(parent), Some(Target::Unit(_))) {
                    return Err(RegistryError::UnknownId {
                        owner: unit.id.clone(),
                        missing: parent.clone(),
                    });
                }
            }
        }
        let mut groups = file.groups;
        for group in &mut groups {
            if group.name.trim().is_empty() {
                return Err(RegistryError::EmptyName(group.id.clone()));
            }
            for member in &group.members {
                if !matches!(ids.get(member), Some(Target::Unit(_))) {
                    return Err(RegistryError::UnknownId {
                        owner: group.id.clone(),
                        missing: member.clone(),
                    });
                }
            }
            for unit in &file.units {
                if group.member_kinds.contains(&unit.kind) && !group.members.contains(&unit.id) {
                    group.members.push(unit.id.clone());
                }
            }
        }
        registry.units = file.units;
        registry.groups = groups;
        let mut by_key: HashMap<String, Target, BuildHasherDefault<KeyHasher>> = HashMap::default();
        let mut add = |name: &str, target: Target, registry: &Registry| {
            let key = name_key(name);
            if key.is_empty() {
                return Ok(());
            }
            match by_key.get(&key) {
                Some(existing) if *existing != target => Err(RegistryError::AmbiguousName {
                    name: name.to_string(),
                    first: registry.target_id(*existing).to_string(),
                    second: registry.target_id(target).to_string(),
                }),
                _ => {
                    by_key.insert(key, target);
                    Ok(())
                }
            }
        };
        for (i, unit) in registry.units.iter().enumerate() {
            add(&unit.name, Target::Unit(i), &registry)?;
            for alias in &unit.aliases {
                add(alias, Target::Unit(i), &registry)?;
            }
        }
        for (i, group) in registry.groups.iter().enumerate() {
            add(&group.name, Target::Group(i), &registry)?;
            for alias in &group.aliases {
                add(alias, Target::Group(i), &registry)?;
            }
        }
        registry.by_key = by_key;
        registry.city_key = name_key(&registry.city);
        Ok(registry)
    }

    fn target_id(&self, target: Target) -> &str {
        match target {
            Target::Unit(i) => &self.units[i].id,
            Target::Group(i) => &self.groups[i].id,
        }
    }

    /// The city this registry describes (`郑州市`).
    pub fn city(&self) -> &str {
        &self.city
    }

    /// The version text of the registry file, if given.
    pub fn version(&self) -> Option<&str> {
        self.version.as_deref()
    }

    /// Every unit, in file order.
    pub fn units(&self) -> &[Unit] {
        &self.units
    }

    /// Every group, in file order, with members expanded.
    pub fn groups(&self) -> &[Group] {
        &self.groups
    }

    /// The unit with this id.
    pub fn unit(&self, id: &str) -> Option<&Unit> {
        self.units.iter().find(|u| u.id == id)
    }

    /// The group with this id.
    pub fn group(&self, id: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.id == id)
    }

    /// Resolve a unit name (any alias, any bracket or width style) to a unit or a group, and
    /// say whether it is an open reference. An empty `Resolution` means "not known".
    pub fn resolve(&self, name: &str) -> Resolution {
        let (target, open) = self.find(name);
        let mut r = target.map(|t| self.resolution(t)).unwrap_or_default();
        r.open = open;
        r
    }

    /// True when [`Registry::resolve`] would understand the name (a unit, a group or an open
    /// reference), without building the `Resolution`.
    pub(crate) fn understands(&self, name: &str) -> bool {
        let (target, open) = self.find(name);
        target.is_some() || open
    }

    /// True when [`Registry::resolve`] would call the name an open reference.
    pub(crate) fn is_open(&self, name: &str) -> bool {
        self.find(name).1
    }

    /// What `name` means: the unit or group, and whether it is an open reference.
    fn find(&self, name: &str) -> (Option<Target>, bool) {
        let owned;
        let key: &str = if is_own_key(name) {
            name
        } else {
            owned = name_key(name);
            &owned
        };
        if key.is_empty() {
            return (None, false);
        }
        if let Some(t) = self.lookup(key) {
            return (Some(t), false);
        }
        // Open references: `相关县（市、区）政府` → group `各县（市、区）政府`, open.
        for prefix_key in &self.open_prefixes {
            if prefix_key.is_empty() {
                continue;
            }
            if let Some(rest) = key.strip_prefix(prefix_key.as_str()) {
                let t = self
                    .lookup(&format!("各{rest}"))
                    .or_else(|| self.lookup(rest));
                return (t, true);
            }
        }
        // `市政府相关部门` → `市政府各部门`, open. (Both words end in 关: one character search
        // rules out most names.)
        if !crate::words::has_char(key, '关') {
            return (None, false);
        }
        for word in ["相关", "有关"] {
            if crate::words::has_word(key, word) {
                let replaced = key.replacen(word, "各", 1);
                if let Some(t) = self.lookup(&replaced) {
                    return (Some(t), true);
                }
            }
        }
        (None, false)
    }

    /// Exact lookup of a normalised key, trying the city-prefix variants (`郑州市卫生健康委员会`
    /// = `市卫生健康委员会`; `郑州市金水区人民政府` = `金水区政府`).
    fn lookup(&self, key: &str) -> Option<Target> {
        if let Some(t) = self.by_key.get(key) {
            return Some(*t);
        }
        let city = &self.city_key;
        if !city.is_empty() {
            if let Some(rest) = key.strip_prefix(city.as_str()) {
                if let Some(t) = self.by_key.get(&format!("市{rest}")) {
                    return Some(*t);
                }
                return self.by_key.get(rest).copied();
            }
        }
        None
    }

    fn resolution(&self, target: Target) -> Resolution {
        match target {
            Target::Unit(i) => Resolution {
                unit: Some(self.units[i].id.clone()),
                ..Resolution::default()
            },
            Target::Group(i) => Resolution {
                group: Some(self.groups[i].id.clone()),
                ..Resolution::default()
            },
        }
    }
}

/// True when `name` is already its own key (no spaces, markup, other bracket styles, other
/// full-width forms, `人民政府` or `管理委员会`), so lookups need not allocate.
fn is_own_key(name: &str) -> bool {
    let (mut may_be_government, mut may_be_committee) = (false, false);
    let b = name.as_bytes();
    let mut i = 0;
    while i < b.len() {
        // Ideographs U+4000–U+9FFF (lead bytes `E4`–`E9`, most of a name) are stepped over
        // undecoded; among them only 民 (`E6 B0 91`) and 理 (`E7 90 86`) matter.
        if (0xE4..=0xE9).contains(&b[i]) {
            match &b[i..(i + 3).min(b.len())] {
                [0xE6, 0xB0, 0x91] => may_be_government = true,
                [0xE7, 0x90, 0x86] => may_be_committee = true,
                _ => {}
            }
            i += 3;
            continue;
        }
        let Some(c) = name[i..].chars().next() else {
            break;
        };
        i += c.len_utf8();
        match c {
            '*' | '(' | ')' | '〔' | '〕' | '[' | ']' | '【' | '】' | '［' | '］' => {
                return false
            }
            '（' | '）' => {}
            '\u{FF01}'..='\u{FF5E}' | '\u{3000}' => return false,
            c if is_space(c) => return false,
            _ => {}
        }
    }
    let has_long_form = (may_be_government && crate::words::has_word(name, "人民政府"))
        || (may_be_committee && crate::words::has_word(name, "管理委员会"));
    !has_long_form
}

/// The comparison key of a unit name: width folded, every bracket style made `（）`, spaces
/// and markup removed, `人民政府` → `政府`, `管理委员会` → `管委会`.
pub fn name_key(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        match c {
            c if c.is_whitespace() => {}
            '*' => {}
            '(' | '〔' | '[' | '【' | '［' | '（' => out.push('（'),
            ')' | '〕' | ']' | '】' | '］' | '）' => out.push('）'),
            c => out.push(fold_char(c)),
        }
    }
    if out.contains("人民政府") {
        out = out.replace("人民政府", "政府");
    }
    if out.contains("管理委员会") {
        out = out.replace("管理委员会", "管委会");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &str = r#"
city = "洛阳市"
version = "test"

[[units]]
id = "dept.fgw"
name = "洛阳市发展和改革委员会"
kind = "department"
aliases = ["市发展改革委"]

[[units]]
id = "county.yanshi"
name = "偃师区人民政府"
kind = "county"

[[units]]
id = "county.mengjin"
name = "孟津区人民政府"
kind = "county"

[[groups]]
id = "group.counties"
name = "各县（市、区）政府"
members = ["county.yanshi", "county.mengjin"]

[[groups]]
id = "group.departments"
name = "市政府各部门"
member_kinds = ["department"]
"#;

    #[test]
    fn own_keys_are_told_by_bytes_as_by_characters() {
        // The definition, character by character.
        let by_chars = |name: &str| {
            !name.chars().any(|c| {
                c.is_whitespace()
                    || "*()〔〕[]【】［］".contains(c)
                    || (('\u{FF01}'..='\u{FF5E}').contains(&c) && !"（）".contains(c))
            }) && !name.contains("人民政府")
                && !name.contains("管理委员会")
        };
        for c in (0u32..0x11000).filter_map(char::from_u32) {
            for name in [format!("市{c}局"), format!("{c}"), format!("{c}人民政府")] {
                assert_eq!(is_own_key(&name), by_chars(&name), "{name:?}");
            }
        }
        for name in [
            "郑州市人民政府",
            "管理委员会",
            "各县（市、区）政府",
            "人民",
            "管理",
        ] {
            assert_eq!(is_own_key(name), by_chars(name), "{name:?}");
        }
    }

    #[test]
    fn bundled_registry_loads() {
        let r = Registry::from_toml_str(BUNDLED_TOML).expect("bundled registry is valid");
        assert!(r.units().len() > 50);
        let counties = r.group("group.counties").expect("counties group");
        assert_eq!(counties.members.len(), 12);
    }

    #[test]
    fn every_bundled_registry_loads() {
        Registry::from_toml_str(GUOWUYUAN_TOML).expect("guowuyuan registry is valid");
        for name in BUNDLED_NAMES {
            assert!(Registry::bundled_named(name).is_some(), "{name}");
        }
        let r = Registry::bundled_named("guowuyuan").unwrap();
        assert_eq!(r.resolve("住房城乡建设部").unit_id(), Some("dept.mohurd"));
        assert_eq!(
            r.resolve("国家发展和改革委员会").unit_id(),
            Some("dept.ndrc")
        );
        assert!(r.resolve("有关部门").open);
        assert!(Registry::bundled_named("mars").is_none());
    }

    #[test]
    fn resolves_aliases_brackets_and_city_prefix() {
        let r = Registry::from_toml_str(SMALL).unwrap();
        assert_eq!(r.resolve("市发展改革委").unit_id(), Some("dept.fgw"));
        assert_eq!(
            r.resolve("洛阳市发展和改革委员会").unit_id(),
            Some("dept.fgw")
        );
        assert_eq!(r.resolve("偃师区政府").unit_id(), Some("county.yanshi"));
        assert_eq!(
            r.resolve("洛阳市偃师区人民政府").unit_id(),
            Some("county.yanshi")
        );
        let g = r.resolve("各县〔市、区〕人民政府");
        assert_eq!(g.group_id(), Some("group.counties"));
        assert!(!g.open);
        assert_eq!(
            r.resolve("各县(市、区)政府").group_id(),
            Some("group.counties")
        );
    }

    #[test]
    fn open_references_are_marked() {
        let r = Registry::from_toml_str(SMALL).unwrap();
        let g = r.resolve("相关县（市、区）政府");
        assert_eq!(g.group_id(), Some("group.counties"));
        assert!(g.open);
        let d = r.resolve("市政府相关部门");
        assert_eq!(d.group_id(), Some("group.departments"));
        assert!(d.open);
        assert_eq!(
            r.group("group.departments").unwrap().members,
            vec!["dept.fgw".to_string()]
        );
    }

    #[test]
    fn unknown_names_resolve_to_nothing() {
        let r = Registry::from_toml_str(SMALL).unwrap();
        let x = r.resolve("市火星开发局");
        assert!(!x.is_understood());
    }

    #[test]
    fn bad_files_are_refused_with_codes() {
        let dup =
            format!("{SMALL}\n[[units]]\nid = \"dept.fgw\"\nname = \"x\"\nkind = \"department\"\n");
        assert_eq!(
            Registry::from_toml_str(&dup).unwrap_err().code(),
            "E_REGISTRY_DUPLICATE_ID"
        );
        let clash = format!(
            "{SMALL}\n[[units]]\nid = \"dept.other\"\nname = \"其他局\"\nkind = \"department\"\naliases = [\"市发展改革委\"]\n"
        );
        assert_eq!(
            Registry::from_toml_str(&clash).unwrap_err().code(),
            "E_REGISTRY_AMBIGUOUS_NAME"
        );
        let missing = "city = \"x\"\n[[groups]]\nid = \"g\"\nname = \"g\"\nmembers = [\"nope\"]\n";
        assert_eq!(
            Registry::from_toml_str(missing).unwrap_err().code(),
            "E_REGISTRY_UNKNOWN_ID"
        );
        assert_eq!(
            Registry::from_toml_str("not toml [").unwrap_err().code(),
            "E_REGISTRY_SYNTAX"
        );
    }
}
