//! The evaluated view of a lexed config, as HAProxy 2.6 reads it (spec §1.2): words cooked
//! against the live environment (`setenv` and friends in `global` change later lines), `.if`
//! blocks evaluated, empty words cutting argument lists short, and statements grouped into
//! sections. Sections are an overlay: a header inside a false branch simply never opens.

use super::cook::{cook_line, Env};
use super::lex::{lex_line, DqPart, Frag, LexError, Line, Range};

/// A statement: its cooked words and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// Cooked words (modifier `no`/`default` included as the first word).
    pub words: Vec<String>,
    /// 1-based line.
    pub line: usize,
    /// The line's byte range.
    pub span: Range,
}

/// A section and its statements.
#[derive(Debug, Clone)]
pub struct Section {
    /// `global`, `defaults`, `frontend`, …
    pub kind: String,
    /// The name ("" when it has none).
    pub name: String,
    /// The header.
    pub header: Statement,
    /// The statements in order.
    pub body: Vec<Statement>,
}

/// A problem found while evaluating.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvalError {
    /// Where.
    pub span: Range,
    /// Stable code suffix.
    pub code: &'static str,
    /// Message.
    pub message: String,
    /// True when HAProxy refuses the file.
    pub fatal: bool,
}

/// The sections HAProxy 2.6 knows, plus the later ones a config may hold.
pub const SECTION_KEYWORDS: &[&str] = &[
    "global",
    "defaults",
    "frontend",
    "backend",
    "listen",
    "userlist",
    "peers",
    "resolvers",
    "mailers",
    "cache",
    "namespace_list",
    "program",
    "fcgi-app",
    "http-errors",
    "ring",
    "log-forward",
    "crt-store",
    "log-profile",
    "traces",
    "acme",
    "healthcheck",
];

/// HAProxy's `MAXNESTEDCONDS`: the nesting level of `.if` blocks that is refused.
const MAX_NESTED_IFS: usize = 100;

/// The predicates HAProxy 2.6 knows and how many arguments each takes (`cfg_cond_kw_list`):
/// `name()` passes one empty argument, and every comma adds one. Later versions add `strstr`,
/// `enabled`, `fips_mode` and the `awslc_*` pair, which 2.6 refuses as unparsable.
const PREDICATES: &[(&str, usize)] = &[
    ("defined", 1),
    ("feature", 1),
    ("streq", 2),
    ("strneq", 2),
    ("version_atleast", 1),
    ("version_before", 1),
    ("openssl_version_atleast", 1),
    ("openssl_version_before", 1),
    ("ssllib_name_startswith", 1),
];

/// What the evaluation yields.
#[derive(Debug, Clone, Default)]
pub struct Evaluated {
    /// Sections in file order.
    pub sections: Vec<Section>,
    /// Problems.
    pub errors: Vec<EvalError>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Branch {
    /// This branch runs.
    Active,
    /// An earlier branch ran, or this one's condition was false (and a later one may run).
    Waiting,
    /// An earlier branch ran: nothing else in this block runs.
    Done,
}

/// What the evaluation reports, statement by statement.
#[derive(Debug)]
pub enum Event {
    /// A section header opened a section.
    Section {
        /// `global`, `backend`, …
        kind: String,
        /// Its name ("" when none).
        name: String,
        /// The header statement.
        header: Statement,
    },
    /// A statement in the current section.
    Statement(Statement),
}

/// What decides whether HAProxy's second reading of a line fails.
#[derive(Default)]
struct Reread {
    /// A lexical error that makes HAProxy skip the line before growing its buffer.
    blocked: bool,
    /// The first `${NAME-default}` of the line.
    default: Option<Range>,
}

impl Reread {
    fn of(line: &Line, errors: &[LexError]) -> Self {
        let blocking = [
            "routec::hap::unmatched-quote",
            "routec::hap::unmatched-brace",
            "routec::hap::bad-env-name",
            "routec::hap::bad-hex",
            "routec::hap::bad-expansion",
        ];
        let default = line
            .words
            .iter()
            .flat_map(|w| &w.frags)
            .filter_map(|f| match f {
                Frag::Dq { parts, .. } => Some(parts),
                _ => None,
            })
            .flatten()
            .find_map(|p| match p {
                DqPart::Env(r, e) if e.valid && e.default.is_some() => Some(r.clone()),
                _ => None,
            });
        Reread { blocked: errors.iter().any(|e| blocking.contains(&e.code)), default }
    }
}

/// The part of a line the evaluation needs once its words are cooked.
struct LineRef {
    span: Range,
}

/// The words of the LF-terminated line at `start` when it holds nothing that needs the full
/// lexer (quotes, backslashes, `#`, `$`, CR, NUL); with its span and the next line's start.
fn quick_line(src: &[u8], start: usize) -> Option<(Range, Vec<String>, usize)> {
    let rest = src.get(start..)?;
    let len = memchr::memchr(b'\n', rest)?;
    let raw = rest.get(..len)?;
    // One pass: refuse the line at the first byte that needs the lexer, and note the words.
    let mut runs: Vec<Range> = Vec::with_capacity(16);
    let mut i = 0;
    loop {
        let tail = raw.get(i..).unwrap_or_default();
        let Some(k) = tail.iter().position(|b| CLASS[usize::from(*b)] != BLANK) else { break };
        let s = i + k;
        let word = raw.get(s..).unwrap_or_default();
        let len = word.iter().position(|b| CLASS[usize::from(*b)] != WORD).unwrap_or(word.len());
        i = s + len;
        if word.get(len).is_some_and(|b| CLASS[usize::from(*b)] == SPECIAL) {
            return None;
        }
        runs.push(s..i);
    }
    if runs.len() > 64 {
        return None;
    }
    // One UTF-8 check for the line rather than one per word (blanks are ASCII, so the words
    // of valid text are valid too).
    let words = match std::str::from_utf8(raw) {
        Ok(text) => runs.into_iter().filter_map(|r| text.get(r)).map(str::to_owned).collect(),
        Err(_) => {
            runs.into_iter().map(|r| String::from_utf8_lossy(raw.get(r).unwrap_or_default()).into_owned()).collect()
        }
    };
    Some((start..start + len, words, start + len + 1))
}

const WORD: u8 = 0;
const BLANK: u8 = 1;
const SPECIAL: u8 = 2;

/// What each byte is to [`quick_line`]: part of a word, a blank, or a byte only the lexer reads
/// (quotes, escapes, comments, variables, CR, NUL).
static CLASS: [u8; 256] = {
    let mut t = [WORD; 256];
    t[b' ' as usize] = BLANK;
    t[b'\t' as usize] = BLANK;
    t[0x0b] = BLANK;
    t[0x0c] = BLANK;
    t[b'"' as usize] = SPECIAL;
    t[b'\'' as usize] = SPECIAL;
    t[b'\\' as usize] = SPECIAL;
    t[b'#' as usize] = SPECIAL;
    t[b'$' as usize] = SPECIAL;
    t[b'\r' as usize] = SPECIAL;
    t[0] = SPECIAL;
    t
};

/// Evaluates `src` with the starting environment `env`, collecting sections.
pub fn evaluate(src: &[u8], env: Env) -> (Evaluated, Vec<LexError>) {
    let mut sections: Vec<Section> = Vec::new();
    let (errors, lex_errors) = evaluate_with(src, env, &mut |e| match e {
        Event::Section { kind, name, header } => sections.push(Section { kind, name, header, body: Vec::new() }),
        Event::Statement(st) => {
            if let Some(s) = sections.last_mut() {
                s.body.push(st);
            }
        }
    });
    (Evaluated { sections, errors }, lex_errors)
}

/// Evaluates `src` line by line, lexing as it goes, and hands each section header and
/// statement to `sink`; the lexed lines are not kept. Returns the evaluation and lexical
/// problems.
pub fn evaluate_with(src: &[u8], mut env: Env, sink: &mut dyn FnMut(Event)) -> (Vec<EvalError>, Vec<LexError>) {
    let mut out = Evaluated::default();
    let mut lex_errors = Vec::new();
    let mut current: Option<(String, String)> = None;
    let mut stack: Vec<(Branch, bool, Range)> = Vec::new(); // (state, seen_else, opener)
    let err = |out: &mut Evaluated, span: Range, code: &'static str, message: String, fatal: bool| {
        out.errors.push(EvalError { span, code, message, fatal });
    };
    let mut start = 0;
    let mut line_no = 0;
    let mut out_cap = 0;
    while start < src.len() {
        // Most lines of a generated config hold no quote, escape, comment or CR: their words
        // are the blank-separated runs, and no syntax tree is needed to read them.
        let quick = quick_line(src, start);
        let (span, words, reread) = match quick {
            Some((span, words, next)) => {
                start = next;
                (span, words, Reread::default())
            }
            None => {
                let before = lex_errors.len();
                let (line, next) = lex_line(src, start, &mut lex_errors);
                start = next;
                let words = cook_line(src, &line.words, &env);
                let reread = Reread::of(&line, lex_errors.get(before..).unwrap_or_default());
                (line.span, words, reread)
            }
        };
        let line = LineRef { span };
        line_no += 1;
        env.line = line_no;
        if let Some((kind, name)) = &current {
            env.section.clone_from(if name.is_empty() { kind } else { name });
        }
        let trimmed = src.get(line.span.clone()).unwrap_or_default();
        let first = trimmed.iter().position(|b| !matches!(b, b' ' | b'\t' | 0x0b | 0x0c));
        if first.is_some_and(|k| trimmed.get(k) == Some(&b'[')) {
            continue; // a scope line; meaningful only in SPOE files
        }
        // HAProxy cooks a line into a buffer that grows by 1 KiB steps, reading the line again
        // when it outgrows it. The first reading cuts every `${NAME-default}` at its `}`, so
        // the second one finds an unmatched brace: HAProxy 2.6 refuses a default on the first
        // line of a file, or on any line longer than all before it in whole KiB.
        if !reread.blocked {
            let needed = words.iter().map(|w| w.len() + 1).sum::<usize>().max(1);
            if needed > out_cap {
                out_cap = (needed + 1023) & !1023;
                if let Some(r) = reread.default {
                    lex_errors.push(LexError {
                        span: r,
                        code: "routec::hap::unmatched-brace",
                        message: "unmatched brace: HAProxy reads this line twice (it outgrows the buffer of the lines before it) and its first reading cut `${NAME-default}` at the `}`".into(),
                    });
                }
            }
        }
        let Some(w0) = words.first() else { continue };
        if w0.is_empty() {
            continue;
        }
        let live = stack.iter().all(|(b, _, _)| *b == Branch::Active);
        if w0.starts_with('.') {
            match w0.as_str() {
                ".if" => {
                    let state = if !live {
                        Branch::Done
                    } else if condition(&words[1..], &env, &mut |m| {
                        err(&mut out, line.span.clone(), "routec::hap::bad-condition", m, true)
                    }) {
                        Branch::Active
                    } else {
                        Branch::Waiting
                    };
                    stack.push((state, false, line.span.clone()));
                    // HAProxy counts levels from 1 and refuses the one that reaches its
                    // limit of 100, so 99 nested blocks is the most it reads.
                    if stack.len() >= MAX_NESTED_IFS {
                        err(
                            &mut out,
                            line.span.clone(),
                            "routec::hap::too-deep",
                            format!("too many nested `.if` blocks: HAProxy allows {}", MAX_NESTED_IFS - 1),
                            true,
                        );
                    }
                }
                ".elif" => match stack.last().map(|(b, seen, _)| (*b, *seen)) {
                    None => {
                        err(&mut out, line.span.clone(), "routec::hap::lone-elif", "`.elif` without `.if`".into(), true)
                    }
                    Some((_, true)) => err(
                        &mut out,
                        line.span.clone(),
                        "routec::hap::elif-after-else",
                        "`.elif` after `.else`".into(),
                        true,
                    ),
                    Some((state, false)) => {
                        // Evaluated only while no branch of this block has run yet.
                        let next = match state {
                            Branch::Active | Branch::Done => Branch::Done,
                            Branch::Waiting => {
                                let ok = condition(&words[1..], &env, &mut |m| {
                                    err(&mut out, line.span.clone(), "routec::hap::bad-condition", m, true);
                                });
                                if ok {
                                    Branch::Active
                                } else {
                                    Branch::Waiting
                                }
                            }
                        };
                        if let Some(top) = stack.last_mut() {
                            top.0 = next;
                        }
                    }
                },
                // HAProxy looks only at the first argument: an empty one counts as none.
                ".else" | ".endif" if words.get(1).is_some_and(|w| !w.is_empty()) => {
                    err(
                        &mut out,
                        line.span.clone(),
                        "routec::hap::unexpected-argument",
                        format!("`{w0}` takes no argument"),
                        true,
                    );
                }
                ".else" => match stack.last_mut() {
                    None => {
                        err(&mut out, line.span.clone(), "routec::hap::lone-else", "`.else` without `.if`".into(), true)
                    }
                    // Fatal even inside a dead block: HAProxy checks the order before liveness.
                    Some((_, true, _)) => err(
                        &mut out,
                        line.span.clone(),
                        "routec::hap::else-after-else",
                        "`.else` after `.else`".into(),
                        true,
                    ),
                    Some((state, seen, _)) => {
                        *seen = true;
                        *state = if *state == Branch::Waiting { Branch::Active } else { Branch::Done };
                    }
                },
                ".endif" => {
                    let closed = stack.pop();
                    if closed.is_none() {
                        err(
                            &mut out,
                            line.span.clone(),
                            "routec::hap::lone-endif",
                            "`.endif` without `.if`".into(),
                            true,
                        );
                    }
                }
                // The message is optional; HAProxy refuses only a non-empty second argument.
                ".diag" | ".notice" | ".warning" | ".alert" if live => {
                    if let Some(extra) = words.get(2).filter(|w| !w.is_empty()) {
                        err(
                            &mut out,
                            line.span.clone(),
                            "routec::hap::message-arguments",
                            format!("unexpected argument `{extra}` for `{w0}`: it takes at most one; use quotes"),
                            true,
                        );
                    } else if w0 == ".alert" {
                        let text = words.get(1).map_or("", String::as_str);
                        err(&mut out, line.span.clone(), "routec::hap::alert", format!(".alert: '{text}'"), true);
                    }
                }
                _ if live => err(
                    &mut out,
                    line.span.clone(),
                    "routec::hap::unknown-directive",
                    format!("unknown directive `{w0}`"),
                    true,
                ),
                _ => {}
            }
            continue;
        }
        if !live {
            continue;
        }
        // HAProxy 2.6 stops reading arguments at the first empty word.
        let mut words = words;
        if let Some(k) = words.iter().position(String::is_empty) {
            words.truncate(k);
        }
        let stmt = Statement { words, line: line_no, span: line.span.clone() };
        let kw = stmt.words.first().map_or("", String::as_str);
        if SECTION_KEYWORDS.contains(&kw) {
            let name = match kw {
                "global" | "namespace_list" | "traces" => String::new(),
                "defaults" => stmt.words.get(1).filter(|w| *w != "from").cloned().unwrap_or_default(),
                _ => stmt.words.get(1).cloned().unwrap_or_default(),
            };
            if name.is_empty() && !matches!(kw, "global" | "defaults" | "namespace_list" | "traces" | "crt-store") {
                err(&mut out, line.span.clone(), "routec::hap::missing-name", format!("`{kw}` needs a name"), true);
            }
            current = Some((kw.to_owned(), name.clone()));
            sink(Event::Section { kind: kw.to_owned(), name, header: stmt });
            continue;
        }
        let Some((kind, _)) = &current else {
            err(
                &mut out,
                line.span.clone(),
                "routec::hap::out-of-section",
                format!("unknown keyword `{kw}` out of section"),
                true,
            );
            continue;
        };
        if kind == "global" {
            apply_env(&stmt.words, &mut env);
        }
        sink(Event::Statement(stmt));
    }
    for (_, _, opener) in stack {
        err(&mut out, opener, "routec::hap::unterminated-if", "non-terminated `.if` block".into(), true);
    }
    (out.errors, lex_errors)
}

fn apply_env(words: &[String], env: &mut Env) {
    match (words.first().map(String::as_str), words.get(1), words.get(2)) {
        (Some("setenv"), Some(k), Some(v)) => {
            env.vars.insert(k.clone(), v.clone());
        }
        (Some("presetenv"), Some(k), Some(v)) => {
            env.vars.get_or_insert_with(k.clone(), || v.clone());
        }
        (Some("unsetenv"), _, _) => {
            for k in words.iter().skip(1) {
                env.vars.remove(k);
            }
        }
        (Some("resetenv"), _, _) => {
            let keep: Vec<&String> = words.iter().skip(1).collect();
            env.vars.retain(|k, _| keep.contains(&k));
        }
        _ => {}
    }
}

/// Evaluates a `.if` expression (words joined with single spaces, as HAProxy does).
fn condition(words: &[String], env: &Env, report: &mut dyn FnMut(String)) -> bool {
    let text = words.join(" ");
    let mut p = CondParser { s: text.as_bytes(), i: 0, env, error: None };
    if text.trim().is_empty() {
        return false;
    }
    let v = p.or();
    p.ws();
    if p.error.is_none() && p.i < p.s.len() {
        p.error = Some(format!("unexpected `{}` at the end of the condition", String::from_utf8_lossy(&p.s[p.i..])));
    }
    match p.error {
        Some(e) => {
            report(format!("unparsable conditional expression: {e}"));
            false
        }
        None => v,
    }
}

struct CondParser<'a> {
    s: &'a [u8],
    i: usize,
    env: &'a Env,
    error: Option<String>,
}

impl CondParser<'_> {
    fn ws(&mut self) {
        while self.s.get(self.i).is_some_and(|b| *b == b' ' || *b == b'\t') {
            self.i += 1;
        }
    }

    fn eat(&mut self, t: &[u8]) -> bool {
        self.ws();
        if self.s.get(self.i..self.i + t.len()) == Some(t) {
            self.i += t.len();
            true
        } else {
            false
        }
    }

    fn or(&mut self) -> bool {
        let mut v = self.and();
        while self.eat(b"||") {
            let r = self.and();
            v = v || r;
        }
        v
    }

    fn and(&mut self) -> bool {
        let mut v = self.term();
        while self.eat(b"&&") {
            let r = self.term();
            v = v && r;
        }
        v
    }

    fn term(&mut self) -> bool {
        if self.eat(b"!") {
            return !self.term();
        }
        if self.eat(b"(") {
            let v = self.or();
            if !self.eat(b")") {
                self.error.get_or_insert_with(|| "missing `)`".into());
            }
            return v;
        }
        self.ws();
        let start = self.i;
        if self.s.get(self.i).is_some_and(|b| b.is_ascii_digit() || *b == b'-' || *b == b'+') {
            self.i += 1;
            while self.s.get(self.i).is_some_and(u8::is_ascii_alphanumeric) {
                self.i += 1;
            }
            let t = String::from_utf8_lossy(&self.s[start..self.i]).into_owned();
            return match strtol(&t) {
                Some(n) => n != 0,
                None => {
                    self.error.get_or_insert_with(|| format!("`{t}` is not a number"));
                    false
                }
            };
        }
        while self.s.get(self.i).is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_') {
            self.i += 1;
        }
        let name = String::from_utf8_lossy(&self.s[start..self.i]).into_owned();
        if name.is_empty() || self.s.get(self.i) != Some(&b'(') {
            self.error.get_or_insert_with(|| format!("unexpected `{}`", String::from_utf8_lossy(&self.s[start..])));
            self.i = self.s.len();
            return false;
        }
        self.i += 1;
        let close = self.s[self.i..].iter().position(|b| *b == b')').map(|k| self.i + k);
        let Some(close) = close else {
            self.error.get_or_insert_with(|| "missing `)`".into());
            self.i = self.s.len();
            return false;
        };
        // Arguments are taken as they are, blanks included (`streq(a ,a)` is false).
        let args: Vec<String> = String::from_utf8_lossy(&self.s[self.i..close]).split(',').map(str::to_owned).collect();
        self.i = close + 1;
        let Some(&(_, arity)) = PREDICATES.iter().find(|(n, _)| *n == name) else {
            self.error.get_or_insert_with(|| format!("unknown predicate `{name}`"));
            return false;
        };
        if args.len() != arity {
            let got = args.len();
            self.error.get_or_insert_with(|| {
                format!("predicate `{name}` takes {arity} argument{}, got {got}", if arity == 1 { "" } else { "s" })
            });
            return false;
        }
        let arg = |k: usize| args.get(k).map_or("", String::as_str);
        match name.as_str() {
            "defined" => self.env.vars.contains_key(arg(0)),
            "streq" => arg(0) == arg(1),
            "strneq" => arg(0) != arg(1),
            "version_atleast" => version_cmp(arg(0)) != std::cmp::Ordering::Greater,
            "version_before" => version_cmp(arg(0)) == std::cmp::Ordering::Greater,
            _ => false,
        }
    }
}

/// Compares `v` with HAProxy 2.6: Greater when `v` is newer.
fn version_cmp(v: &str) -> std::cmp::Ordering {
    let parts: Vec<u64> = v.split(['.', '-']).map_while(|p| p.parse().ok()).collect();
    parts.cmp(&vec![2, 6, 12])
}

/// C `strtol` with base 0, whole string.
fn strtol(t: &str) -> Option<i64> {
    let (neg, d) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let n = if let Some(h) = d.strip_prefix("0x").or_else(|| d.strip_prefix("0X")) {
        i64::from_str_radix(h, 16).ok()?
    } else if d.len() > 1 && d.starts_with('0') {
        i64::from_str_radix(&d[1..], 8).ok()?
    } else {
        d.parse().ok()?
    };
    Some(if neg { -n } else { n })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval(text: &str) -> Evaluated {
        let mut env = Env::default();
        env.vars.insert("HOME".into(), "/root".into());
        evaluate(text.as_bytes(), env).0
    }

    #[test]
    fn conditions_and_sections() {
        let e = eval(
            "global\n  setenv X 1\n.if defined(X)\n  maxconn \"$X\"\n.else\n  maxconn 2\n.endif\n.if 0\nbackend gone\n.endif\n  nbthread 4\n.if 0x10 && !0\n  log stdout local0\n.elif garbage(\n.endif\nbackend b\n  acl a path_sub x '' y\n",
        );
        assert!(e.errors.is_empty(), "{:?}", e.errors);
        let g = &e.sections[0];
        let words: Vec<String> = g.body.iter().map(|s| s.words.join(" ")).collect();
        assert_eq!(words, vec!["setenv X 1", "maxconn 1", "nbthread 4", "log stdout local0"]);
        assert_eq!(e.sections[1].body[0].words, vec!["acl", "a", "path_sub", "x"]);
        let bad = eval(".if yes\n.endif\n.else foo\nfoo\n.if 1\n");
        let codes: Vec<&str> = bad.errors.iter().map(|e| e.code).collect();
        assert_eq!(
            codes,
            vec![
                "routec::hap::bad-condition",
                "routec::hap::unexpected-argument",
                "routec::hap::out-of-section",
                "routec::hap::unterminated-if"
            ]
        );
    }
}
