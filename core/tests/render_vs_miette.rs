//! `core::render` draws reports in miette's graphical layout without miette; this holds the
//! two to the same bytes. Every diagnostic the fixtures and the oracle cases produce, and
//! generated ones (labels on one line, across lines, empty, overlapping, at the end of the file;
//! tabs, CRLF, wide characters; messages with long words, hyphens and line breaks), is drawn by
//! `Renderer` and by miette's `GraphicalReportHandler` with the options the CLI used to give it.

mod common;

use std::fmt;
use std::path::{Path, PathBuf};

use miette::{
    GraphicalReportHandler, GraphicalTheme, MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};
use routec_core::diag::{Diagnostic, Label};
use routec_core::render::{Renderer, PLAIN_WIDTH};
use routec_core::source::{LineIndex, Span};
use routec_core::{Options, Settings, Severity, SourceFile};

use common::rng::Rng;

const MAX_SNIPPET_LINE: usize = 1000;

/// The renderer as it was when miette drew: the long-line fallback, then miette.
fn miette_render(d: &Diagnostic, sources: &[SourceFile]) -> String {
    let handler = GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor())
        .with_width(PLAIN_WIDTH)
        .with_links(false)
        .with_word_separator(textwrap::WordSeparator::AsciiSpace)
        .with_word_splitter(textwrap::WordSplitter::NoHyphenation);
    let line_len = |l: &Label| {
        let src = sources.get(l.span.file as usize)?;
        let idx = LineIndex::new(&src.text);
        let line = idx.line_of(l.span.start as usize);
        let start = idx.line_start(line)?;
        Some(idx.line_start(line + 1).unwrap_or(src.text.len()) - start)
    };
    let labels = || d.primary.iter().chain(&d.related);
    let draw = |w: &WithSource<'_>| {
        let mut out = String::new();
        if handler.render_report(&mut out, w).is_err() {
            out = format!("{}: {}\n", w.d.code, w.d.message);
        }
        out
    };
    if labels().any(|l| line_len(l).is_some_and(|n| n > MAX_SNIPPET_LINE)) {
        let mut flat = d.clone();
        flat.primary = None;
        flat.related = Vec::new();
        for l in labels() {
            let Some(src) = sources.get(l.span.file as usize) else { continue };
            let (line, col) = LineIndex::new(&src.text).line_col(&src.text, l.span.start as usize);
            flat.message.push_str(&format!("\n  at {}:{line}:{col}: {}", src.name, l.text));
        }
        return draw(&WithSource { d: &flat, source: None });
    }
    let source =
        d.file().and_then(|f| sources.get(f as usize)).map(|src| Window { src, index: LineIndex::new(&src.text) });
    draw(&WithSource { d, source })
}

struct Window<'a> {
    src: &'a SourceFile,
    index: LineIndex,
}

impl SourceCode for Window<'_> {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let text = self.src.text.as_str();
        let (start, end) = (span.offset(), span.offset() + span.len());
        if end > text.len() {
            return Err(MietteError::OutOfBounds);
        }
        let first = self.index.line_of(start).saturating_sub(before);
        let last = self.index.line_of(end) + after + 1;
        let ws = self.index.line_start(first).unwrap_or(0);
        let we = self.index.line_start(last).unwrap_or(text.len());
        let window = text.get(ws..we).ok_or(MietteError::OutOfBounds)?;
        let inner = window.read_span(&SourceSpan::new((start - ws).into(), span.len()), before, after)?;
        let s = inner.span();
        Ok(Box::new(MietteSpanContents::new_named(
            self.src.name.clone(),
            inner.data(),
            SourceSpan::new((s.offset() + ws).into(), s.len()),
            inner.line() + first,
            inner.column(),
            inner.line_count(),
        )))
    }
}

struct WithSource<'a> {
    d: &'a Diagnostic,
    source: Option<Window<'a>>,
}

impl fmt::Debug for WithSource<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.d, f)
    }
}

impl fmt::Display for WithSource<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.d.message)
    }
}

impl std::error::Error for WithSource<'_> {}

impl miette::Diagnostic for WithSource<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        miette::Diagnostic::code(self.d)
    }
    fn severity(&self) -> Option<miette::Severity> {
        miette::Diagnostic::severity(self.d)
    }
    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        miette::Diagnostic::help(self.d)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        self.source.as_ref()?;
        miette::Diagnostic::labels(self.d)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }
}

fn compare(what: &str, d: &Diagnostic, sources: &[SourceFile], failures: &mut Vec<String>) {
    let ours = Renderer::new(sources, PLAIN_WIDTH, false).render(d);
    let theirs = routec_core::redact::Secrets::of(sources.iter().map(|s| s.text.as_str()))
        .scrub(&miette_render(d, sources))
        .into_owned();
    if ours != theirs && failures.len() < 5 {
        failures.push(format!("{what}: {d:?}\n--- ours\n{ours}--- miette\n{theirs}"));
    }
}

/// Case folders: any folder holding YAML or JSON inputs, under fixtures/ and the oracle.
fn case_dirs(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<PathBuf> =
        rd.flatten().filter(|e| e.file_type().is_ok_and(|t| t.is_dir())).map(|e| e.path()).collect();
    entries.sort();
    for e in entries {
        case_dirs(&e, out);
    }
    let has_input = std::fs::read_dir(dir).into_iter().flatten().flatten().any(|e| {
        let p = e.path();
        matches!(p.extension().and_then(|x| x.to_str()), Some("yaml" | "yml" | "json"))
    });
    if has_input {
        out.push(dir.to_path_buf());
    }
}

#[test]
#[expect(clippy::print_stderr, reason = "says how many reports were compared")]
fn fixture_reports_match_miette() {
    let mut dirs = Vec::new();
    case_dirs(&common::root().join("fixtures"), &mut dirs);
    case_dirs(&common::shared().join("oracle"), &mut dirs);
    let mut failures = Vec::new();
    let mut drawn = 0usize;
    for dir in &dirs {
        let mut sources = common::read_bytes_sources(dir);
        let inputs = sources.len();
        let mut settings = Settings::new();
        let mut diags = Vec::new();
        if let Ok(text) = std::fs::read_to_string(dir.join("router.env")) {
            let id = u32::try_from(sources.len()).unwrap_or(0);
            diags = settings.parse_env(id, &text);
            sources.push(SourceFile::new("router.env", text));
        }
        let opts = Options {
            default_certificate: Some(common::default_cert()),
            now: Some(1_798_761_600),
            ..Options::default()
        };
        let out = routec_core::compile(sources.get(..inputs).unwrap_or_default(), &settings, &opts);
        diags.extend(out.diagnostics);
        for d in &diags {
            compare(&dir.display().to_string(), d, &sources, &mut failures);
            drawn += 1;
        }
    }
    eprintln!("{drawn} reports from {} folders agree", dirs.len());
    assert!(drawn > 500, "only {drawn} diagnostics drawn from {} folders", dirs.len());
    assert!(failures.is_empty(), "{} of {drawn} reports differ:\n{}", failures.len(), failures.join("\n"));
}

const WORDS: &[&str] = &[
    "route",
    "demo/web",
    "kube-system",
    "a-very-long-hyphenated-name-that-goes-on-and-on",
    "x",
    "",
    "名前",
    "é",
    "https://example.com/a/b/c",
    "`code`",
    "--flag",
    "503",
    "ROUTER_SERVICE_NAME",
    "\t",
    "  ",
];

fn text(rng: &mut Rng, words: usize) -> String {
    let mut s = String::new();
    for i in 0..words {
        if i > 0 {
            s.push_str(rng.pick(&[" ", " ", " ", "  ", "\n", "-"]));
        }
        if rng.below(40) == 0 {
            s.push_str(&"w".repeat(rng.below(250)));
        } else {
            s.push_str(rng.pick(WORDS));
        }
    }
    s
}

fn source(rng: &mut Rng) -> String {
    let lines = 1 + rng.below(12);
    let mut s = String::new();
    for _ in 0..lines {
        let n = rng.below(8);
        for _ in 0..n {
            s.push_str(rng.pick(&["key: ", "value", "\t", "  ", "- ", "日本", "é", "x", "'quoted'", "#"]));
        }
        if rng.below(60) == 0 {
            s.push_str(&"y".repeat(995 + rng.below(10)));
        }
        s.push_str(rng.pick(&["\n", "\n", "\n", "\r\n", "\n\n"]));
    }
    if rng.below(3) == 0 {
        s.pop();
    }
    s
}

fn label(rng: &mut Rng, text: &str) -> Label {
    let bounds: Vec<usize> = (0..=text.len()).filter(|i| text.is_char_boundary(*i)).collect();
    let a = bounds[rng.below(bounds.len())];
    let b = if rng.below(3) == 0 { a } else { bounds[rng.below(bounds.len())] };
    let (a, mut b) = (a.min(b), a.max(b));
    if rng.below(40) == 0 {
        b = text.len() + 1 + rng.below(3);
    }
    let t = match rng.below(4) {
        0 => String::new(),
        1 => "again here".to_owned(),
        2 => "first\nsecond line".to_owned(),
        _ => rng.pick(WORDS).to_owned(),
    };
    Label { span: Span::new(0, a..b), text: t }
}

#[test]
fn generated_reports_match_miette() {
    let mut rng = Rng(0x005e_ed0f_7e57);
    let mut failures = Vec::new();
    let cases = 4000;
    for case in 0..cases {
        let src = source(&mut rng);
        let sev = [Severity::Error, Severity::Warning, Severity::Advice][rng.below(3)];
        let words = 1 + rng.below(40);
        let mut d = Diagnostic::new("routec::test::generated", sev, text(&mut rng, words));
        if rng.below(5) != 0 {
            d.primary = Some(label(&mut rng, &src));
            for _ in 0..rng.below(4) {
                d.related.push(label(&mut rng, &src));
            }
        }
        if rng.below(2) == 0 {
            let words = 1 + rng.below(40);
            d.help = Some(text(&mut rng, words));
        }
        let sources = [SourceFile::new("gen.yaml", src)];
        compare(&format!("case {case}"), &d, &sources, &mut failures);
    }
    assert!(failures.is_empty(), "reports differ:\n{}", failures.join("\n"));
}
