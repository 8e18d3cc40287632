//! `cleanup`: delete what a run with `--keep` left in place, from the record it wrote.

use extracta_contract::suite::{KeptRecord, delete_kept};
use extracta_contract::{Redactor, RunOptions, report::text::escaped};

use super::args::CleanupArgs;
use super::exit::{CONFORMS, COULD_NOT_RUN};
use super::output::Output;

/// Deletes what run `--run-id` kept, and removes its record once nothing of it is left.
pub async fn clean_up(args: &CleanupArgs) -> anyhow::Result<u8> {
    let folder =
        std::env::current_dir().map_err(|e| anyhow::anyhow!("find the working folder: {e}"))?;
    let record = KeptRecord::load(&folder, &args.run_id)?;
    let mut options = RunOptions::builder().timeout(args.timeout).base_url(
        args.base_url
            .clone()
            .unwrap_or_else(|| record.base_url.clone()),
    );
    if let Some(key) = &args.api_key {
        options = options.api_key(key);
    }
    let options = options.build()?;
    let output = Output::new(Redactor::new(options.target().keys()));
    let cleanup = delete_kept(&options, &record).await?;
    for id in &cleanup.deleted {
        output.line(&format!("deleted {}", escaped(id)));
    }
    for id in &cleanup.gone {
        output.line(&format!("already gone: {}", escaped(id)));
    }
    for (id, why) in &cleanup.failed {
        output.line(&format!(
            "could not delete {}: {}",
            escaped(id),
            escaped(why)
        ));
    }
    if !cleanup.failed.is_empty() {
        output.line(&format!(
            "{} thing(s) of run {} are left; run this again, or delete them by hand",
            cleanup.failed.len(),
            args.run_id
        ));
        return Ok(COULD_NOT_RUN);
    }
    let path = KeptRecord::path(&folder, &record.run_id);
    std::fs::remove_file(&path)
        .map_err(|e| anyhow::anyhow!("remove the record {}: {e}", path.display()))?;
    output.line(&format!(
        "nothing of run {} is left; its record is removed",
        record.run_id
    ));
    Ok(CONFORMS)
}
