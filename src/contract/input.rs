//! The files and folders a user hands the tool: case files, a seed, a vendor profile,
//! `volatile.json`, a docs page, a document to validate, the baselines. A file is read only
//! when it is a regular file (a named pipe blocks, a device never ends) and only up to
//! [`MAX_INPUT_BYTES`]; a folder is walked without following symbolic links (a loop cannot
//! hold a walk, nor a link lead it out of the folder), within [`MAX_WALK_DEPTH`] and
//! [`MAX_WALK_ENTRIES`]. A file the tool writes into a user's folder is written whole, never
//! through a link planted at its name ([`write_whole`]).

use std::fmt;
use std::fs::FileType;
use std::io::{ErrorKind, Read, Write as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// The most the tool reads of one input file (or of standard input): 8 MiB, far above any
/// case, seed, profile, docs page or baseline, and little memory.
pub const MAX_INPUT_BYTES: u64 = 8 * 1024 * 1024;
/// How many folders deep a walk goes below the folder it starts from.
pub const MAX_WALK_DEPTH: usize = 16;
/// How many entries (files, folders, links) a walk looks at in all.
pub const MAX_WALK_ENTRIES: usize = 10_000;

/// What a path holds when it is not a regular file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FileKind {
    /// A folder.
    Folder,
    /// A symbolic link.
    Symlink,
    /// A named pipe: reading it waits for a writer.
    Fifo,
    /// A Unix socket.
    Socket,
    /// A character or block device, such as `/dev/urandom`.
    Device,
    /// Anything else that is not a regular file.
    Other,
}

impl FileKind {
    /// What `file_type` is, or `None` for a regular file.
    pub fn of(file_type: FileType) -> Option<FileKind> {
        if file_type.is_file() {
            return None;
        }
        Some(if file_type.is_dir() {
            FileKind::Folder
        } else if file_type.is_symlink() {
            FileKind::Symlink
        } else {
            special(file_type)
        })
    }
}

#[cfg(unix)]
fn special(file_type: FileType) -> FileKind {
    use std::os::unix::fs::FileTypeExt as _;
    if file_type.is_fifo() {
        FileKind::Fifo
    } else if file_type.is_socket() {
        FileKind::Socket
    } else if file_type.is_char_device() || file_type.is_block_device() {
        FileKind::Device
    } else {
        FileKind::Other
    }
}

#[cfg(not(unix))]
fn special(_: FileType) -> FileKind {
    FileKind::Other
}

impl fmt::Display for FileKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FileKind::Folder => "a folder",
            FileKind::Symlink => "a symbolic link",
            FileKind::Fifo => "a named pipe (FIFO)",
            FileKind::Socket => "a socket",
            FileKind::Device => "a device",
            FileKind::Other => "a special file",
        })
    }
}

/// A size in the unit a person reads: `8 MiB`, else bytes.
struct Size(u64);

impl fmt::Display for Size {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const MIB: u64 = 1024 * 1024;
        if self.0 >= MIB && self.0 % MIB == 0 {
            write!(f, "{} MiB", self.0 / MIB)
        } else {
            write!(f, "{} bytes", self.0)
        }
    }
}

/// Why an input file was not read. The message says what, not which file: the caller names
/// it (`read the seed file seed.json: it is a named pipe (FIFO), not a regular file`).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum InputError {
    /// A named pipe, a device, a folder: reading it could block or never end.
    #[error("it is {kind}, not a regular file")]
    NotRegular {
        /// What it is.
        kind: FileKind,
    },
    /// More than the tool reads of an input.
    #[error("it is larger than {}, the most the tool reads of an input", Size(*limit))]
    TooLarge {
        /// The cap, in bytes.
        limit: u64,
    },
    /// Its bytes are not UTF-8 text.
    #[error("it is not UTF-8 text")]
    NotText,
    /// It could not be opened or read.
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

impl From<InputError> for std::io::Error {
    fn from(error: InputError) -> Self {
        match error {
            InputError::Io(error) => error,
            InputError::NotText => std::io::Error::new(std::io::ErrorKind::InvalidData, error),
            other => std::io::Error::other(other),
        }
    }
}

/// The text of the file at `path` (a link to a regular file is followed): refused unread when
/// it is not a regular file or holds more than [`MAX_INPUT_BYTES`].
///
/// # Errors
/// [`InputError`], saying why; the caller names the file.
pub fn read_input(path: &Path) -> Result<String, InputError> {
    let regular = |metadata: &std::fs::Metadata| match FileKind::of(metadata.file_type()) {
        Some(kind) => Err(InputError::NotRegular { kind }),
        None if metadata.len() > MAX_INPUT_BYTES => Err(InputError::TooLarge {
            limit: MAX_INPUT_BYTES,
        }),
        None => Ok(()),
    };
    // Checked before opening: opening a named pipe to read waits for a writer.
    regular(&std::fs::metadata(path)?)?;
    let file = std::fs::File::open(path)?;
    // And again on what was opened, in case the path changed in between.
    regular(&file.metadata()?)?;
    read_input_from(file)
}

/// The text `reader` gives (standard input, say), refused past [`MAX_INPUT_BYTES`].
///
/// # Errors
/// [`InputError::TooLarge`], [`InputError::NotText`], or the reader's error.
pub fn read_input_from(reader: impl Read) -> Result<String, InputError> {
    let mut bytes = Vec::new();
    reader.take(MAX_INPUT_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(InputError::TooLarge {
            limit: MAX_INPUT_BYTES,
        });
    }
    String::from_utf8(bytes).map_err(|_| InputError::NotText)
}

/// Why a folder could not be walked.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WalkError {
    /// A folder could not be read.
    #[error("read {path}: {source}")]
    Read {
        /// The folder.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// More entries than a walk looks at.
    #[error(
        "read the folder {}: it holds more than {limit} entries, the most the tool looks at",
        root.display()
    )]
    TooMany {
        /// The folder walked.
        root: PathBuf,
        /// The cap.
        limit: usize,
    },
    /// Folders nested deeper than a walk goes.
    #[error(
        "read the folder {}: it is more than {limit} folders below the folder walked",
        path.display()
    )]
    TooDeep {
        /// The folder too deep.
        path: PathBuf,
        /// The cap.
        limit: usize,
    },
}

/// What a walk found: the paths kept, and what stopped or troubled it.
#[derive(Debug, Default)]
pub struct Walked {
    /// The entries kept, in the order met.
    pub paths: Vec<PathBuf>,
    /// The first folder that could not be read, or the bound that ended the walk.
    pub problem: Option<WalkError>,
}

impl Walked {
    /// The paths, or the problem.
    ///
    /// # Errors
    /// The walk's problem, if it had one.
    pub fn into_result(self) -> Result<Vec<PathBuf>, WalkError> {
        match self.problem {
            Some(problem) => Err(problem),
            None => Ok(self.paths),
        }
    }
}

/// Walks the folder `root` (itself followed if a link) without following a symbolic link
/// below it, keeping the entries (not folders) for which `keep` holds of their path and their
/// own type. A folder that cannot be read is the problem and the walk goes on; past
/// [`MAX_WALK_DEPTH`] or [`MAX_WALK_ENTRIES`] it stops.
pub fn walk(root: &Path, keep: impl Fn(&Path, FileType) -> bool) -> Walked {
    let mut walked = Walked::default();
    let mut seen = 0_usize;
    let mut folders = vec![(root.to_owned(), 0_usize)];
    while let Some((folder, depth)) = folders.pop() {
        let entries = match std::fs::read_dir(&folder) {
            Ok(entries) => entries,
            Err(source) => {
                walked.problem.get_or_insert(WalkError::Read {
                    path: folder,
                    source,
                });
                continue;
            }
        };
        for entry in entries {
            let (path, file_type) = match entry.and_then(|e| Ok((e.path(), e.file_type()?))) {
                Ok(entry) => entry,
                Err(source) => {
                    walked.problem.get_or_insert(WalkError::Read {
                        path: folder.clone(),
                        source,
                    });
                    continue;
                }
            };
            seen += 1;
            if seen > MAX_WALK_ENTRIES {
                walked.problem = Some(WalkError::TooMany {
                    root: root.to_owned(),
                    limit: MAX_WALK_ENTRIES,
                });
                return walked;
            }
            // The entry's own type: a link to a folder is not a folder here.
            if file_type.is_dir() {
                if depth >= MAX_WALK_DEPTH {
                    walked.problem = Some(WalkError::TooDeep {
                        path,
                        limit: MAX_WALK_DEPTH,
                    });
                    return walked;
                }
                folders.push((path, depth + 1));
            } else if keep(&path, file_type) {
                walked.paths.push(path);
            }
        }
    }
    walked
}

/// Writes `contents` to `path` as a whole: to a temporary file made new beside it (so a link
/// planted at that name is not followed), then renamed over it (which replaces a link at
/// `path` rather than writing through it).
///
/// # Errors
/// When the temporary file cannot be made or written, or not renamed into place.
pub fn write_whole(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let folder = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let mut attempts = 0;
    let (temporary, mut file) = loop {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let temporary = folder.join(format!(".{name}.{}-{n}.tmp", std::process::id()));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temporary)
        {
            Ok(file) => break (temporary, file),
            Err(e) if e.kind() == ErrorKind::AlreadyExists && attempts < 16 => attempts += 1,
            Err(e) => return Err(e),
        }
    };
    let written = file.write_all(contents);
    drop(file);
    let written = written.and_then(|()| std::fs::rename(&temporary, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tempdir() -> tempfile::TempDir {
        tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn a_small_text_file_reads_whole() {
        let dir = tempdir();
        let path = dir.path().join("a.json");
        let _ = std::fs::write(&path, "{\"a\": 1}");
        assert_eq!(read_input(&path).ok().as_deref(), Some("{\"a\": 1}"));
    }

    #[test]
    fn a_folder_is_not_read() {
        let dir = tempdir();
        let error = read_input(dir.path()).err().map(|e| e.to_string());
        assert_eq!(error.as_deref(), Some("it is a folder, not a regular file"));
    }

    #[test]
    fn a_file_of_exactly_the_cap_reads_and_one_byte_more_does_not() {
        let dir = tempdir();
        let path = dir.path().join("big");
        let file = std::fs::File::create(&path).unwrap_or_else(|e| panic!("{e}"));
        let _ = file.set_len(MAX_INPUT_BYTES);
        assert_eq!(
            read_input(&path).map(|t| t.len() as u64).ok(),
            Some(MAX_INPUT_BYTES)
        );
        let _ = file.set_len(MAX_INPUT_BYTES + 1);
        assert!(matches!(
            read_input(&path),
            Err(InputError::TooLarge {
                limit: MAX_INPUT_BYTES
            })
        ));
    }

    #[test]
    fn a_reader_past_the_cap_is_refused_and_the_message_names_the_cap() {
        let endless = std::io::repeat(b' ');
        let error = read_input_from(endless).err().map(|e| e.to_string());
        assert_eq!(
            error.as_deref(),
            Some("it is larger than 8 MiB, the most the tool reads of an input")
        );
    }

    #[test]
    fn bytes_that_are_not_utf8_are_refused() {
        assert!(matches!(
            read_input_from(&[0xff_u8, 0xfe][..]),
            Err(InputError::NotText)
        ));
    }

    #[test]
    fn a_walk_past_its_depth_stops_naming_the_folder() {
        let dir = tempdir();
        let mut deep = dir.path().to_owned();
        for _ in 0..=MAX_WALK_DEPTH {
            deep.push("d");
        }
        let _ = std::fs::create_dir_all(&deep);
        let walked = walk(dir.path(), |_, _| true);
        assert!(
            matches!(walked.problem, Some(WalkError::TooDeep { .. })),
            "{:?}",
            walked.problem
        );
    }

    #[test]
    fn a_walk_past_its_entries_stops() {
        let dir = tempdir();
        for n in 0..=MAX_WALK_ENTRIES {
            let _ = std::fs::File::create(dir.path().join(n.to_string()));
        }
        let walked = walk(dir.path(), |_, _| true);
        assert!(matches!(walked.problem, Some(WalkError::TooMany { .. })));
        assert_eq!(walked.paths.len(), MAX_WALK_ENTRIES);
    }

    #[cfg(unix)]
    #[test]
    fn a_walk_keeps_links_as_links_and_never_enters_them() {
        let dir = tempdir();
        let _ = std::fs::create_dir(dir.path().join("real"));
        let _ = std::fs::write(dir.path().join("real/a.json"), "{}");
        let _ = std::os::unix::fs::symlink(".", dir.path().join("loop"));
        let _ = std::os::unix::fs::symlink("..", dir.path().join("real/up"));
        let walked = walk(dir.path(), |_, _| true);
        assert!(walked.problem.is_none(), "{:?}", walked.problem);
        let mut found: Vec<String> = walked
            .paths
            .iter()
            .filter_map(|p| p.strip_prefix(dir.path()).ok())
            .map(|p| p.display().to_string())
            .collect();
        found.sort();
        assert_eq!(found, ["loop", "real/a.json", "real/up"]);
    }
}
