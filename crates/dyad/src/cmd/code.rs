//! `dyad code`: read inputs, run the pipeline, write JSON Lines.

use super::args::ReadArgs;
use anyhow::{Context, Result};
use clap::Args;
use dyad_document::JsonOptions;
use dyad_pipeline::{Outcome, PipelineOptions, RunOptions, default_pipeline, process_stream};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `dyad code`.
#[derive(Args, Debug)]
pub struct CodeArgs {
    /// Files, directories (read recursively) or `-` for standard input.
    #[arg(default_value = "-")]
    pub inputs: Vec<PathBuf>,
    #[command(flatten)]
    pub read: ReadArgs,
    /// Write the JSON Lines here instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Write inputs that could not be read or processed here, one JSON line each.
    #[arg(long)]
    pub dead_letter: Option<PathBuf>,
    /// Include the token layer.
    #[arg(long)]
    pub tokens: bool,
    /// Stop at the first input that fails.
    #[arg(long)]
    pub strict: bool,
    /// Worker threads (default: all cores).
    #[arg(long)]
    pub threads: Option<usize>,
}

/// Runs `dyad code`.
pub fn run(args: CodeArgs) -> Result<ExitCode> {
    super::set_threads(args.threads)?;
    let read_options = args.read.options();
    let pipeline = default_pipeline(&PipelineOptions::default())?;

    let mut out: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(BufWriter::new(
            File::create(path).with_context(|| format!("cannot create {}", path.display()))?,
        )),
        None => Box::new(BufWriter::new(std::io::stdout().lock())),
    };
    let mut dead: Option<BufWriter<File>> = match &args.dead_letter {
        Some(path) => {
            Some(BufWriter::new(File::create(path).with_context(|| {
                format!("cannot create {}", path.display())
            })?))
        }
        None => None,
    };
    let json_options = JsonOptions {
        tokens: args.tokens,
    };
    let mut write_error: Option<std::io::Error> = None;
    let inputs = dyad_ingest::read_inputs(&args.inputs, &read_options);
    let run_options = RunOptions {
        strict: args.strict,
        ..RunOptions::default()
    };
    let summary = process_stream(&pipeline, inputs, run_options, |outcome| {
        if write_error.is_some() {
            return;
        }
        let result = match outcome {
            Outcome::Done(doc) => doc
                .write_json(&mut out, json_options)
                .map_err(std::io::Error::other)
                .and_then(|()| out.write_all(b"\n")),
            Outcome::Failed(letter) => {
                eprintln!("dyad: {letter}");
                match dead.as_mut() {
                    Some(d) => serde_json::to_writer(&mut *d, &letter)
                        .map_err(std::io::Error::other)
                        .and_then(|()| d.write_all(b"\n")),
                    None => Ok(()),
                }
            }
        };
        if let Err(e) = result {
            write_error = Some(e);
        }
    });
    if let Some(e) = write_error {
        // A closed pipe (`dyad code ... | head`) is not an error worth a message.
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            return Ok(ExitCode::SUCCESS);
        }
        return Err(e).context("writing output");
    }
    out.flush().context("writing output")?;
    if let Some(d) = dead.as_mut() {
        d.flush().context("writing the dead-letter file")?;
    }
    tracing::info!(
        documents = summary.documents,
        failed = summary.failed,
        events = summary.events,
        "done"
    );
    Ok(if summary.failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
