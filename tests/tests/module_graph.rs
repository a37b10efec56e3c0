//! Guard: the modules of a crate import one another one way only, so that each can be
//! read, tested and changed with only what it builds on in mind. A cycle fails the test,
//! which prints it as module names with the import that makes each step.
//!
//! # How the graph is built
//!
//! With `syn`, from every file reachable through `mod` declarations from `src/lib.rs`
//! (and, as a crate of its own, `src/main.rs`): `src/a.rs` and `src/a/mod.rs` are module
//! `a`, `src/a/b.rs` is `a::b`, and inline `mod x { ... }` blocks are modules too. Every
//! `use` (groups flattened: `use crate::{a, b::c}` is two imports) and every path in code
//! that starts with `crate`, `super` or `self` is resolved to the deepest module it names
//! (`crate::a::b::X` is `a::b` when that module exists, else `a`). `super` is taken from the
//! module the path is written in, inline ones included: `use super::*` in `a`'s
//! `mod tests` is `a`. Test code counts like any other code of its module.
//!
//! # Granularity
//!
//! An edge joins the two *siblings* under the nearest common ancestor of the importer and
//! the imported module: importing `crate::a::b::X` from `c::d` is the edge `c → a`; from
//! `a::e` it is `a::e → a::b`. So what a module imports counts as its parent's when seen
//! from outside the parent, which is what layering means, and a cycle is found at the
//! level where it exists: between top-level modules, or between the children of one
//! module. An import of an ancestor or a descendant is no edge: a parent declares and
//! re-exports its children, and a child uses the types its parent defines
//! (`super::Instance`); that pair cannot be one-way and tangles no siblings.
//!
//! # Blind spots
//!
//! Accepted because the crates checked here do not depend on them: paths inside macro
//! arguments (`format!`, `tokio::select!`) and in attribute strings
//! (`deserialize_with = "crate::de::lenient"`) are not parsed; a path through a re-export
//! of the crate root (`crate::Emulator`) names the root, so it is no edge. A `mod` with
//! `#[path = "..."]` is refused rather than guessed.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use syn::ext::IdentExt;
use syn::visit::{self, Visit};
use syn::{Ident, ItemMod, ItemUse, UseTree};

/// The `src/` directories, from the workspace root, whose module graph must be acyclic.
const CHECKED: &[&str] = &[
    "schema-model/src",
    "codegen/src",
    "emulator/src",
    "runtime/src",
];

#[test]
fn checked_crates_have_no_module_cycles() {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let mut tangles = String::new();
    for src in CHECKED {
        let roots: Vec<PathBuf> = ["lib.rs", "main.rs"]
            .iter()
            .map(|root| workspace.join(src).join(root))
            .filter(|file| file.is_file())
            .collect();
        assert!(!roots.is_empty(), "{src} has neither lib.rs nor main.rs");
        for root in roots {
            let graph = ModuleGraph::of_crate(&root);
            for tangle in graph.find_tangles() {
                let root = root.strip_prefix(workspace).unwrap().display();
                write!(tangles, "{root}: {}", graph.describe(&tangle)).unwrap();
            }
        }
    }
    assert!(
        tangles.is_empty(),
        "module import cycles (importer -> imported, and where):\n{tangles}"
    );
}

/// Self-test of the detector on the shape of the sdk's known cycle, with each kind of
/// import: a plain `use`, a `use` group, and a path in code.
#[test]
fn detector_finds_a_cycle_through_use_groups_and_paths_in_code() {
    let graph = synthetic(
        "cycle",
        &[
            (
                "lib.rs",
                "pub mod client; pub mod config; mod error; pub mod retry;",
            ),
            (
                "client.rs",
                "use crate::config::Config; use crate::error::E;",
            ),
            ("config.rs", "use crate::{error, retry::RetryBudget};"),
            ("retry.rs", "fn f() -> Option<crate::client::Info> { None }"),
            ("error.rs", "pub struct E;"),
        ],
    );
    let tangles = graph.find_tangles();
    assert_eq!(tangles.len(), 1, "{tangles:?}");
    assert_eq!(
        names(&tangles[0].cycle),
        ["client", "config", "retry", "client"]
    );
    assert_eq!(
        graph.describe(&tangles[0]),
        "client, config, retry import one another, e.g.\n  \
           client -> config   (client.rs: crate::config::Config)\n  \
           config -> retry   (config.rs: crate::retry::RetryBudget)\n  \
           retry -> client   (retry.rs: crate::client::Info)\n"
    );
}

/// Self-test: parents and children may use each other, `super` is relative to the module
/// it is written in (inline test modules included), and siblings deeper down are nodes of
/// their own.
#[test]
fn detector_resolves_super_and_ignores_ancestors_and_descendants() {
    let files = [
        ("lib.rs", "mod log; mod net;"),
        ("log.rs", "pub fn write() {}"),
        (
            "net/mod.rs",
            "mod tcp; mod udp; pub use tcp::Tcp; pub struct Addr;",
        ),
        (
            "net/tcp.rs",
            "use super::Addr; use super::udp::Udp; pub struct Tcp;",
        ),
        (
            "net/udp.rs",
            "use super::super::log; pub struct Udp; \
             #[cfg(test)] mod tests { use super::*; use crate::net::Addr; }",
        ),
    ];
    let graph = synthetic("acyclic", &files);
    assert!(graph.find_tangles().is_empty());
    assert_eq!(graph.edge_names(), ["net -> log", "net::tcp -> net::udp"]);

    // One import back from udp to its sibling makes a cycle one level down.
    let mut files = files;
    files[4].1 = "fn f() -> crate::net::tcp::Tcp { todo!() }";
    let graph = synthetic("nested-cycle", &files);
    let cycles: Vec<_> = graph
        .find_tangles()
        .iter()
        .map(|t| names(&t.cycle))
        .collect();
    assert_eq!(cycles, [["net::tcp", "net::udp", "net::tcp"]]);
}

/// A module, as its names from the crate root (empty: the root).
type ModPath = Vec<String>;

/// Modules that all reach one another through imports.
#[derive(Debug)]
struct Tangle {
    modules: BTreeSet<ModPath>,
    /// A shortest cycle through the first module (repeated at the end).
    cycle: Vec<ModPath>,
}

/// The module-to-module imports of one crate.
#[derive(Debug)]
struct ModuleGraph {
    /// Importer → imported → where the first such import is written (`file: path`).
    edges: BTreeMap<ModPath, BTreeMap<ModPath, String>>,
}

impl ModuleGraph {
    /// Reads the crate whose root file is `root` (`src/lib.rs` or `src/main.rs`).
    fn of_crate(root: &Path) -> ModuleGraph {
        let src = root.parent().unwrap();
        let mut collector = Collector {
            src,
            file: PathBuf::new(),
            module: ModPath::new(),
            dir: src.to_owned(),
            modules: BTreeSet::from([ModPath::new()]),
            references: Vec::new(),
        };
        collector.read(root);
        let mut edges: BTreeMap<ModPath, BTreeMap<ModPath, String>> = BTreeMap::new();
        for reference in &collector.references {
            if let Some((from, to)) = edge(&collector.modules, &reference.from, &reference.target) {
                edges
                    .entry(from)
                    .or_default()
                    .entry(to)
                    .or_insert_with(|| reference.written_at.clone());
            }
        }
        ModuleGraph { edges }
    }

    /// Every set of modules that reach one another, so that a failure shows all there is to
    /// untangle at once. In name order, so the same tree always reports the same.
    fn find_tangles(&self) -> Vec<Tangle> {
        let mut seen = BTreeSet::new();
        let mut tangles = Vec::new();
        for module in self.edges.keys() {
            if seen.contains(module) {
                continue;
            }
            let tangle: BTreeSet<&ModPath> = self
                .reachable(module)
                .into_iter()
                .filter(|other| self.reachable(other).contains(module))
                .collect();
            if tangle.len() > 1 {
                tangles.push(Tangle {
                    cycle: self.shortest_cycle(module, &tangle),
                    modules: tangle.iter().map(|m| m.to_vec()).collect(),
                });
            }
            seen.extend(tangle);
        }
        tangles
    }

    /// `module` and every module it reaches.
    fn reachable<'a>(&'a self, module: &'a ModPath) -> BTreeSet<&'a ModPath> {
        let mut reached = BTreeSet::from([module]);
        let mut next = vec![module];
        while let Some(module) = next.pop() {
            for imported in self.imports(module) {
                if reached.insert(imported) {
                    next.push(imported);
                }
            }
        }
        reached
    }

    /// Breadth first from `start` back to it, through `tangle` only.
    fn shortest_cycle(&self, start: &ModPath, tangle: &BTreeSet<&ModPath>) -> Vec<ModPath> {
        let mut came_from: BTreeMap<&ModPath, &ModPath> = BTreeMap::new();
        let mut queue = VecDeque::from([start]);
        while let Some(module) = queue.pop_front() {
            for imported in self.imports(module) {
                if tangle.contains(imported) && !came_from.contains_key(imported) {
                    came_from.insert(imported, module);
                    queue.push_back(imported);
                }
            }
            if came_from.contains_key(start) {
                break;
            }
        }
        let mut cycle = vec![start.clone()];
        let mut module = came_from[start];
        while module != start {
            cycle.push(module.clone());
            module = came_from[module];
        }
        cycle.push(start.clone());
        cycle.reverse();
        cycle
    }

    fn imports<'a>(&'a self, module: &ModPath) -> impl Iterator<Item = &'a ModPath> + use<'a> {
        self.edges.get(module).into_iter().flat_map(BTreeMap::keys)
    }

    /// `a, b, c import one another, e.g.` then one line per step of its cycle:
    /// `  a -> b   (a.rs: crate::b::X)`.
    fn describe(&self, tangle: &Tangle) -> String {
        let modules: Vec<String> = tangle.modules.iter().map(name).collect();
        let mut text = format!("{} import one another, e.g.\n", modules.join(", "));
        for step in tangle.cycle.windows(2) {
            let (from, to) = (&step[0], &step[1]);
            let written_at = &self.edges[from][to];
            let (from, to) = (name(from), name(to));
            writeln!(text, "  {from} -> {to}   ({written_at})").unwrap();
        }
        text
    }

    /// Every edge, `a -> b`, in name order.
    fn edge_names(&self) -> Vec<String> {
        self.edges
            .iter()
            .flat_map(|(from, to)| {
                to.keys()
                    .map(|to| format!("{} -> {}", name(from), name(to)))
            })
            .collect()
    }
}

/// The edge an import of `target` (a module path, maybe followed by item names) from
/// module `from` makes: between the children of their nearest common ancestor that hold
/// each (see the module doc); `None` when one is the other's ancestor or the same.
fn edge(
    modules: &BTreeSet<ModPath>,
    from: &ModPath,
    target: &ModPath,
) -> Option<(ModPath, ModPath)> {
    let to = (0..=target.len())
        .rev()
        .map(|len| &target[..len])
        .find(|prefix| modules.contains(*prefix))?;
    let common = from.iter().zip(to).take_while(|(a, b)| a == b).count();
    if common == from.len() || common == to.len() {
        return None;
    }
    Some((from[..=common].to_vec(), to[..=common].to_vec()))
}

fn name(module: &ModPath) -> String {
    if module.is_empty() {
        "crate".to_owned()
    } else {
        module.join("::")
    }
}

fn names(cycle: &[ModPath]) -> Vec<String> {
    cycle.iter().map(name).collect()
}

/// A path that may name a module of the crate, before it is resolved against the modules
/// that exist (which are only all known once every file is read).
struct Reference {
    from: ModPath,
    /// Absolute: from the crate root, `super` and `self` resolved.
    target: ModPath,
    /// For the failure message: `file: path as written`.
    written_at: String,
}

/// Walks the module tree, file by file, recording every module and every reference.
struct Collector<'a> {
    src: &'a Path,
    /// The file being read, relative to `src`.
    file: PathBuf,
    /// The module being read (an inline module is entered and left within a file).
    module: ModPath,
    /// Where a `mod x;` of `module` has its file: `dir/x.rs` or `dir/x/mod.rs`.
    dir: PathBuf,
    modules: BTreeSet<ModPath>,
    references: Vec<Reference>,
}

impl Collector<'_> {
    fn read(&mut self, file: &Path) {
        let text = std::fs::read_to_string(file)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
        let syntax = syn::parse_file(&text)
            .unwrap_or_else(|e| panic!("cannot parse {}: {e}", file.display()));
        let relative = file.strip_prefix(self.src).unwrap_or(file).to_owned();
        let outer = std::mem::replace(&mut self.file, relative);
        self.visit_file(&syntax);
        self.file = outer;
    }

    /// Records `segments` (as written, `crate::a::X`) if it starts at a module of this
    /// crate. Any other first name is an external crate, a prelude or local name, or a
    /// child module; the last cannot make an edge, and names brought in by a `use` were
    /// recorded at that `use`.
    fn refer(&mut self, segments: &[String]) {
        let mut target = match segments.first().map(String::as_str) {
            Some("crate") => ModPath::new(),
            Some("self" | "super") => self.module.clone(),
            _ => return,
        };
        for segment in segments {
            match segment.as_str() {
                "crate" | "self" => {}
                "super" => {
                    target.pop().unwrap_or_else(|| {
                        panic!("{}: `super` above the crate root", self.file.display())
                    });
                }
                _ => target.push(segment.clone()),
            }
        }
        self.references.push(Reference {
            from: self.module.clone(),
            target,
            written_at: format!("{}: {}", self.file.display(), segments.join("::")),
        });
    }
}

impl<'ast> Visit<'ast> for Collector<'_> {
    fn visit_item_mod(&mut self, item: &'ast ItemMod) {
        let name = unraw(&item.ident);
        assert!(
            !item.attrs.iter().any(|attr| attr.path().is_ident("path")),
            "{}: #[path] on `mod {name}` is not supported by this guard",
            self.file.display()
        );
        let mut module = self.module.clone();
        module.push(name.clone());
        self.modules.insert(module.clone());
        let outer_module = std::mem::replace(&mut self.module, module);
        let dir = self.dir.join(&name);
        let outer_dir = std::mem::replace(&mut self.dir, dir);
        if item.content.is_some() {
            visit::visit_item_mod(self, item);
        } else {
            let flat = outer_dir.join(format!("{name}.rs"));
            let nested = self.dir.join("mod.rs");
            let file = if flat.is_file() { flat } else { nested };
            self.read(&file);
        }
        self.module = outer_module;
        self.dir = outer_dir;
    }

    fn visit_item_use(&mut self, item: &'ast ItemUse) {
        // `use ::name` is always an external crate.
        if item.leading_colon.is_none() {
            let mut paths = Vec::new();
            flatten(&item.tree, &mut Vec::new(), &mut paths);
            for path in paths {
                self.refer(&path);
            }
        }
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        if path.leading_colon.is_none() {
            let segments: Vec<String> = path.segments.iter().map(|s| unraw(&s.ident)).collect();
            self.refer(&segments);
        }
        // Generic arguments hold paths too: `Vec<crate::a::X>`.
        visit::visit_path(self, path);
    }
}

/// Every path a `use` tree imports: `crate::{a, b::{self, c}}` is `crate::a`, `crate::b`
/// and `crate::b::c`; a glob imports from its prefix.
fn flatten(tree: &UseTree, prefix: &mut Vec<String>, paths: &mut Vec<Vec<String>>) {
    let named = |prefix: &Vec<String>, ident: &Ident| {
        let mut path = prefix.clone();
        if ident != "self" {
            path.push(unraw(ident));
        }
        path
    };
    match tree {
        UseTree::Path(path) => {
            prefix.push(unraw(&path.ident));
            flatten(&path.tree, prefix, paths);
            prefix.pop();
        }
        UseTree::Name(name) => paths.push(named(prefix, &name.ident)),
        UseTree::Rename(rename) => paths.push(named(prefix, &rename.ident)),
        UseTree::Glob(_) => paths.push(prefix.clone()),
        UseTree::Group(group) => {
            for tree in &group.items {
                flatten(tree, prefix, paths);
            }
        }
    }
}

fn unraw(ident: &Ident) -> String {
    ident.unraw().to_string()
}

/// The graph of a crate made of `files` (path under `src/`, contents), written to a fresh
/// temporary directory.
fn synthetic(name: &str, files: &[(&str, &str)]) -> ModuleGraph {
    let dir = std::env::temp_dir().join(format!("module-graph-{}-{name}", std::process::id()));
    let src = dir.join("src");
    for (path, contents) in files {
        let file = src.join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, contents).unwrap();
    }
    let graph = ModuleGraph::of_crate(&src.join("lib.rs"));
    std::fs::remove_dir_all(&dir).unwrap();
    graph
}
