//! The baseline store: a folder of insta `.snap` files, one per case, holding each case's
//! normalised observation. `cargo test` asserts them with insta; `run --snapshots` reads them
//! (and `--update-snapshots` writes them) byte for byte as insta does.
//!
//! The folder is never written, removed or walked through a symbolic link below it: a
//! baseline, a `.snap.new` and every folder on the way to them must be real, or the run
//! refuses naming the path; a file is written to a new temporary file beside it and renamed
//! into place, and `--prune` removes only regular files.

use std::io::ErrorKind;
use std::path::{Component, Path, PathBuf};

use super::snap::{declares_binary, render};
use crate::contract::case::Case;
use crate::contract::input::{FileKind, WalkError, read_input, walk, write_whole};
use crate::result::Snapshot;

/// Why a baseline could not be read or written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SnapshotError {
    /// The file exists but is not a readable snapshot.
    #[error("read baseline {path}: {reason}")]
    Read {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// The file could not be written.
    #[error("write baseline {path}: {source}")]
    Write {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// Where a baseline (or a folder on the way to it) is read, written or removed, there is
    /// something else: a symbolic link, which the run never writes or deletes through, a
    /// folder, a named pipe.
    #[error(
        "use {} in the baseline folder: it is {found}; baselines, their .snap.new files and the folders that hold them must be real files and folders, never links (replace it, or remove it)",
        path.display()
    )]
    NotAFile {
        /// The path.
        path: PathBuf,
        /// What is there.
        found: FileKind,
    },
    /// The folder could not be walked: too many entries, or too deep.
    #[error(transparent)]
    Walk(#[from] WalkError),
}

/// A folder of baselines in insta's `.snap` format: the store that `cargo test` writes and
/// `run --snapshots` reads (and `run --update-snapshots` writes), one file per case.
#[derive(Debug, Clone)]
pub struct Baselines {
    dir: PathBuf,
}

impl Baselines {
    /// The baselines in `dir`, e.g. `snapshots/mock`.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Baselines { dir: dir.into() }
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Where the accepted baseline of `case` lives.
    pub fn path(&self, case: &str) -> PathBuf {
        self.dir.join(format!("{case}.snap"))
    }

    /// Where a changed observation waits for `cargo insta review`.
    pub fn pending_path(&self, case: &str) -> PathBuf {
        self.dir.join(format!("{case}.snap.new"))
    }

    /// The path of `name` with `suffix` (`.snap`, `.snap.new`), checked without following a
    /// link: every folder on the way below the baseline folder is a real folder or absent,
    /// and the file a regular file (`true`) or absent (`false`).
    fn locate(&self, name: &str, suffix: &str) -> Result<(PathBuf, bool), SnapshotError> {
        let relative = PathBuf::from(format!("{name}{suffix}"));
        let mut path = self.dir.clone();
        let mut parts = relative.components().peekable();
        while let Some(part) = parts.next() {
            let Component::Normal(part) = part else {
                return Err(SnapshotError::Read {
                    path: self.dir.join(&relative),
                    reason: "the case's name leads out of the baseline folder".to_owned(),
                });
            };
            path.push(part);
            let last = parts.peek().is_none();
            match std::fs::symlink_metadata(&path) {
                Ok(metadata) => match FileKind::of(metadata.file_type()) {
                    None if last => return Ok((path, true)),
                    Some(FileKind::Folder) if !last => {}
                    found => {
                        return Err(SnapshotError::NotAFile {
                            path,
                            found: found.unwrap_or(FileKind::Other),
                        });
                    }
                },
                // Nothing further down exists either.
                Err(e) if e.kind() == ErrorKind::NotFound => {
                    return Ok((self.dir.join(&relative), false));
                }
                Err(e) => {
                    return Err(SnapshotError::Read {
                        path,
                        reason: e.to_string(),
                    });
                }
            }
        }
        Ok((path, false))
    }

    /// Whether the baseline of `name` (and, when the run may write, what waits beside it)
    /// can be used: no link, folder or pipe where they are, nor on the way to them.
    ///
    /// # Errors
    /// [`SnapshotError::NotAFile`] naming the path.
    pub fn check(&self, name: &str, writes: bool) -> Result<(), SnapshotError> {
        self.locate(name, ".snap")?;
        if writes {
            self.locate(name, ".snap.new")?;
        }
        Ok(())
    }

    /// The text of the baseline of `name`, if there is one; read only if it is a regular
    /// file, and only so much of it.
    pub(super) fn text(&self, name: &str) -> Result<Option<(PathBuf, String)>, SnapshotError> {
        let (path, exists) = self.locate(name, ".snap")?;
        if !exists {
            return Ok(None);
        }
        match read_input(&path) {
            Ok(text) => Ok(Some((path, text))),
            Err(e) => Err(SnapshotError::Read {
                path,
                reason: e.to_string(),
            }),
        }
    }

    /// The recorded observation of `case`, or `None` when none was recorded.
    ///
    /// # Errors
    /// When the file exists but cannot be read as a snapshot of an observation.
    pub fn read(&self, case: &str) -> Result<Option<Snapshot>, SnapshotError> {
        let Some((path, text)) = self.text(case)? else {
            return Ok(None);
        };
        let failed = |reason: String| SnapshotError::Read {
            path: path.clone(),
            reason,
        };
        // A binary snapshot would have insta read a file beside it, of any kind and size.
        if declares_binary(&text) {
            return Err(failed("it is a binary snapshot".to_owned()));
        }
        let snapshot = insta::Snapshot::from_file(&path).map_err(|e| failed(e.to_string()))?;
        let text = snapshot
            .contents()
            .as_text()
            .map(ToString::to_string)
            .ok_or_else(|| failed("it is a binary snapshot".to_owned()))?;
        serde_json::from_str(&text)
            .map(Some)
            .map_err(|e| failed(format!("its contents are not an observation: {e}")))
    }

    /// Records `observation` as the baseline of `case` (`pending`: as `.snap.new` for review).
    ///
    /// # Errors
    /// When the file cannot be written, or a link (or anything but a regular file) is where
    /// it goes or on the way to it.
    pub fn write(
        &self,
        case: &Case,
        observation: &Snapshot,
        pending: bool,
    ) -> Result<PathBuf, SnapshotError> {
        let suffix = if pending { ".snap.new" } else { ".snap" };
        let path = self.prepare(&case.name, suffix)?;
        write_whole(&path, render(case, observation).as_bytes()).map_err(|source| {
            SnapshotError::Write {
                path: path.clone(),
                source,
            }
        })?;
        if !pending {
            // An accepted baseline supersedes whatever waited for review.
            self.remove_pending(&case.name);
        }
        Ok(path)
    }

    /// Where `name` with `suffix` is written: checked as [`Baselines::locate`] checks it, with
    /// the missing folders on the way created (never through a link).
    fn prepare(&self, name: &str, suffix: &str) -> Result<PathBuf, SnapshotError> {
        let (path, _) = self.locate(name, suffix)?;
        let write = |path: &Path, source| SnapshotError::Write {
            path: path.to_owned(),
            source,
        };
        std::fs::create_dir_all(&self.dir).map_err(|e| write(&self.dir, e))?;
        let mut folder = self.dir.clone();
        let below = path.parent().and_then(|p| p.strip_prefix(&self.dir).ok());
        for part in below.into_iter().flat_map(Path::components) {
            folder.push(part);
            match std::fs::create_dir(&folder) {
                Ok(()) => {}
                // Made meanwhile: used only if it is a real folder.
                Err(e) if e.kind() == ErrorKind::AlreadyExists => {
                    let metadata =
                        std::fs::symlink_metadata(&folder).map_err(|e| write(&folder, e))?;
                    if let Some(found) =
                        FileKind::of(metadata.file_type()).filter(|k| *k != FileKind::Folder)
                    {
                        return Err(SnapshotError::NotAFile {
                            path: folder,
                            found,
                        });
                    }
                }
                Err(e) => return Err(write(&folder, e)),
            }
        }
        Ok(path)
    }

    /// Removes what waits for review beside the baseline of `name`, if it is a regular file.
    pub(super) fn remove_pending(&self, name: &str) {
        if let Ok((path, true)) = self.locate(name, ".snap.new") {
            let _ = std::fs::remove_file(path);
        }
    }
}

impl Baselines {
    /// Every baseline in the folder, by case name (`delete-files/valid-one-file`): the
    /// regular `*.snap` files, never a link nor what is behind one.
    ///
    /// # Errors
    /// When a folder cannot be read, or the folder holds more than a walk looks at
    /// ([`MAX_WALK_ENTRIES`](crate::contract::input::MAX_WALK_ENTRIES) entries,
    /// [`MAX_WALK_DEPTH`](crate::contract::input::MAX_WALK_DEPTH) folders deep).
    pub fn walk(&self) -> Result<Vec<String>, SnapshotError> {
        let walked = self.walked();
        match walked.problem {
            Some(problem) => Err(problem.into()),
            None => Ok(self.named(walked.paths)),
        }
    }

    /// Every baseline [`Baselines::walk`] finds before a folder it cannot read or a bound
    /// stops it.
    pub fn names(&self) -> Vec<String> {
        self.named(self.walked().paths)
    }

    fn walked(&self) -> crate::contract::input::Walked {
        walk(&self.dir, |path, file_type| {
            file_type.is_file() && path.extension().is_some_and(|e| e == "snap")
        })
    }

    fn named(&self, paths: Vec<PathBuf>) -> Vec<String> {
        let mut names: Vec<String> = paths
            .iter()
            .filter_map(|path| {
                path.strip_prefix(&self.dir)
                    .ok()
                    .and_then(|p| p.to_str())
                    .and_then(|p| p.strip_suffix(".snap"))
                    .map(|name| name.replace(std::path::MAIN_SEPARATOR, "/"))
            })
            .collect();
        names.sort();
        names
    }

    /// Removes the baseline of `name` (and what waits beside it): only a regular file, in
    /// real folders below the baseline folder.
    ///
    /// # Errors
    /// When it does not exist, is not a regular file, or cannot be removed.
    pub fn remove(&self, name: &str) -> Result<(), SnapshotError> {
        self.remove_pending(name);
        let (path, _) = self.locate(name, ".snap")?;
        std::fs::remove_file(&path).map_err(|source| SnapshotError::Write { path, source })
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    #[test]
    fn the_committed_baselines_read_back_as_they_render() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let baselines = Baselines::new(root.join("snapshots/mock"));
        let cases = crate::contract::case::load_dir(&root.join("cases")).unwrap_or_default();
        assert!(!cases.is_empty());
        for case in cases {
            let recorded = baselines.read(&case.name).ok().flatten();
            let recorded = recorded.unwrap_or_else(|| panic!("no baseline for {}", case.name));
            let on_disk = std::fs::read_to_string(baselines.path(&case.name)).unwrap_or_default();
            assert_eq!(
                render(&case, &recorded),
                on_disk,
                "{} renders differently from insta",
                case.name
            );
        }
    }

    #[test]
    fn a_header_field_keeps_its_value_whatever_its_characters() {
        // Arrange: one case, its file's path and its description holding what YAML reads as
        // structure (a line break, `: `, quotes, a leading dash) or cannot print.
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let name = "delete-files/valid-one-file";
        let observation = Baselines::new(root.join("snapshots/mock"))
            .read(name)
            .ok()
            .flatten()
            .unwrap_or_else(|| panic!("no baseline for {name}"));
        let text = std::fs::read_to_string(root.join("cases").join(format!("{name}.json")))
            .unwrap_or_else(|e| panic!("{e}"));
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let plain = "Deleting one file.";
        for (folder, description) in [
            ("cases/a\nsource: injected", plain),
            ("cases/a: b", plain),
            ("cases/\"quoted\"", plain),
            ("cases/-dash", plain),
            ("cases/x", "two\nsource: injected"),
            ("cases/x", "a bell \u{7}, a tab\t and an escape \u{1b}"),
            ("cases/x", "delete: \u{7f}"),
        ] {
            let path = Path::new(folder).join(format!("{name}.json"));
            let mut case = Case::parse(&path, name, &text).unwrap_or_else(|e| panic!("{e}"));
            case.description = description.to_owned();
            let written = dir.path().join("written.snap");
            let _ = std::fs::write(&written, render(&case, &observation));

            // Act: insta reads the file, and writes what it read.
            let read = insta::Snapshot::from_file(&written)
                .unwrap_or_else(|e| panic!("{folder:?} {description:?}: {e}"));
            let again = dir.path().join("again.snap");
            let _ = read.save(&again);

            // Assert: every field holds what was put in it, byte for byte as insta writes it.
            let metadata = read.metadata();
            assert_eq!(metadata.source(), Some("tests/contract.rs"), "{folder:?}");
            assert_eq!(
                metadata.input_file(),
                Some(format!("{folder}/{name}.json").as_str())
            );
            assert_eq!(metadata.description(), Some(description));
            assert_eq!(
                std::fs::read_to_string(&written).ok(),
                std::fs::read_to_string(&again).ok(),
                "{folder:?} {description:?}"
            );
        }
    }

    #[test]
    fn a_missing_baseline_reads_as_none() {
        assert!(matches!(Baselines::new("no/such/dir").read("x"), Ok(None)));
    }

    /// The committed case `delete-files/valid-one-file` and its observation.
    pub(in crate::suite::verify) fn committed() -> (Case, Snapshot) {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let name = "delete-files/valid-one-file";
        let observation = Baselines::new(root.join("snapshots/mock"))
            .read(name)
            .ok()
            .flatten()
            .unwrap_or_else(|| panic!("no baseline for {name}"));
        let path = root.join("cases").join(format!("{name}.json"));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
        let case = Case::parse(&path, name, &text).unwrap_or_else(|e| panic!("{e}"));
        (case, observation)
    }

    #[test]
    fn a_baseline_is_written_whole_and_nothing_temporary_is_left() {
        let (case, observation) = committed();
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let baselines = Baselines::new(dir.path().join("new"));
        let written = baselines.write(&case, &observation, false);
        assert_eq!(written.ok(), Some(baselines.path(&case.name)));
        assert_eq!(baselines.names(), [case.name.as_str()]);
        let listed: Vec<_> = std::fs::read_dir(dir.path().join("new/delete-files"))
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(listed, ["valid-one-file.snap"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_link_where_a_baseline_goes_is_neither_read_written_nor_removed() {
        use std::os::unix::fs::symlink;
        let (case, observation) = committed();
        let outside = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let precious = outside.path().join("precious.snap");
        let _ = std::fs::write(&precious, "precious");
        for (link, at) in [
            (precious.as_path(), "delete-files/valid-one-file.snap"),
            (outside.path(), "delete-files"),
        ] {
            let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
            let _ = std::fs::create_dir_all(dir.path().join("delete-files"));
            let _ = std::fs::remove_dir(dir.path().join(at));
            let _ = symlink(link, dir.path().join(at));
            let baselines = Baselines::new(dir.path());

            let read = baselines.read(&case.name);
            let written = baselines.write(&case, &observation, false);
            let removed = baselines.remove(&case.name);
            let pending = baselines.write(&case, &observation, true);

            // `.snap.new` beside a linked baseline is a file of its own; in a linked folder not.
            let pending = pending.map(|_| ());
            let linked_folder = at == "delete-files";
            assert_eq!(pending.is_ok(), !linked_folder, "{at}: {pending:?}");
            let refused = if linked_folder {
                vec![pending]
            } else {
                Vec::new()
            };
            for outcome in [read.map(|_| ()), written.map(|_| ()), removed]
                .into_iter()
                .chain(refused)
            {
                assert!(
                    matches!(
                        outcome,
                        Err(SnapshotError::NotAFile {
                            found: FileKind::Symlink,
                            ..
                        })
                    ),
                    "{at}: {outcome:?}"
                );
            }
            assert!(baselines.check(&case.name, true).is_err(), "{at}");
            assert_eq!(
                std::fs::read_to_string(&precious).ok().as_deref(),
                Some("precious")
            );
        }
    }

    #[test]
    fn a_folder_where_a_baseline_goes_is_refused_and_one_on_the_way_is_walked() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let baselines = Baselines::new(dir.path());
        let _ = std::fs::create_dir_all(dir.path().join("delete-files/valid-one-file.snap"));

        let checked = baselines.check("delete-files/valid-one-file", false);
        let read = baselines.read("delete-files/valid-one-file");

        for outcome in [checked, read.map(|_| ())] {
            assert!(
                matches!(
                    outcome,
                    Err(SnapshotError::NotAFile {
                        found: FileKind::Folder,
                        ..
                    })
                ),
                "{outcome:?}"
            );
        }
        // The folder `delete-files` on the way is no obstacle.
        assert!(matches!(baselines.read("delete-files/other"), Ok(None)));
    }

    #[test]
    fn a_file_where_a_folder_of_the_way_goes_is_refused() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let _ = std::fs::write(dir.path().join("delete-files"), "not a folder");
        let baselines = Baselines::new(dir.path());

        let read = baselines.read("delete-files/valid-one-file");

        assert!(
            matches!(
                read,
                Err(SnapshotError::NotAFile {
                    found: FileKind::Other,
                    ..
                })
            ),
            "{read:?}"
        );
    }

    #[test]
    fn a_path_the_system_cannot_look_up_is_an_error_not_an_absent_baseline() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let _ = std::fs::create_dir(dir.path().join("delete-files"));
        let baselines = Baselines::new(dir.path());
        // Longer than any file name may be.
        let name = format!("delete-files/{}", "a".repeat(300));

        let read = baselines.read(&name);

        assert!(matches!(read, Err(SnapshotError::Read { .. })), "{read:?}");
    }

    /// sysfs refuses every new folder, even to root: the refusal is the system's.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_folder_that_cannot_be_made_fails_the_write_with_the_system_s_reason() {
        if !Path::new("/sys/kernel").is_dir() {
            return;
        }
        let (case, observation) = committed();
        let baselines = Baselines::new("/sys");

        let written = baselines.write(&case, &observation, false);

        match written {
            Err(SnapshotError::Write { path, source }) => {
                assert_eq!(path, Path::new("/sys/delete-files"));
                assert_ne!(source.kind(), ErrorKind::NotFound, "{source}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn what_waits_for_review_is_removed_and_the_baseline_beside_it_kept() {
        let (case, observation) = committed();
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let baselines = Baselines::new(dir.path());
        let written = baselines.write(&case, &observation, false);
        let pending = baselines.write(&case, &observation, true);
        assert_eq!(pending.ok(), Some(baselines.pending_path(&case.name)));

        baselines.remove_pending(&case.name);

        assert!(!baselines.pending_path(&case.name).exists());
        assert_eq!(written.ok(), Some(baselines.path(&case.name)));
        assert!(baselines.path(&case.name).is_file());
    }

    #[cfg(unix)]
    #[test]
    fn replacing_a_file_replaces_a_link_rather_than_writing_through_it() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let target = dir.path().join("target");
        let _ = std::fs::write(&target, "kept");
        let link = dir.path().join("link.snap");
        let _ = std::os::unix::fs::symlink(&target, &link);

        let replaced = write_whole(&link, b"new");

        assert!(replaced.is_ok(), "{replaced:?}");
        assert!(!link.is_symlink());
        assert_eq!(std::fs::read_to_string(&link).ok().as_deref(), Some("new"));
        assert_eq!(
            std::fs::read_to_string(&target).ok().as_deref(),
            Some("kept")
        );
    }

    #[cfg(unix)]
    #[test]
    fn the_folder_s_baselines_are_its_regular_snap_files_only() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let _ = std::fs::create_dir(dir.path().join("real"));
        let _ = std::fs::write(dir.path().join("real/a.snap"), "");
        let _ = symlink("a.snap", dir.path().join("real/b.snap"));
        let _ = symlink(".", dir.path().join("loop"));
        let _ = symlink(".", dir.path().join("again"));
        let baselines = Baselines::new(dir.path());
        assert_eq!(baselines.names(), ["real/a"]);
        assert_eq!(baselines.walk().ok(), Some(vec!["real/a".to_owned()]));
    }

    #[test]
    fn a_snapshot_that_declares_itself_binary_is_known_before_insta_reads_it() {
        assert!(declares_binary(
            "---\nsource: x\nsnapshot_kind: binary\nextension: bin\n---\n"
        ));
        assert!(!declares_binary(
            "---\nsource: x\nsnapshot_kind: text\n---\n{}\n"
        ));
        assert!(!declares_binary(
            "---\nsource: x\n---\nsnapshot_kind: binary\n"
        ));
        assert!(!declares_binary("{}"));
    }
}
