//! A line diff (Myers' O(ND) algorithm after trimming the common head and tail), for showing an
//! output file's changes against the previous compile inline. Inputs can be tens of thousands of
//! lines (the 1k-route bench), so beyond a budget of edits the diff gives up and says so.

export type DiffOp = { kind: "same" | "add" | "del"; line: string };

export interface LineDiff {
  ops: DiffOp[];
  /** True when the edit budget ran out; ops then holds a coarse delete-all/add-all. */
  coarse: boolean;
}

export function diffLines(a: string[], b: string[], maxEdits = 4000): LineDiff {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const am = a.slice(head, a.length - tail);
  const bm = b.slice(head, b.length - tail);
  const mid = myers(am, bm, maxEdits);
  const ops: DiffOp[] = [];
  for (let i = 0; i < head; i++) ops.push({ kind: "same", line: a[i] });
  let coarse = false;
  if (mid) ops.push(...mid);
  else {
    coarse = true;
    for (const l of am) ops.push({ kind: "del", line: l });
    for (const l of bm) ops.push({ kind: "add", line: l });
  }
  for (let i = a.length - tail; i < a.length; i++) ops.push({ kind: "same", line: a[i] });
  return { ops, coarse };
}

function myers(a: string[], b: string[], maxD: number): DiffOp[] | null {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  if (max === 0) return [];
  const off = max + 1;
  let v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= Math.min(max, maxD); d++) {
    trace.push(v.slice());
    const nv = v.slice();
    for (let k = -d; k <= d; k += 2) {
      let x: number;
      if (k === -d || (k !== d && v[off + k - 1] < v[off + k + 1])) x = v[off + k + 1];
      else x = v[off + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      nv[off + k] = x;
      if (x >= n && y >= m) {
        trace.push(nv);
        return backtrack(trace, a, b, off);
      }
    }
    v = nv;
  }
  return null;
}

function backtrack(trace: Int32Array[], a: string[], b: string[], off: number): DiffOp[] {
  const ops: DiffOp[] = [];
  let x = a.length;
  let y = b.length;
  // trace[d] is the V array before round d; the last entry is the final one.
  for (let d = trace.length - 2; d >= 0; d--) {
    const v = trace[d];
    const k = x - y;
    let prevK: number;
    if (k === -d || (k !== d && v[off + k - 1] < v[off + k + 1])) prevK = k + 1;
    else prevK = k - 1;
    const prevX = d === 0 ? 0 : v[off + prevK];
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      ops.push({ kind: "same", line: a[x - 1] });
      x--;
      y--;
    }
    if (d > 0) {
      if (x === prevX) ops.push({ kind: "add", line: b[y - 1] });
      else ops.push({ kind: "del", line: a[x - 1] });
    }
    x = prevX;
    y = prevY;
  }
  while (x > 0 && y > 0) {
    ops.push({ kind: "same", line: a[x - 1] });
    x--;
    y--;
  }
  return ops.reverse();
}
