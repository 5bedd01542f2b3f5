//! Git history, pull-request ranges and staged changes.
//!
//! *Full history*: commits reachable from every ref (branches, tags,
//! remote-tracking refs, stash) are walked oldest first; each commit's tree is
//! walked, skipping every tree already seen, so the cost follows the number
//! of distinct trees, not commits × files. Each distinct blob is handed, once,
//! to a pool of workers that each hold their own repository handle (a
//! `git2::Repository` is not `Sync`), read it and scan it. The commit whose
//! tree first held a blob introduced it. Nothing holds blob contents beyond
//! the worker reading it.
//!
//! *Ranges* (`--since-commit`) and *staged changes* (`--staged`) diff each
//! commit against its first parent (or the index against HEAD), scan each new
//! blob whole (context finds venues) and keep findings on added lines only.
//!
//! A missing or corrupt object is a warning naming the object, and where
//! known the path and commit; the scan goes on and exits 2.

use super::pack::{Interner, Packs, Target, TreeEntries, Trees, is_tree};
use super::{Content, Provenance, Sink};
use crate::finding::{CommitInfo, VersionControl};
use crate::text::decode::{Encoding, SNIFF, sniff};
use crate::util::format_time;
use git2::{Delta, DiffFindOptions, DiffOptions, ObjectType, Oid, Repository, Sort, TreeWalkMode};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Default)]
pub struct GitOptions {
    /// History reachable from this ref only.
    pub branch: Option<String>,
    /// Only what commits reachable from HEAD/`branch` but not from this introduced.
    pub since_commit: Option<String>,
    /// The index against HEAD: what is about to be committed.
    pub staged: bool,
    /// `--shard I/N`: only the blobs this shard owns are read and scanned;
    /// every commit is still walked, so attribution is that of the whole.
    pub shard: Option<ShardSpec>,
}

/// One part of a deterministic partition of a history's distinct blobs:
/// shard `index` of `count` (1-based) owns the blobs whose object id,
/// read as a number, leaves `index - 1` divided by `count`. Object ids are
/// uniform, so each shard gets about as many blobs (and bytes) as another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShardSpec {
    pub index: u32,
    pub count: u32,
}

impl ShardSpec {
    /// `I/N` with 1 <= I <= N.
    pub fn parse(s: &str) -> Result<ShardSpec, String> {
        let bad = || format!("`{s}`: a shard is I/N with 1 <= I <= N (1/2, 2/2)");
        let (i, n) = s.split_once('/').ok_or_else(bad)?;
        let (index, count): (u32, u32) = (
            i.trim().parse().map_err(|_| bad())?,
            n.trim().parse().map_err(|_| bad())?,
        );
        if index == 0 || count == 0 || index > count {
            return Err(bad());
        }
        Ok(ShardSpec { index, count })
    }

    /// Whether this shard scans the blob `oid`.
    pub fn owns(&self, oid: &Oid) -> bool {
        let b = oid.as_bytes();
        let n = u64::from_be_bytes(b[..8].try_into().unwrap_or([0; 8]));
        n % self.count as u64 == (self.index - 1) as u64
    }
}

/// A blob to scan, with where it was first seen.
struct Job {
    oid: Oid,
    path: String,
    commit: usize,
    /// Added lines (1-based) to keep findings from; `None` keeps all.
    added: Option<Vec<u32>>,
}

impl Job {
    fn provenance(&self) -> Provenance {
        Provenance::Git {
            path: self.path.clone(),
            blob: self.oid,
            commit: self.commit,
            added: self.added.clone(),
        }
    }
}

/// How blobs are read.
#[derive(Debug, Clone, Copy)]
pub struct GitLimits {
    /// Reader threads (0: as many as cores).
    pub threads: usize,
    /// Blobs larger than this are skipped (never inflated when the header
    /// says so).
    pub max_file_size: u64,
}

/// What the walk knows once every blob was pushed: the commits (blobs name
/// them by index), the blobs of the tip's tree, and the repository to
/// describe commits with.
pub struct History {
    repo: Repository,
    commits: Vec<Oid>,
    tip: HashSet<Oid>,
    staged: bool,
}

impl History {
    /// Whether the blob is in the tip's tree (HEAD, or `--branch`).
    pub fn at_tip(&self, blob: &Oid) -> bool {
        self.tip.contains(blob)
    }

    /// Staged changes: blobs belong to no commit.
    pub fn staged(&self) -> bool {
        self.staged
    }

    /// Whether `hex` (a full 40-digit id) names an object of the
    /// repository: a commit message quoting another commit is no secret.
    pub fn names_object(&self, hex: &str) -> bool {
        hex.len() == 40
            && Oid::from_str(hex)
                .ok()
                .and_then(|o| self.repo.odb().ok().map(|db| db.exists(o)))
                .unwrap_or(false)
    }

    /// Author, date and summary of the commit a blob names by index.
    pub fn commit_info(&self, index: usize) -> Option<CommitInfo> {
        let oid = *self.commits.get(index)?;
        commit_info(&self.repo, oid)
    }

    /// A digest of the commits walked, in order: the same for every shard
    /// of one scan of one history, so their commit indexes agree.
    pub fn walk_digest(&self) -> String {
        let mut ids = Vec::with_capacity(self.commits.len() * 20);
        for c in &self.commits {
            ids.extend_from_slice(c.as_bytes());
        }
        crate::codec::sha256_hex(&ids)[..32].to_string()
    }
}

/// How findings name the repository at `path`: its `origin` remote
/// without user or password, else its work tree (a bare repository: its
/// git directory) as an absolute path. The same for a scan from any
/// subdirectory of it.
pub fn repository_name(path: &str) -> String {
    configure_libgit2();
    let Ok(repo) = Repository::open_ext(
        path,
        git2::RepositoryOpenFlags::empty(),
        std::iter::empty::<&str>(),
    ) else {
        return path.to_string();
    };
    if let Some(u) = origin_uri(&repo) {
        return u;
    }
    let dir = home_dir(&repo);
    let dir = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    dir.to_string_lossy()
        .trim_end_matches(['/', '\\'])
        .to_string()
}

/// Process-wide libgit2 settings, once: the scanner only reads, so it skips
/// SHA-1 re-verification of every object it inflates (a quarter of the
/// CPU time of a history scan; a damaged object still fails to inflate) and
/// the ownership check (libgit2 runs no hooks or filters for us, and a CI
/// checkout is often owned by another user).
fn configure_libgit2() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        git2::opts::strict_hash_verification(false);
        // Bounded memory: libgit2 maps pack windows up to 8 GiB and caches
        // 256 MiB of trees and commits by default; a history scan reads
        // most objects from its own bounded reader (`pack`), and what goes
        // through libgit2 is read once, so small limits cost little.
        unsafe {
            let _ = git2::opts::set_mwindow_mapped_limit(LIBGIT2_MAPPED);
            let _ = git2::opts::set_mwindow_size(LIBGIT2_WINDOW);
            let _ = git2::opts::set_cache_max_size(LIBGIT2_CACHE);
        }
        // SAFETY: called once, before any repository is opened or any
        // worker thread exists.
        unsafe {
            let _ = git2::opts::set_verify_owner_validation(false);
        }
    });
}

/// libgit2's limits: pack bytes mapped at once, the size of one mapped
/// window, and its object cache.
const LIBGIT2_MAPPED: usize = 32 << 20;
const LIBGIT2_WINDOW: usize = 8 << 20;
const LIBGIT2_CACHE: isize = 32 << 20;

fn open(path: &str) -> Result<Repository, git2::Error> {
    configure_libgit2();
    Repository::open_ext(
        path,
        git2::RepositoryOpenFlags::empty(),
        std::iter::empty::<&str>(),
    )
}

/// The git work tree a directory is in: discovered once per walk root.
pub struct WorkTree(Repository);

impl WorkTree {
    /// The work tree `dir` is inside, if any (a bare repository has none).
    pub fn discover(dir: &Path) -> Option<WorkTree> {
        configure_libgit2();
        Repository::discover(dir)
            .ok()
            .filter(|r| r.workdir().is_some())
            .map(WorkTree)
    }

    /// The files under `dir` that git tracks although an ignore rule of git
    /// matches them (a force-added or committed-before-ignored `.env`), as
    /// paths below `dir` joined the way a walk of `dir` shows them. A walk
    /// that honours `.gitignore` never sees them. `walked` says which paths
    /// the walk saw; only the others are asked about, as asking git whether
    /// a path is ignored costs more than the scan.
    pub fn tracked_but_ignored(&self, dir: &Path, walked: &dyn Fn(&Path) -> bool) -> Vec<PathBuf> {
        let repo = &self.0;
        let (Some(workdir), Ok(index)) = (repo.workdir(), repo.index()) else {
            return Vec::new();
        };
        let (Ok(abs), Ok(workdir)) = (dir.canonicalize(), workdir.canonicalize()) else {
            return Vec::new();
        };
        let Ok(below) = abs.strip_prefix(&workdir) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for e in index.iter() {
            // Gitlinks (submodules) are other repositories.
            if e.mode == 0o160000 {
                continue;
            }
            let Ok(rel) = std::str::from_utf8(&e.path) else {
                continue;
            };
            let rel = Path::new(rel);
            let Ok(inside) = rel.strip_prefix(below) else {
                continue;
            };
            let shown = dir.join(inside);
            if !walked(&shown) && repo.is_path_ignored(rel).unwrap_or(false) {
                out.push(shown);
            }
        }
        out
    }
}

/// The repository `path` is in and the commit a scan of it covers (`rev`,
/// else HEAD), for SARIF's `versionControlProvenance`. The remote URL is
/// written without user name or password (a CI token often sits there).
pub fn version_control(path: &Path, rev: Option<&str>) -> Option<VersionControl> {
    configure_libgit2();
    let repo = Repository::discover(path).ok()?;
    let repository_uri = match origin_uri(&repo) {
        Some(u) => u,
        None => url::Url::from_directory_path(home_dir(&repo).canonicalize().ok()?)
            .ok()?
            .to_string(),
    };
    let (revision_id, branch) = match rev {
        Some(r) => {
            let commit = repo
                .revparse_single(r)
                .and_then(|o| o.peel_to_commit())
                .ok();
            let branch = repo
                .find_branch(r, git2::BranchType::Local)
                .ok()
                .map(|_| r.to_string());
            (commit.map(|c| c.id().to_string()), branch)
        }
        None => match repo.head() {
            Ok(h) => (
                h.peel_to_commit().ok().map(|c| c.id().to_string()),
                h.is_branch()
                    .then(|| h.shorthand().ok().map(str::to_string))
                    .flatten(),
            ),
            // An unborn branch: its name, no commit.
            Err(_) => (
                None,
                repo.find_reference("HEAD")
                    .ok()
                    .and_then(|h| h.symbolic_target().ok().flatten().map(str::to_string))
                    .and_then(|t| t.strip_prefix("refs/heads/").map(str::to_string)),
            ),
        },
    };
    Some(VersionControl {
        repository_uri,
        revision_id,
        branch,
    })
}

/// A remote's URL as an absolute URI without credentials: `user@host:path`
/// (scp-like) becomes `ssh://host/path`; a local path, a `file:` URI.
fn remote_uri(raw: &str) -> Option<String> {
    let mut u = match url::Url::parse(raw) {
        Ok(u) if u.scheme().len() > 1 => u,
        _ => {
            // scp-like `[user@]host:path`, else a path on this machine.
            if let Some((host, path)) = raw.split_once(':')
                && !host.contains('/')
                && !path.starts_with("//")
            {
                let host = host.rsplit('@').next().unwrap_or(host);
                url::Url::parse(&format!("ssh://{host}/{}", path.trim_start_matches('/'))).ok()?
            } else {
                let p = Path::new(raw).canonicalize().ok()?;
                url::Url::from_directory_path(p).ok()?
            }
        }
    };
    let _ = u.set_username("");
    let _ = u.set_password(None);
    Some(u.to_string())
}

/// Checks what a scan of `repo_path` with `opts` is asked before anything
/// is scanned: that it is a repository and that `--since-commit` and
/// `--branch` name commits. The error says which, for a usage error.
pub fn check(repo_path: &str, opts: &GitOptions) -> Result<(), String> {
    let repo = open(repo_path)
        .map_err(|e| format!("{repo_path}: not a git repository: {}", e.message()))?;
    if let Some(since) = &opts.since_commit {
        repo.revparse_single(since)
            .and_then(|o| o.peel_to_commit())
            .map_err(|e| format!("--since-commit `{since}`: no such commit: {}", e.message()))?;
    }
    if let Some(branch) = &opts.branch {
        repo.revparse_single(branch)
            .and_then(|o| o.peel_to_commit())
            .map_err(|e| {
                format!(
                    "--branch `{branch}`: no such branch or commit: {}",
                    e.message()
                )
            })?;
    }
    Ok(())
}

/// Walks a repository as `opts` says and pushes each blob to scan to
/// `out`, once; `None` when it is no repository (said to `out`).
pub fn walk(
    out: &dyn Sink,
    repo_path: &str,
    opts: &GitOptions,
    limits: &GitLimits,
) -> Option<History> {
    let repo = match open(repo_path) {
        Ok(r) => r,
        Err(e) => {
            out.error(
                repo_path.to_string(),
                format!("not a git repository: {}", e.message()),
            );
            return None;
        }
    };
    let mut commits: Vec<Oid> = Vec::new();
    let threads = worker_count(limits.threads);
    // A history scan: walk first, then read what the walk found from
    // the packs; whatever they do not hold goes through libgit2 below.
    let mut leftovers: Vec<Job> = Vec::new();
    let history = !opts.staged && opts.since_commit.is_none();
    if history {
        let mut found = Found::default();
        let packs = Packs::open(&repo.commondir().join("objects"));
        // The trees inflate on every thread while the commits are listed.
        let (listed, trees) = std::thread::scope(|s| {
            let trees = s.spawn(|| packs.trees(threads, TREE_BUDGET));
            let listed = walk_commits(&repo, opts, out);
            (listed, trees.join().unwrap_or_default())
        });
        commits = listed;
        history_jobs(
            &repo,
            opts,
            &commits,
            &packs,
            &trees,
            &mut |t, path, commit| found.add(t, path, commit),
            out,
        );
        out.commits_walked(commits.len());
        drop(trees);
        let found = found.finish();
        let needed: Vec<u32> = found.packed.iter().map(|j| j.0).collect();
        let left = packs.blobs(&needed, threads, &|n, oid, data| {
            if let Some(job) = found.job(n, oid) {
                push_blob(out, limits, &job, data, &mut Vec::new());
            }
        });
        drop(needed);
        leftovers = left
            .into_iter()
            .filter_map(|n| found.job(n, packs.oid(n)))
            .chain(
                found
                    .outside
                    .iter()
                    .map(|&(oid, path, commit)| found.job_of(oid, path, commit)),
            )
            .collect();
        leftovers.sort_by_key(|j| j.commit);
    }
    let (tx, rx) = crossbeam_channel::bounded::<Job>(1024);
    let path = repo.path().to_path_buf();
    std::thread::scope(|s| {
        for _ in 0..threads {
            let rx = rx.clone();
            let path = path.clone();
            s.spawn(move || worker(out, limits, &path, rx));
        }
        drop(rx);
        if opts.staged {
            staged_jobs(&repo, &tx, out);
        } else if opts.since_commit.is_some() {
            range_jobs(&repo, opts, &mut commits, &tx, out);
        } else {
            for job in leftovers {
                if tx.send(job).is_err() {
                    break;
                }
            }
        }
        drop(tx);
    });
    let tip = if opts.staged {
        HashSet::new()
    } else {
        tip_blobs(&repo, opts)
    };
    Some(History {
        repo,
        commits,
        tip,
        staged: opts.staged,
    })
}

fn worker_count(threads: usize) -> usize {
    match threads {
        0 => std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2),
        n => n,
    }
}

fn worker(
    out: &dyn Sink,
    limits: &GitLimits,
    git_dir: &Path,
    rx: crossbeam_channel::Receiver<Job>,
) {
    let repo = match Repository::open(git_dir) {
        Ok(r) => r,
        Err(e) => {
            out.error(git_dir.display().to_string(), e.message().to_string());
            return;
        }
    };
    let odb = match repo.odb() {
        Ok(o) => o,
        Err(e) => {
            out.error(git_dir.display().to_string(), e.message().to_string());
            return;
        }
    };
    let max = limits.max_file_size;
    let mut scratch = Vec::new();
    for job in rx {
        // The header first: a blob over the limit is never inflated.
        let obj = match odb.read_header(job.oid) {
            Ok((size, _)) if size as u64 > max => {
                skip_large(out, &job, size as u64, max);
                continue;
            }
            Ok(_) => odb.read(job.oid),
            Err(e) => Err(e),
        };
        match obj {
            Ok(obj) => push_blob(out, limits, &job, obj.data(), &mut scratch),
            Err(e) => out.error(
                format!("{} ({})", job.path, job.oid),
                format!("missing or unreadable object: {}", e.message()),
            ),
        }
    }
}

fn skip_large(out: &dyn Sink, job: &Job, size: u64, max: u64) {
    out.skip(
        format!("{} ({})", job.path, job.oid),
        format!("larger than --max-file-size ({size} > {max} bytes)"),
    );
}

/// Pushes one blob's content for `job`, unless it is over the size limit.
fn push_blob(out: &dyn Sink, limits: &GitLimits, job: &Job, data: &[u8], scratch: &mut Vec<u8>) {
    let max = limits.max_file_size;
    if data.len() as u64 > max {
        skip_large(out, job, data.len() as u64, max);
        return;
    }
    out.text(Content::Bytes(data), &job.provenance(), scratch);
}

/// The commits to scan, oldest first: reachable from every ref (or from
/// `--branch`), or, with `--since-commit`, from HEAD/`--branch` but not REV.
fn walk_commits(repo: &Repository, opts: &GitOptions, out: &dyn Sink) -> Vec<Oid> {
    let mut walk = match repo.revwalk() {
        Ok(w) => w,
        Err(e) => {
            out.error(repo_name(repo), e.message().to_string());
            return Vec::new();
        }
    };
    // Oldest first by commit time too: across unrelated branches, topology
    // alone would follow the order refs were pushed (alphabetical).
    let _ = walk.set_sorting(Sort::TOPOLOGICAL | Sort::TIME | Sort::REVERSE);
    let mut pushed = 0usize;
    let mut push = |walk: &mut git2::Revwalk, oid: Oid| {
        if walk.push(oid).is_ok() {
            pushed += 1;
        }
    };
    if let Some(b) = &opts.branch {
        match repo.revparse_single(b).and_then(|o| o.peel_to_commit()) {
            Ok(c) => push(&mut walk, c.id()),
            Err(e) => out.error(
                b.clone(),
                format!("no such branch or revision: {}", e.message()),
            ),
        }
    } else {
        if opts.since_commit.is_none() {
            match repo.references() {
                Ok(refs) => {
                    for r in refs {
                        match r {
                            Ok(r) => match r.peel_to_commit() {
                                Ok(c) => push(&mut walk, c.id()),
                                // A tag of a tree or blob is no history; a
                                // ref to an object that cannot be read is
                                // history that cannot be scanned.
                                Err(e) if unreadable(&e) => out.error(
                                    format!(
                                        "{} ({})",
                                        repo_name(repo),
                                        String::from_utf8_lossy(r.name_bytes())
                                    ),
                                    format!(
                                        "ref to a missing or unreadable object {}: {}",
                                        r.target().map(|o| o.to_string()).unwrap_or_default(),
                                        e.message()
                                    ),
                                ),
                                Err(_) => {}
                            },
                            Err(e) => out
                                .error(repo_name(repo), format!("unreadable ref: {}", e.message())),
                        }
                    }
                }
                Err(e) => out.error(
                    repo_name(repo),
                    format!("cannot list refs: {}", e.message()),
                ),
            }
            // Older stash entries (stash@{1}, ...) live only in the reflog.
            if let Ok(log) = repo.reflog("refs/stash") {
                for e in log.iter() {
                    push(&mut walk, e.id_new());
                }
            }
        }
        match repo.head().and_then(|h| h.peel_to_commit()) {
            Ok(c) => push(&mut walk, c.id()),
            // (A branch HEAD names was reported with the refs above.)
            Err(e)
                if unreadable(&e)
                    && (opts.since_commit.is_some() || repo.head_detached().unwrap_or(false)) =>
            {
                out.error(
                    format!("{} (HEAD)", repo_name(repo)),
                    format!("HEAD names a missing or unreadable object: {}", e.message()),
                )
            }
            Err(_) => {}
        }
    }
    if let Some(since) = &opts.since_commit {
        match repo.revparse_single(since).and_then(|o| o.peel_to_commit()) {
            Ok(c) => {
                let _ = walk.hide(c.id());
            }
            Err(e) => {
                out.error(since.clone(), format!("no such revision: {}", e.message()));
                return Vec::new();
            }
        }
    }
    if pushed == 0 {
        return Vec::new();
    }
    let mut commits = Vec::new();
    for c in walk {
        match c {
            Ok(oid) => commits.push(oid),
            Err(e) => {
                out.error(
                    repo_name(repo),
                    format!("history walk stopped early: {}", e.message()),
                );
                break;
            }
        }
    }
    commits
}

/// An object that should be there and cannot be read (missing, or in a
/// damaged pack), as opposed to one of another type than asked for.
fn unreadable(e: &git2::Error) -> bool {
    e.code() == git2::ErrorCode::NotFound
        || matches!(e.class(), git2::ErrorClass::Odb | git2::ErrorClass::Zlib)
}

fn repo_name(repo: &Repository) -> String {
    home_dir(repo).display().to_string()
}

/// The repository's `origin` remote, without user or password.
fn origin_uri(repo: &Repository) -> Option<String> {
    repo.find_remote("origin")
        .ok()
        .and_then(|r| r.url().ok().and_then(remote_uri))
}

/// The work tree, or for a bare repository its git directory.
fn home_dir(repo: &Repository) -> &Path {
    repo.workdir().unwrap_or_else(|| repo.path())
}

/// Full history: every distinct blob once, attributed to its first commit.
fn history_jobs(
    repo: &Repository,
    opts: &GitOptions,
    commits: &[Oid],
    packs: &Packs,
    trees: &Trees,
    emit: &mut dyn FnMut(Target, &str, usize),
    out: &dyn Sink,
) {
    let odb = match repo.odb() {
        Ok(o) => o,
        Err(e) => {
            out.error(repo_name(repo), e.message().to_string());
            return;
        }
    };
    // Trees and blobs seen: a bit per object of the packs, a set for the
    // others.
    let mut seen = Seen {
        bits: vec![0u64; packs.objects().div_ceil(64)],
        outside: HashSet::new(),
    };
    let target_of = |id: &Oid| match packs.locate(id.as_bytes()) {
        Some(n) => Target::Packed(n),
        None => Target::Outside(*id),
    };
    let oid_of = |t: Target| match t {
        Target::Packed(n) => packs.oid(n),
        Target::Outside(o) => o,
    };
    for (ci, &oid) in commits.iter().enumerate() {
        if ci % 256 == 0 {
            out.commits_walked(ci);
        }
        // The commit's tree as the packs' read-ahead found it, else
        // through libgit2.
        let packed = packs.locate(oid.as_bytes()).and_then(|n| trees.tree_of(n));
        let root = match packed
            .map(|t| Ok(Target::Packed(t)))
            .unwrap_or_else(|| repo.find_commit(oid).map(|c| target_of(&c.tree_id())))
        {
            Ok(t) => t,
            Err(e) => {
                out.error(
                    format!("commit {oid}"),
                    format!("missing or unreadable commit: {}", e.message()),
                );
                continue;
            }
        };
        if !seen.insert(root) {
            continue;
        }
        // Depth-first over trees not seen before: from the compact trees
        // read ahead, else read raw (a tree is `<octal mode> <name>\0<object
        // id>` entries, and parsing it here costs a fraction of building
        // libgit2 tree objects).
        let mut stack: Vec<(Target, String)> = vec![(root, String::new())];
        while let Some((tree, prefix)) = stack.pop() {
            let path_of = |name: &[u8]| {
                let name = String::from_utf8_lossy(name);
                if prefix.is_empty() {
                    name.into_owned()
                } else {
                    format!("{prefix}/{name}")
                }
            };
            let mut visit = |name: &[u8], is_tree: bool, id: Target| {
                if is_tree {
                    if seen.insert(id) {
                        stack.push((id, path_of(name)));
                    }
                    return;
                }
                if !seen.insert(id) {
                    return;
                }
                if opts.shard.is_some_and(|s| !s.owns(&oid_of(id))) {
                    return;
                }
                emit(id, &path_of(name), ci);
            };
            if let Some(entries) = match tree {
                Target::Packed(n) => trees.entries(n),
                Target::Outside(_) => None,
            } {
                for (name, is_tree, id) in entries {
                    visit(name, is_tree, id);
                }
                continue;
            }
            let tree_oid = oid_of(tree);
            match odb.read(tree_oid) {
                Ok(o) if o.kind() == ObjectType::Tree => {
                    for (mode, name, id) in TreeEntries(o.data()) {
                        if let Some(t) = is_tree(mode) {
                            visit(name, t, target_of(&id));
                        }
                    }
                }
                Ok(_) => {}
                Err(e) => {
                    let at = if prefix.is_empty() {
                        "the root tree"
                    } else {
                        &prefix
                    };
                    out.error(
                        format!("{at} ({tree_oid}) in commit {oid}"),
                        format!("missing or unreadable tree: {}", e.message()),
                    );
                }
            }
        }
    }
}

/// The blobs a history walk found, each with the path and commit it was
/// first seen under: 12 bytes per blob of the packs (its object number, its
/// path's number, its commit's index) and each distinct path once.
#[derive(Default)]
struct Found {
    /// (object number, path number, commit index), in walk order; sorted
    /// by object number by [`Found::finish`].
    packed: Vec<(u32, u32, u32)>,
    /// Blobs outside the packs (loose, or missing).
    outside: Vec<(Oid, u32, u32)>,
    paths: Interner,
    /// The paths by number, once finished.
    list: Vec<Box<[u8]>>,
}

impl Found {
    fn add(&mut self, t: Target, path: &str, commit: usize) {
        let p = self.paths.id(path.as_bytes()).0;
        let c = u32::try_from(commit).unwrap_or(u32::MAX);
        match t {
            Target::Packed(n) => self.packed.push((n, p, c)),
            Target::Outside(o) => self.outside.push((o, p, c)),
        }
    }

    fn finish(mut self) -> Found {
        self.packed.sort_unstable_by_key(|j| j.0);
        self.list = std::mem::take(&mut self.paths).into_list();
        self
    }

    /// The job of the blob numbered `n`, when the walk found it.
    fn job(&self, n: u32, oid: Oid) -> Option<Job> {
        let i = self.packed.binary_search_by_key(&n, |j| j.0).ok()?;
        let (_, path, commit) = self.packed[i];
        Some(self.job_of(oid, path, commit))
    }

    fn job_of(&self, oid: Oid, path: u32, commit: u32) -> Job {
        Job {
            oid,
            path: String::from_utf8_lossy(&self.list[path as usize]).into_owned(),
            commit: commit as usize,
            added: None,
        }
    }
}

/// The objects a history walk has seen.
struct Seen {
    bits: Vec<u64>,
    outside: HashSet<Oid>,
}

impl Seen {
    /// Marks `t` seen; false when it was already.
    fn insert(&mut self, t: Target) -> bool {
        match t {
            Target::Packed(n) => {
                let (w, b) = (n as usize / 64, 1u64 << (n % 64));
                let new = self.bits[w] & b == 0;
                self.bits[w] |= b;
                new
            }
            Target::Outside(o) => self.outside.insert(o),
        }
    }
}

/// At most this many bytes of trees are held ahead of a history walk, in
/// the compact form of [`Trees`] (rails/rails' 788,586 trees, 754 MB raw,
/// take 141 MiB); past it the walk reads the other trees one by one.
/// Held during the walk only: the blobs are read after it is dropped.
const TREE_BUDGET: usize = 192 << 20;

/// Added line numbers of each delta of `diff`, keyed by delta index; `None`
/// when there are no lines to diff: a binary or unreadable blob. A UTF-16
/// text, which git takes for binary, is diffed as text: its line breaks
/// (`0A 00` or `00 0A`) split its bytes into the same lines as its decoded
/// text, so the numbers are those of the lines findings are on.
fn added_lines(
    repo: &Repository,
    diff: &git2::Diff,
    shard: Option<ShardSpec>,
) -> HashMap<usize, Option<Vec<u32>>> {
    let mut added: HashMap<usize, Option<Vec<u32>>> = HashMap::new();
    for (idx, delta) in diff.deltas().enumerate() {
        // Another shard's blob: not diffed here.
        if shard.is_some_and(|s| !s.owns(&delta.new_file().id())) {
            continue;
        }
        match git2::Patch::from_diff(diff, idx) {
            Ok(Some(patch)) if patch.delta().flags().is_binary() => {
                added.insert(idx, utf16_added(repo, &patch.delta()));
            }
            Err(_) => {
                added.insert(idx, None);
            }
            Ok(None) => {}
            Ok(Some(patch)) => {
                added.insert(idx, Some(plus_lines(&patch)));
            }
        }
    }
    added
}

/// The new line numbers of a patch's added lines, sorted.
fn plus_lines(patch: &git2::Patch) -> Vec<u32> {
    let mut lines = Vec::new();
    for h in 0..patch.num_hunks() {
        let count = patch.num_lines_in_hunk(h).unwrap_or(0);
        for l in 0..count {
            if let Ok(line) = patch.line_in_hunk(h, l)
                && line.origin() == '+'
                && let Some(no) = line.new_lineno()
            {
                lines.push(no);
            }
        }
    }
    lines.sort_unstable();
    lines
}

/// The added lines of a delta git called binary, when its new side is a
/// UTF-16 text; `None` otherwise.
fn utf16_added(repo: &Repository, delta: &git2::DiffDelta) -> Option<Vec<u32>> {
    let new = repo.find_blob(delta.new_file().id()).ok()?;
    let head = &new.content()[..new.content().len().min(SNIFF)];
    if sniff(head) == Encoding::Bytes {
        return None;
    }
    let old_id = delta.old_file().id();
    let old = (!old_id.is_zero())
        .then(|| repo.find_blob(old_id).ok())
        .flatten();
    let mut opts = diff_options();
    opts.force_text(true);
    let old_text = old.as_ref().map_or(&[][..], |b| b.content());
    let patch =
        git2::Patch::from_buffers(old_text, None, new.content(), None, Some(&mut opts)).ok()?;
    Some(plus_lines(&patch))
}

fn diff_jobs(
    repo: &Repository,
    diff: &git2::Diff,
    commit: usize,
    shard: Option<ShardSpec>,
    tx: &crossbeam_channel::Sender<Job>,
) {
    // (Another shard's blobs have no added lines here: skipped below.)
    let added = added_lines(repo, diff, shard);
    for (idx, delta) in diff.deltas().enumerate() {
        if !matches!(
            delta.status(),
            Delta::Added | Delta::Modified | Delta::Renamed | Delta::Copied | Delta::Typechange
        ) || matches!(
            delta.new_file().mode(),
            git2::FileMode::Link | git2::FileMode::Commit
        ) {
            continue;
        }
        let lines = match added.get(&idx) {
            None => continue,
            Some(Some(l)) if l.is_empty() => continue,
            Some(Some(l)) => Some(l.clone()),
            // Binary or unreadable: the scan reads the blob whole, skips it
            // as binary and lists it (unless --include-binary, then every
            // line counts as added) or says why it cannot read it.
            Some(None) => None,
        };
        let path = delta
            .new_file()
            .path()
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .unwrap_or_default();
        let job = Job {
            oid: delta.new_file().id(),
            path,
            commit,
            added: lines,
        };
        if tx.send(job).is_err() {
            return;
        }
    }
}

/// A moved file adds no lines (as `git diff` shows it): pair deletions with
/// additions. Best effort: without it a rename is a deletion plus an addition.
fn find_renames(diff: &mut git2::Diff) {
    let _ = diff.find_similar(Some(DiffFindOptions::new().renames(true)));
}

fn diff_options() -> DiffOptions {
    let mut o = DiffOptions::new();
    o.context_lines(0).ignore_submodules(true);
    o
}

/// `--since-commit`: what each commit of the range added.
fn range_jobs(
    repo: &Repository,
    opts: &GitOptions,
    commits: &mut Vec<Oid>,
    tx: &crossbeam_channel::Sender<Job>,
    out: &dyn Sink,
) {
    *commits = walk_commits(repo, opts, out);
    for (ci, &oid) in commits.iter().enumerate() {
        out.commits_walked(ci + 1);
        let commit = match repo.find_commit(oid) {
            Ok(c) => c,
            Err(e) => {
                out.error(format!("commit {oid}"), e.message().to_string());
                continue;
            }
        };
        let tree = commit.tree().ok();
        let parent = commit.parent(0).ok().and_then(|p| p.tree().ok());
        match repo.diff_tree_to_tree(parent.as_ref(), tree.as_ref(), Some(&mut diff_options())) {
            Ok(mut diff) => {
                find_renames(&mut diff);
                diff_jobs(repo, &diff, ci, opts.shard, tx)
            }
            Err(e) => out.error(
                format!("commit {oid}"),
                format!("cannot diff: {}", e.message()),
            ),
        }
    }
}

/// `--staged`: the index against HEAD (or an empty tree on an unborn branch).
fn staged_jobs(repo: &Repository, tx: &crossbeam_channel::Sender<Job>, out: &dyn Sink) {
    let head = repo.head().ok().and_then(|h| h.peel_to_tree().ok());
    // In a pre-commit hook of `git commit -a` / `git commit PATH`, git builds
    // the commit in a temporary index and names it in GIT_INDEX_FILE.
    let index = match std::env::var_os("GIT_INDEX_FILE") {
        Some(p) if !p.is_empty() => git2::Index::open(Path::new(&p)),
        _ => repo.index(),
    };
    let index = match index {
        Ok(i) => i,
        Err(e) => {
            out.error(
                repo_name(repo),
                format!("cannot read the index: {}", e.message()),
            );
            return;
        }
    };
    match repo.diff_tree_to_index(head.as_ref(), Some(&index), Some(&mut diff_options())) {
        Ok(mut diff) => {
            find_renames(&mut diff);
            diff_jobs(repo, &diff, usize::MAX, None, tx)
        }
        Err(e) => out.error(
            repo_name(repo),
            format!("cannot diff the index: {}", e.message()),
        ),
    }
}

/// Blobs of the tip's tree (HEAD, or `--branch`): where "present at HEAD" is decided.
fn tip_blobs(repo: &Repository, opts: &GitOptions) -> HashSet<Oid> {
    let tip = match &opts.branch {
        Some(b) => repo.revparse_single(b).and_then(|o| o.peel_to_tree()),
        None => repo.head().and_then(|h| h.peel_to_tree()),
    };
    let mut set = HashSet::new();
    if let Ok(tree) = tip {
        let _ = tree.walk(TreeWalkMode::PreOrder, |_, e| {
            if e.kind() == Some(ObjectType::Blob) {
                set.insert(e.id());
            }
            git2::TreeWalkResult::Ok
        });
    }
    set
}

fn commit_info(repo: &Repository, oid: Oid) -> Option<CommitInfo> {
    let c = repo.find_commit(oid).ok()?;
    let author = c.author();
    let secs = author.when().seconds();
    Some(CommitInfo {
        sha: oid.to_string(),
        author: format!(
            "{} <{}>",
            String::from_utf8_lossy(author.name_bytes()),
            String::from_utf8_lossy(author.email_bytes())
        ),
        date: format_time(secs, author.when().offset_minutes()),
        summary: String::from_utf8_lossy(c.summary_bytes().unwrap_or_default()).into_owned(),
    })
}
