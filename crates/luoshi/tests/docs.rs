//! The documentation stands alone (文档自足): someone who clones the repository finds every
//! file the README and `docs/` point to inside it; no path leads outside the repository.

use std::path::{Component, Path, PathBuf};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The Markdown files a reader starts from: the README, `docs/`, and each crate's README.
fn documents(root: &Path) -> Vec<PathBuf> {
    let mut files = vec![root.join("README.md")];
    for dir in [root.join("docs")] {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            if entry.path().extension().is_some_and(|e| e == "md") {
                files.push(entry.path());
            }
        }
    }
    for krate in std::fs::read_dir(root.join("crates")).unwrap().flatten() {
        for sub in ["README.md", "eval/README.md"] {
            let p = krate.path().join(sub);
            if p.exists() {
                files.push(p);
            }
        }
    }
    files
}

/// Paths written as `../…` (in backticks or as link targets).
fn relative_paths(text: &str) -> Vec<String> {
    text.split(['`', '(', ')', ' ', '\n', '"'])
        .filter(|s| s.starts_with("../"))
        .map(str::to_string)
        .collect()
}

/// Whether `path`, read from `dir`, stays inside `root` (lexically: no file needs to exist).
fn stays_inside(root: &Path, dir: &Path, path: &str) -> bool {
    let root_depth = root.components().count();
    let mut depth = dir.components().count();
    for c in Path::new(path).components() {
        match c {
            Component::ParentDir => {
                if depth <= root_depth {
                    return false;
                }
                depth -= 1;
            }
            Component::Normal(_) => depth += 1,
            _ => {}
        }
    }
    true
}

#[test]
fn no_document_points_outside_the_repository() {
    let root = std::fs::canonicalize(repo_root()).unwrap();
    let mut outside = Vec::new();
    for file in documents(&root) {
        let text = std::fs::read_to_string(&file).unwrap();
        let dir = file.parent().unwrap();
        for p in relative_paths(&text) {
            if !stays_inside(&root, dir, &p) {
                outside.push(format!(
                    "{}: {p}",
                    file.strip_prefix(&root).unwrap().display()
                ));
            }
        }
    }
    assert!(
        outside.is_empty(),
        "paths outside the repository:\n{}",
        outside.join("\n")
    );
}

#[test]
fn the_check_notices_a_path_outside() {
    let root = Path::new("/r");
    assert!(!stays_inside(root, root, "../shared/DESIGN.md"));
    assert!(!stays_inside(root, &root.join("docs"), "../../x"));
    assert!(stays_inside(root, &root.join("docs"), "../README.md"));
    assert_eq!(
        relative_paths("see `../shared/DESIGN.md`."),
        ["../shared/DESIGN.md"]
    );
}
