//! A DFA built lazily by subset construction from the NFA program, over equivalence classes
//! of units (units no instruction or assertion tells apart share a class; a byte table
//! serves ASCII and PCRE's bytes, a binary search the rest). It answers "is there a match"
//! (`Regex::is_match`) and is the automaton of `explain::analysis`'s inclusion checks.
//!
//! A state is a set of instructions still to be closed over, plus what the assertions need
//! to know about the unit before (the start of the text, a `\n`, a word character). The
//! closure is taken when the next unit (or the end) is known, so every assertion, in any
//! position, is exact. A match found there marks the state reached, one unit late, as
//! regex-automata's DFAs do. Unanchored searches keep the program's start in every state.
//! States and their memory are bounded (`limit` bytes); past it, `next` returns `None`.

use crate::hash::FastMap;

use super::class;
use super::compile::{look_bit, look_holds, Inst, Program};
use super::parse::Look;

/// A state's number.
pub type StateId = u32;

/// The dead state: no match is possible any more.
pub const DEAD: StateId = 0;
const UNKNOWN: StateId = u32::MAX;

const MATCHED: u8 = 1;
const AT_START: u8 = 2;
const AFTER_NL: u8 = 4;
const AFTER_WORD: u8 = 8;

#[derive(Clone, PartialEq, Eq, Hash)]
struct Key {
    kernel: Box<[u32]>,
    flags: u8,
}

/// A lazily built DFA for one program.
pub struct Dfa {
    bounds: Vec<u32>,
    table: [u16; 256],
    stride: usize,
    keep: u8,
    states: Vec<Key>,
    trans: Vec<StateId>,
    index: FastMap<Key, StateId>,
    start: StateId,
    memory: usize,
    limit: usize,
    seen: Vec<u32>,
    generation: u32,
    stack: Vec<u32>,
}

impl Dfa {
    pub(crate) fn new(prog: &Program, limit: usize) -> Dfa {
        let mut bounds = vec![u32::from(b'\n'), u32::from(b'\n') + 1];
        for inst in &prog.insts {
            if let Inst::Set(r) = inst {
                for &(lo, hi) in r.iter() {
                    bounds.push(lo);
                    bounds.push(hi.saturating_add(1));
                }
            }
        }
        let word = prog.looks & look_bit(Look::Word) != 0;
        if word {
            bounds.extend([0x30, 0x3A, 0x41, 0x5B, 0x5F, 0x60, 0x61, 0x7B]);
        }
        bounds.retain(|&b| b > 0);
        crate::sort::sort_unstable(&mut bounds);
        bounds.dedup();
        let mut table = [0u16; 256];
        for (b, slot) in table.iter_mut().enumerate() {
            let c = bounds.partition_point(|&x| x <= b as u32);
            *slot = u16::try_from(c).unwrap_or(u16::MAX);
        }
        let mut keep = 0;
        if prog.looks & (look_bit(Look::StartText) | look_bit(Look::StartLine)) != 0 {
            keep |= AT_START;
        }
        if prog.looks & look_bit(Look::StartLine) != 0 {
            keep |= AFTER_NL;
        }
        if word {
            keep |= AFTER_WORD;
        }
        let stride = bounds.len() + 2;
        let mut d = Dfa {
            bounds,
            table,
            stride,
            keep,
            states: Vec::new(),
            trans: Vec::new(),
            index: FastMap::default(),
            start: DEAD,
            memory: 0,
            limit,
            seen: vec![0; prog.insts.len()],
            generation: 0,
            stack: Vec::new(),
        };
        d.intern(Key { kernel: Box::new([]), flags: 0 });
        d.start = d.intern(Key { kernel: Box::new([0]), flags: AT_START & keep });
        d
    }

    /// Whether the DFA is over its memory limit (then `next` fails).
    fn over(&self) -> bool {
        self.memory > self.limit
    }

    pub(crate) fn start(&self) -> StateId {
        self.start
    }

    /// The number of unit classes; class `classes()` is the end of the text.
    pub(crate) fn classes(&self) -> usize {
        self.stride - 1
    }

    pub(crate) fn class_of(&self, u: u32) -> usize {
        match usize::try_from(u).ok().and_then(|i| self.table.get(i)) {
            Some(&c) => usize::from(c),
            None => self.bounds.partition_point(|&x| x <= u),
        }
    }

    pub(crate) fn eoi(&self) -> usize {
        self.classes()
    }

    /// Whether a match ended just before the last unit consumed (or at the end, after `eoi`).
    pub(crate) fn is_match(&self, s: StateId) -> bool {
        self.states.get(s as usize).is_some_and(|k| k.flags & MATCHED != 0)
    }

    /// The state after `class` from `s`; `None` when the DFA outgrew its limit.
    pub(crate) fn next(&mut self, prog: &Program, s: StateId, class: usize) -> Option<StateId> {
        let at = (s as usize) * self.stride + class;
        let t = *self.trans.get(at)?;
        if t != UNKNOWN {
            return Some(t);
        }
        let key = self.step(prog, s, class);
        let id = match self.index.get(&key) {
            Some(&id) => id,
            None => {
                if self.over() {
                    return None;
                }
                self.intern(key)
            }
        };
        self.trans[at] = id;
        Some(id)
    }

    fn intern(&mut self, key: Key) -> StateId {
        let id = u32::try_from(self.states.len()).unwrap_or(UNKNOWN);
        self.memory += self.stride * 4 + key.kernel.len() * 8 + 64;
        self.trans.extend(std::iter::repeat_n(UNKNOWN, self.stride));
        self.index.insert(key.clone(), id);
        self.states.push(key);
        id
    }

    /// The representative unit of a class (`None`: the end of the text).
    fn unit_of(&self, class: usize) -> Option<u32> {
        match class {
            0 => Some(0),
            c if c >= self.eoi() => None,
            c => self.bounds.get(c - 1).copied(),
        }
    }

    fn step(&mut self, prog: &Program, s: StateId, class: usize) -> Key {
        let from = &self.states[s as usize];
        let flags = from.flags;
        let prev = if flags & AT_START != 0 {
            None
        } else if flags & AFTER_NL != 0 {
            Some(u32::from(b'\n'))
        } else if flags & AFTER_WORD != 0 {
            Some(u32::from(b'a'))
        } else {
            Some(u32::from(b' '))
        };
        let next = self.unit_of(class);
        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 {
            self.seen.fill(0);
            self.generation = 1;
        }
        let generation = self.generation;
        self.stack.clear();
        self.stack.extend(from.kernel.iter().rev());
        let mut matched = false;
        let mut kernel: Vec<u32> = Vec::new();
        while let Some(pc) = self.stack.pop() {
            let Some(mark) = self.seen.get_mut(pc as usize) else { continue };
            if *mark == generation {
                continue;
            }
            *mark = generation;
            match &prog.insts[pc as usize] {
                Inst::Match => matched = true,
                Inst::Set(r) => {
                    if next.is_some_and(|u| class::contains(r, u)) {
                        kernel.push(pc + 1);
                    }
                }
                Inst::Split(a, b) => {
                    self.stack.push(*b);
                    self.stack.push(*a);
                }
                Inst::Jmp(t) => self.stack.push(*t),
                Inst::Save(_) => self.stack.push(pc + 1),
                Inst::Look(l) => {
                    if look_holds(*l, prev, next) {
                        self.stack.push(pc + 1);
                    }
                }
                Inst::Fail => {}
            }
        }
        if kernel.is_empty() && !matched && (next.is_none() || prog.anchored) {
            return Key { kernel: Box::new([]), flags: 0 };
        }
        let mut flags = if matched { MATCHED } else { 0 };
        if let Some(u) = next {
            if !prog.anchored {
                kernel.push(0);
            }
            if u == u32::from(b'\n') {
                flags |= AFTER_NL;
            }
            if class::is_word(u) {
                flags |= AFTER_WORD;
            }
        }
        crate::sort::sort_unstable(&mut kernel);
        kernel.dedup();
        Key { kernel: kernel.into_boxed_slice(), flags: flags & (self.keep | MATCHED) }
    }
}

/// Whether `prog` matches somewhere in `hay`, on `dfa`; `None` when the DFA outgrew its limit.
pub(crate) fn is_match(dfa: &mut Dfa, prog: &Program, hay: &[u8]) -> Option<bool> {
    let mut s = dfa.start();
    let mut at = 0;
    while let Some((u, w)) = super::pike::unit_at(hay, at, prog.unicode) {
        s = dfa.next(prog, s, dfa.class_of(u))?;
        if dfa.is_match(s) {
            return Some(true);
        }
        if s == DEAD {
            return Some(false);
        }
        at += w;
    }
    let s = dfa.next(prog, s, dfa.eoi())?;
    Some(dfa.is_match(s))
}
