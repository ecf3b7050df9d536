//! Opening an archive: its manifest read and checked, its executables
//! unpacked once per archive (the same bytes reuse the same folder), each
//! checked against the manifest's size and digest. Nothing outside the
//! folder is ever written: an entry is only ever a plain file name the
//! manifest lists. Opening one removes what older archives left unpacked
//! (see [`super::prune`]).

use std::collections::BTreeSet;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Component, Path, PathBuf};
use std::time::SystemTime;

use flate2::read::GzDecoder;
use sha2::{Digest as _, Sha256};

use super::digest::{digest, hex};
use super::manifest::{MANIFEST_NAME, Manifest, TargetKey};
use crate::error::CliError;

/// The most bytes an archive's executables may unpack to.
pub const MAX_UNPACKED: u64 = 16 * 1024 * 1024 * 1024;
/// The largest manifest read.
const MAX_MANIFEST: u64 = 16 * 1024 * 1024;
/// What may follow the last entry (tar's end blocks and padding).
const MAX_TRAILER: u64 = 1024 * 1024;
/// The file that marks a folder as completely unpacked.
const COMPLETE: &str = ".complete";

/// An opened archive: its manifest, and the folder its executables are
/// unpacked in.
#[derive(Debug)]
pub struct Archive {
    path: PathBuf,
    digest: String,
    manifest: Manifest,
    dir: PathBuf,
}

impl Archive {
    /// Opens the archive at `path`, unpacking it under `root` (in a folder
    /// named after its digest) unless an earlier run did.
    pub fn open(path: &Path, root: &Path) -> Result<Self, CliError> {
        open_within(path, root, MAX_UNPACKED)
    }

    /// The archive file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The SHA-256 of the archive file.
    pub fn digest(&self) -> &str {
        &self.digest
    }

    /// What it holds.
    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    /// The unpacked executable of `key`; an error naming the target and
    /// the fix when the archive has none.
    pub fn executable(&self, key: &TargetKey) -> Result<PathBuf, CliError> {
        match self.manifest.find(key) {
            Some(executable) => Ok(self.dir.join(&executable.file)),
            None => {
                let held: Vec<String> = self
                    .manifest
                    .executables
                    .iter()
                    .map(|e| e.key.to_string())
                    .collect();
                Err(CliError::Archive {
                    path: self.path.clone(),
                    message: format!(
                        "it holds no executable of {key} (it holds: {}); make it again with this run's \
                         selection: `cargo perf archive --archive-file FILE` with the same -p, --workspace, \
                         -F and --profile{}",
                        if held.is_empty() {
                            "nothing".to_owned()
                        } else {
                            held.join(", ")
                        },
                        if key.revision == super::Revision::Base {
                            " and --compare-ref REV"
                        } else {
                            ""
                        }
                    ),
                })
            }
        }
    }
}

/// [`Archive::open`] with at most `limit` bytes unpacked.
fn open_within(path: &Path, root: &Path, limit: u64) -> Result<Archive, CliError> {
    let fail = |message: String| CliError::Archive {
        path: path.to_path_buf(),
        message,
    };
    let (_, file_digest) = digest(path).map_err(|e| fail(format!("cannot be read: {e}")))?;
    let file = File::open(path).map_err(|e| fail(format!("cannot be read: {e}")))?;
    let corrupt = |e: std::io::Error| {
        fail(format!(
            "is not a whole archive of cargo perf ({e}); make it again with `cargo perf archive`"
        ))
    };
    let mut tar = tar::Archive::new(GzDecoder::new(BufReader::new(file)));
    let mut entries = tar.entries().map_err(corrupt)?;
    let manifest = match entries.next() {
        Some(entry) => read_manifest(entry.map_err(corrupt)?).map_err(fail)?,
        None => return Err(fail("is empty: it has no manifest".to_owned())),
    };
    manifest
        .check(limit)
        .map_err(|e| fail(format!("refused: {e}")))?;
    let dir = root.join(&file_digest[..16]);
    let archive = Archive {
        path: path.to_path_buf(),
        digest: file_digest,
        manifest,
        dir,
    };
    if archive.dir.join(COMPLETE).is_file() {
        super::prune::mark_used(&archive.dir.join(COMPLETE));
        super::prune::prune(root, &archive.dir, COMPLETE, SystemTime::now());
        return Ok(archive);
    }
    let write_error = |source| CliError::Write {
        path: root.to_path_buf(),
        source,
    };
    std::fs::create_dir_all(root).map_err(write_error)?;
    let temp = tempfile::Builder::new()
        .prefix(".unpack-")
        .tempdir_in(root)
        .map_err(write_error)?;
    let mut seen = BTreeSet::new();
    for entry in entries {
        let entry = entry.map_err(corrupt)?;
        let name = unpack_entry(entry, &archive.manifest, temp.path(), &seen).map_err(fail)?;
        seen.insert(name);
    }
    let missing: Vec<&str> = archive
        .manifest
        .executables
        .iter()
        .filter(|e| !seen.contains(&e.file))
        .map(|e| e.file.as_str())
        .collect();
    if !missing.is_empty() {
        return Err(fail(format!(
            "is cut short: it lacks {}; copy it again or make it again",
            missing.join(", ")
        )));
    }
    // Read to the end, so that gzip checks its length and CRC.
    let mut rest = tar.into_inner().take(MAX_TRAILER);
    std::io::copy(&mut rest, &mut std::io::sink()).map_err(corrupt)?;
    std::fs::write(temp.path().join(COMPLETE), archive.digest.as_bytes()).map_err(write_error)?;
    let unpacked = temp.keep();
    if std::fs::rename(&unpacked, &archive.dir).is_err() {
        // Another run unpacked the same archive first: its folder serves.
        let _ = std::fs::remove_dir_all(&unpacked);
        if !archive.dir.join(COMPLETE).is_file() {
            return Err(CliError::Write {
                path: archive.dir.clone(),
                source: std::io::Error::other("failed to move the unpacked executables there"),
            });
        }
    }
    super::prune::prune(root, &archive.dir, COMPLETE, SystemTime::now());
    Ok(archive)
}

/// The manifest from the first entry.
fn read_manifest<R: Read>(entry: tar::Entry<'_, R>) -> Result<Manifest, String> {
    let name = plain_entry_name(&entry)?;
    if name != MANIFEST_NAME {
        return Err(format!(
            "is not an archive of cargo perf: its first entry is `{name}`, not {MANIFEST_NAME}"
        ));
    }
    if entry.size() > MAX_MANIFEST {
        return Err(format!(
            "refused: its manifest is over {} MiB",
            MAX_MANIFEST / (1024 * 1024)
        ));
    }
    let mut text = Vec::new();
    entry
        .take(MAX_MANIFEST)
        .read_to_end(&mut text)
        .map_err(|e| format!("is not a whole archive of cargo perf ({e})"))?;
    serde_json::from_slice(&text).map_err(|e| format!("has a manifest that does not parse: {e}"))
}

/// Writes one entry into `dir` after checking it against `manifest`;
/// returns its name.
fn unpack_entry<R: Read>(
    entry: tar::Entry<'_, R>,
    manifest: &Manifest,
    dir: &Path,
    seen: &BTreeSet<String>,
) -> Result<String, String> {
    let name = plain_entry_name(&entry)?;
    let Some(expected) = manifest.executables.iter().find(|e| e.file == name) else {
        return Err(format!(
            "refused: its entry `{name}` is not in its manifest"
        ));
    };
    if seen.contains(&name) {
        return Err(format!("refused: it holds `{name}` twice"));
    }
    if entry.size() != expected.size {
        return Err(format!(
            "refused: its entry `{name}` holds {} bytes where the manifest says {}",
            entry.size(),
            expected.size
        ));
    }
    let path = dir.join(&name);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o755);
    let mut file = options
        .open(&path)
        .map_err(|e| format!("cannot be unpacked in {}: {e}", dir.display()))?;
    let mut hasher = Sha256::new();
    let mut reader = entry.take(expected.size);
    let mut buffer = vec![0u8; 64 * 1024];
    let mut copied = 0u64;
    loop {
        let n = reader
            .read(&mut buffer)
            .map_err(|e| format!("is not a whole archive of cargo perf ({e})"))?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
        std::io::Write::write_all(&mut file, &buffer[..n])
            .map_err(|e| format!("cannot be unpacked in {}: {e}", dir.display()))?;
        copied += n as u64;
    }
    if copied != expected.size || hex(&hasher.finalize()) != expected.sha256 {
        return Err(format!(
            "is damaged: `{name}` does not match the digest its manifest gives; copy it again or make it again"
        ));
    }
    Ok(name)
}

/// The entry's name, when it is a regular file named by one plain file
/// name; anything else (a link, a folder, an absolute path, `..`) is
/// refused.
fn plain_entry_name<R: Read>(entry: &tar::Entry<'_, R>) -> Result<String, String> {
    let path = entry
        .path()
        .map_err(|e| format!("refused: an entry's name cannot be read ({e})"))?;
    let shown = path.display().to_string();
    let components: Vec<Component<'_>> = path.components().collect();
    if components.iter().any(|c| {
        matches!(
            c,
            Component::RootDir | Component::Prefix(_) | Component::ParentDir
        )
    }) {
        return Err(format!(
            "refused: its entry `{shown}` would be written outside the folder it is unpacked in"
        ));
    }
    let name = match components.as_slice() {
        [Component::Normal(name)] => name.to_str().filter(|n| super::manifest::is_plain_name(n)),
        _ => None,
    };
    let Some(name) = name else {
        return Err(format!(
            "refused: its entry `{shown}` is not a plain file name"
        ));
    };
    if entry.header().entry_type() != tar::EntryType::Regular {
        return Err(format!(
            "refused: its entry `{shown}` is not a regular file (a link or a folder)"
        ));
    }
    Ok(name.to_owned())
}

#[cfg(test)]
mod tests;
