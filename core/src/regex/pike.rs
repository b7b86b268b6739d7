//! The Pike VM: simulates the NFA over the haystack in one pass, keeping at most one thread
//! per instruction, so the time is O(haystack × program) whatever the pattern. Threads are
//! kept in priority order and a match cuts the threads below it, which gives leftmost-first
//! (Perl) semantics and the capture positions Go and the `regex` crate report. The epsilon
//! closure walks an explicit stack, never recursion, so deep programs cannot overflow.

use super::compile::{look_holds, Inst, Program};

/// Decodes the unit at `at`: a byte, or in Unicode mode a UTF-8 character (an invalid
/// sequence is U+FFFD of width 1, as Go's matcher reads it).
pub(crate) fn unit_at(hay: &[u8], at: usize, unicode: bool) -> Option<(u32, usize)> {
    let b0 = *hay.get(at)?;
    if !unicode || b0 < 0x80 {
        return Some((u32::from(b0), 1));
    }
    let (len, init) = match b0 {
        0xC2..=0xDF => (2, u32::from(b0 & 0x1F)),
        0xE0..=0xEF => (3, u32::from(b0 & 0x0F)),
        0xF0..=0xF4 => (4, u32::from(b0 & 0x07)),
        _ => return Some((0xFFFD, 1)),
    };
    let mut c = init;
    for k in 1..len {
        match hay.get(at + k) {
            Some(&b) if b & 0xC0 == 0x80 => c = (c << 6) | u32::from(b & 0x3F),
            _ => return Some((0xFFFD, 1)),
        }
    }
    let min = [0, 0, 0x80, 0x800, 0x1_0000][len];
    if c < min || c > 0x10_FFFF || (0xD800..=0xDFFF).contains(&c) {
        return Some((0xFFFD, 1));
    }
    Some((c, len))
}

/// The unit that ends at `at` (`None` at the start).
pub(crate) fn unit_before(hay: &[u8], at: usize, unicode: bool) -> Option<u32> {
    if at == 0 {
        return None;
    }
    if !unicode {
        return hay.get(at - 1).map(|&b| u32::from(b));
    }
    for back in 1..=4.min(at) {
        if let Some((u, w)) = unit_at(hay, at - back, true) {
            if w == back {
                return Some(u);
            }
        }
    }
    Some(0xFFFD)
}

/// A sparse set of instructions, each with its capture slots.
struct Threads {
    dense: Vec<u32>,
    sparse: Vec<u32>,
    slots: Vec<Option<usize>>,
    width: usize,
}

impl Threads {
    fn new(n: usize, width: usize) -> Self {
        Threads { dense: Vec::with_capacity(n), sparse: vec![0; n], slots: vec![None; n * width], width }
    }

    fn insert(&mut self, pc: u32) -> bool {
        let i = self.sparse[pc as usize] as usize;
        if self.dense.get(i) == Some(&pc) {
            return false;
        }
        self.sparse[pc as usize] = u32::try_from(self.dense.len()).unwrap_or(0);
        self.dense.push(pc);
        true
    }

    fn slots(&self, pc: u32) -> &[Option<usize>] {
        let at = pc as usize * self.width;
        &self.slots[at..at + self.width]
    }
}

enum Frame {
    Explore(u32),
    Restore(usize, Option<usize>),
}

/// The VM's buffers for one search.
struct Vm<'p> {
    prog: &'p Program,
    stack: Vec<Frame>,
    scratch: Vec<Option<usize>>,
    steps: u64,
}

impl Vm<'_> {
    /// Adds `pc` and everything reachable from it without consuming, at `at`, between `prev`
    /// and `next`.
    fn add(&mut self, list: &mut Threads, pc: u32, at: usize, prev: Option<u32>, next: Option<u32>) {
        self.stack.push(Frame::Explore(pc));
        while let Some(f) = self.stack.pop() {
            let pc = match f {
                Frame::Restore(s, v) => {
                    self.scratch[s] = v;
                    continue;
                }
                Frame::Explore(pc) => pc,
            };
            self.steps += 1;
            if !list.insert(pc) {
                continue;
            }
            match &self.prog.insts[pc as usize] {
                Inst::Jmp(t) => self.stack.push(Frame::Explore(*t)),
                Inst::Split(a, b) => {
                    self.stack.push(Frame::Explore(*b));
                    self.stack.push(Frame::Explore(*a));
                }
                Inst::Save(s) => {
                    let s = *s as usize;
                    if s < self.scratch.len() {
                        self.stack.push(Frame::Restore(s, self.scratch[s]));
                        self.scratch[s] = Some(at);
                    }
                    self.stack.push(Frame::Explore(pc + 1));
                }
                Inst::Look(l) => {
                    if look_holds(*l, prev, next) {
                        self.stack.push(Frame::Explore(pc + 1));
                    }
                }
                Inst::Set(_) | Inst::Match | Inst::Fail => {
                    let w = list.width;
                    let base = pc as usize * w;
                    list.slots[base..base + w].copy_from_slice(&self.scratch);
                }
            }
        }
    }
}

/// Searches `hay` from `start`, filling `slots` (as many as given; none for a yes/no
/// answer, which stops at the first match) with the leftmost-first match. Returns whether
/// there is one, and the number of VM steps taken.
pub(crate) fn search(prog: &Program, hay: &[u8], start: usize, slots: &mut [Option<usize>]) -> (bool, u64) {
    let n = prog.insts.len();
    let width = slots.len();
    let mut clist = Threads::new(n, width);
    let mut nlist = Threads::new(n, width);
    let mut vm = Vm { prog, stack: Vec::new(), scratch: vec![None; width], steps: 0 };
    let mut matched = false;
    let mut at = start;
    let mut prev = unit_before(hay, start, prog.unicode);
    let mut cur = unit_at(hay, at, prog.unicode);
    loop {
        if !matched && (at == start || !prog.anchored) {
            vm.scratch.fill(None);
            vm.add(&mut clist, 0, at, prev, cur.map(|c| c.0));
        }
        if clist.dense.is_empty() {
            break;
        }
        let after = cur.and_then(|(_, w)| unit_at(hay, at + w, prog.unicode));
        for k in 0..clist.dense.len() {
            let pc = clist.dense[k];
            vm.steps += 1;
            match &prog.insts[pc as usize] {
                Inst::Match => {
                    slots.copy_from_slice(clist.slots(pc));
                    matched = true;
                    if width == 0 {
                        return (true, vm.steps);
                    }
                    // Lower-priority threads lose to this match.
                    break;
                }
                Inst::Set(ranges) => {
                    if let Some((u, w)) = cur {
                        if super::class::contains(ranges, u) {
                            vm.scratch.copy_from_slice(clist.slots(pc));
                            vm.add(&mut nlist, pc + 1, at + w, Some(u), after.map(|c| c.0));
                        }
                    }
                }
                _ => {}
            }
        }
        let Some((u, w)) = cur else { break };
        prev = Some(u);
        at += w;
        cur = after;
        std::mem::swap(&mut clist, &mut nlist);
        nlist.dense.clear();
    }
    (matched, vm.steps)
}
