//! Writing an archive: the manifest first, then each executable, in one
//! gzip-compressed tar file that appears whole or not at all.

use std::collections::BTreeSet;
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write as _};
use std::path::Path;

use flate2::Compression;
use flate2::write::GzEncoder;

use super::digest::digest;
use super::link::Built;
use super::manifest::{Executable, MANIFEST_NAME, Manifest};
use crate::error::CliError;

/// Packs `built` into `path` with `manifest` (whose executables this
/// fills in: entry name, size, digest). Returns the archive's size in
/// bytes.
pub fn write(path: &Path, manifest: &mut Manifest, built: &[Built]) -> Result<u64, CliError> {
    let mut names = BTreeSet::new();
    let mut files = Vec::new();
    manifest.executables.clear();
    for built in built {
        let file = entry_name(built, &mut names);
        let (size, sha256) = digest(&built.path).map_err(|source| CliError::Io {
            message: format!("failed to read {}", built.path.display()),
            source,
        })?;
        manifest.executables.push(Executable {
            key: built.key.clone(),
            file: file.clone(),
            size,
            sha256,
        });
        files.push((file, built.path.as_path(), size));
    }
    let json = serde_json::to_vec_pretty(&*manifest).map_err(|e| CliError::Write {
        path: path.to_path_buf(),
        source: std::io::Error::other(e),
    })?;
    crate::atomic_write::write_streamed(path, |file| {
        let encoder = GzEncoder::new(BufWriter::new(file), Compression::default());
        let mut tar = tar::Builder::new(encoder);
        append(
            &mut tar,
            MANIFEST_NAME,
            0o644,
            json.len() as u64,
            json.as_slice(),
        )?;
        for (name, source, size) in &files {
            let reader = BufReader::new(File::open(source)?).take(*size);
            append(&mut tar, name, 0o755, *size, reader)?;
        }
        tar.into_inner()?.finish()?.flush()
    })?;
    std::fs::metadata(path)
        .map(|m| m.len())
        .map_err(|source| CliError::Write {
            path: path.to_path_buf(),
            source,
        })
}

/// `head-perf-0123abcd`: the executable's file name under its build's,
/// made unique among `taken`.
fn entry_name(built: &Built, taken: &mut BTreeSet<String>) -> String {
    let file = built
        .path
        .file_name()
        .and_then(|n| n.to_str())
        .filter(|n| super::manifest::is_plain_name(n))
        .unwrap_or(built.key.target.as_str());
    let stem = format!("{}-{file}", built.key.revision.name());
    let mut name = stem.clone();
    for n in 2u32.. {
        if taken.insert(name.clone()) {
            break;
        }
        name = format!("{stem}-{n}");
    }
    name
}

/// A regular file entry: no owner, no time, so that the same executables
/// make the same archive.
fn append(
    tar: &mut tar::Builder<impl std::io::Write>,
    name: &str,
    mode: u32,
    size: u64,
    data: impl Read,
) -> std::io::Result<()> {
    let mut header = tar::Header::new_gnu();
    header.set_entry_type(tar::EntryType::Regular);
    header.set_mode(mode);
    header.set_size(size);
    header.set_mtime(0);
    tar.append_data(&mut header, name, data)
}
