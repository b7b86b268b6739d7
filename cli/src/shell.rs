//! `routec completions SHELL` and `routec man`: shell completion scripts (clap_complete) and
//! roff man pages (clap_mangen), both generated from the same clap definition as the parser,
//! so they cannot drift from the flags.

use std::path::PathBuf;

use clap::CommandFactory;

/// `routec completions`.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  routec completions bash > ~/.local/share/bash-completion/completions/routec\n  routec completions zsh > \"${fpath[1]}/_routec\"\n  routec completions fish > ~/.config/fish/completions/routec.fish"
)]
pub(crate) struct CompletionsArgs {
    /// The shell: bash, zsh, fish, powershell or elvish.
    #[arg(value_enum, hide_possible_values = true)]
    shell: clap_complete::Shell,
}

/// `routec man`.
#[derive(clap::Args)]
#[command(after_help = "Examples:\n  routec man | man -l -\n  routec man --dir /usr/local/share/man/man1")]
pub(crate) struct ManArgs {
    /// Write routec.1 and one page per command (routec-compile.1, …) into this directory
    /// instead of printing routec.1.
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
}

/// Prints the completion script.
pub(crate) fn completions(args: &CompletionsArgs) -> Result<u8, String> {
    let mut cmd = crate::Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "routec", &mut out);
    crate::emit(&String::from_utf8_lossy(&out), "")?;
    Ok(0)
}

/// Prints routec.1, or writes every page into `--dir`.
pub(crate) fn man(args: &ManArgs) -> Result<u8, String> {
    let cmd = crate::Cli::command();
    let Some(dir) = &args.dir else {
        crate::emit(&String::from_utf8_lossy(&page(cmd)?), "")?;
        return Ok(0);
    };
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let mut pages = vec![("routec".to_owned(), cmd.clone())];
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        let name = format!("routec-{}", sub.get_name());
        // The page's title is the name a reader types: `routec-compile`.
        let titled = sub.clone().name(name.clone()).bin_name(name.replace('-', " "));
        pages.push((name, titled));
    }
    for (name, c) in pages {
        let p = dir.join(format!("{name}.1"));
        crate::outdir::write_atomic(&p, &page(c)?)?;
    }
    Ok(0)
}

/// The date on the pages: when this version was cut (bump with the version). A fixed string
/// keeps the pages reproducible, which a build-time clock would not.
const MAN_DATE: &str = "2026-12-01";

fn page(cmd: clap::Command) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    clap_mangen::Man::new(cmd)
        .date(MAN_DATE)
        .source(format!("routec {}", env!("CARGO_PKG_VERSION")))
        .manual("routec manual")
        .render(&mut out)
        .map_err(|e| format!("cannot render the man page: {e}"))?;
    Ok(out)
}
