//! The syntax tree to a Thompson NFA program for the Pike VM and the DFA. Instructions that
//! consume or assert continue at the next instruction; `Split` prefers its first target,
//! which is how leftmost-first (Perl) priority is encoded. Counted repetitions are expanded
//! into copies, so the program size is bounded (`MAX_INSTS`), and so is the work spent
//! expanding (`MAX_WORK`, for repetitions of empty sub-patterns that emit nothing).

use super::class;
use super::parse::{Hir, Look, Parsed};
use super::{Code, Error};

/// Programs larger than this are `Code::Large`.
pub(crate) const MAX_INSTS: usize = 30_000;
/// Tree nodes visited while expanding, at most.
const MAX_WORK: usize = 300_000;
/// Instructions times capture slots, at most: what the Pike VM allocates for captures.
const MAX_SLOT_CELLS: usize = 1 << 21;

/// One instruction.
#[derive(Clone, Debug)]
pub(crate) enum Inst {
    Match,
    /// Consumes a unit in the ranges.
    Set(Box<[(u32, u32)]>),
    Split(u32, u32),
    Jmp(u32),
    /// Records the position in a capture slot.
    Save(u32),
    Look(Look),
    Fail,
}

/// A compiled program.
#[derive(Clone, Debug)]
pub(crate) struct Program {
    pub(crate) insts: Vec<Inst>,
    /// Capture slots: two per group, group 0 (the match) included.
    pub(crate) slots: usize,
    /// Every match starts at the start of the text (the pattern starts with `\A` or `^`).
    pub(crate) anchored: bool,
    /// Units are characters decoded from UTF-8 (Go), else bytes (PCRE).
    pub(crate) unicode: bool,
    /// Which assertions occur, as a bit set of `look_bit`.
    pub(crate) looks: u8,
}

pub(crate) fn look_bit(l: Look) -> u8 {
    match l {
        Look::StartText => 1,
        Look::EndText => 2,
        Look::StartLine => 4,
        Look::EndLine => 8,
        Look::Word | Look::NotWord => 16,
    }
}

pub(crate) fn compile(parsed: &Parsed, unicode: bool, pattern: &str) -> Result<Program, Error> {
    let mut c = Compiler { insts: Vec::new(), work: 0, looks: 0, pattern };
    c.push(Inst::Save(0))?;
    c.node(&parsed.hir, 0)?;
    c.push(Inst::Save(1))?;
    c.push(Inst::Match)?;
    let slots = 2 * (parsed.groups as usize + 1);
    if c.insts.len().saturating_mul(slots) > MAX_SLOT_CELLS {
        return Err(Error::new(Code::Large, pattern));
    }
    Ok(Program { insts: c.insts, slots, anchored: anchored(&parsed.hir), unicode, looks: c.looks })
}

/// Whether every match of `h` must start at the start of the text.
fn anchored(h: &Hir) -> bool {
    match h {
        Hir::Look(Look::StartText) => true,
        Hir::Concat(v) => v.first().is_some_and(anchored),
        Hir::Alt(v) => v.iter().all(anchored),
        Hir::Capture(_, x) => anchored(x),
        Hir::Repeat(r) => r.min > 0 && anchored(&r.sub),
        _ => false,
    }
}

struct Compiler<'p> {
    insts: Vec<Inst>,
    work: usize,
    looks: u8,
    pattern: &'p str,
}

impl Compiler<'_> {
    fn pc(&self) -> u32 {
        u32::try_from(self.insts.len()).unwrap_or(u32::MAX)
    }

    fn push(&mut self, i: Inst) -> Result<u32, Error> {
        if self.insts.len() >= MAX_INSTS {
            return Err(Error::new(Code::Large, self.pattern));
        }
        let pc = self.pc();
        self.insts.push(i);
        Ok(pc)
    }

    fn patch(&mut self, at: u32, to: Inst) {
        if let Some(slot) = self.insts.get_mut(at as usize) {
            *slot = to;
        }
    }

    fn node(&mut self, h: &Hir, depth: u32) -> Result<(), Error> {
        self.work += 1;
        if self.work > MAX_WORK {
            return Err(Error::new(Code::Large, self.pattern));
        }
        if depth > 2 * super::parse::MAX_DEPTH + 8 {
            return Err(Error::new(Code::NestingDepth, self.pattern));
        }
        match h {
            Hir::Empty => {}
            Hir::Set(s) if s.is_empty() => {
                self.push(Inst::Fail)?;
            }
            Hir::Set(s) => {
                self.push(Inst::Set(s.ranges().into()))?;
            }
            Hir::Look(l) => {
                self.looks |= look_bit(*l);
                self.push(Inst::Look(*l))?;
            }
            Hir::Concat(v) => {
                for x in v {
                    self.node(x, depth + 1)?;
                }
            }
            Hir::Alt(v) => {
                let mut jumps = Vec::with_capacity(v.len());
                for (k, x) in v.iter().enumerate() {
                    if k + 1 == v.len() {
                        self.node(x, depth + 1)?;
                    } else {
                        let split = self.push(Inst::Fail)?;
                        self.node(x, depth + 1)?;
                        jumps.push(self.push(Inst::Fail)?);
                        let next = self.pc();
                        self.patch(split, Inst::Split(split + 1, next));
                    }
                }
                let end = self.pc();
                for j in jumps {
                    self.patch(j, Inst::Jmp(end));
                }
            }
            Hir::Capture(i, x) => {
                self.push(Inst::Save(2 * i))?;
                self.node(x, depth + 1)?;
                self.push(Inst::Save(2 * i + 1))?;
            }
            Hir::Repeat(r) => {
                let split = |a: u32, b: u32| if r.greedy { Inst::Split(a, b) } else { Inst::Split(b, a) };
                let plus = r.max.is_none() && r.min > 0;
                let copies = if plus { r.min - 1 } else { r.min };
                for _ in 0..copies {
                    self.node(&r.sub, depth + 1)?;
                }
                match r.max {
                    None if plus => {
                        let top = self.pc();
                        self.node(&r.sub, depth + 1)?;
                        let next = self.pc() + 1;
                        self.push(split(top, next))?;
                    }
                    None => {
                        // `x*` as `(x+)?`: after an empty iteration the loop's own split
                        // is still unvisited, so leaving the loop keeps its priority (Go's
                        // golang.org/issue/46123; the `regex` crate does the same).
                        let skip = self.push(Inst::Fail)?;
                        let top = self.pc();
                        self.node(&r.sub, depth + 1)?;
                        let end = self.pc() + 1;
                        self.push(split(top, end))?;
                        self.patch(skip, split(top, end));
                    }
                    Some(max) => {
                        // Optional copies, each skipping to the end.
                        let mut splits = Vec::new();
                        for _ in r.min..max {
                            splits.push(self.push(Inst::Fail)?);
                            self.node(&r.sub, depth + 1)?;
                        }
                        let end = self.pc();
                        for s in splits {
                            self.patch(s, split(s + 1, end));
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

/// Whether look-around `l` holds between units `prev` and `next` (`None`: the text's edge).
pub(crate) fn look_holds(l: Look, prev: Option<u32>, next: Option<u32>) -> bool {
    let nl = u32::from(b'\n');
    match l {
        Look::StartText => prev.is_none(),
        Look::EndText => next.is_none(),
        Look::StartLine => prev.is_none_or(|p| p == nl),
        Look::EndLine => next.is_none_or(|n| n == nl),
        Look::Word => prev.is_some_and(class::is_word) != next.is_some_and(class::is_word),
        Look::NotWord => prev.is_some_and(class::is_word) == next.is_some_and(class::is_word),
    }
}
