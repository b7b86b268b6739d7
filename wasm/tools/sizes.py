#!/usr/bin/env python3
"""Where the bytes of a wasm module go, by crate: code-body sizes from the code section, named
by the `name` section (wasm-bindgen keeps it, demangled, until wasm-opt strips it), plus the data
segments. A stand-in for twiggy that needs nothing installed.

    python3 wasm/tools/sizes.py FILE.wasm [--top N] [--crate NAME] [--optimised]

FILE.wasm is cargo's module (target/.../wasm/routec_wasm.wasm). With --optimised, it is first
run through wasm-bindgen and `wasm-opt -Os -g` (as wasm/build.sh does, but keeping the names):
the sizes of what ships. Without it the figures are cargo's, before the optimiser inlines the
generic code into its callers, and they include wasm-bindgen's `describe` functions, which
wasm-bindgen removes (most of js-sys's share).

Without --crate: bytes per crate (the first path segment of a function's name; for
`<T as Trait>::f` the crate of T). With --crate: the largest functions of that crate.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict


def leb(buf, i):
    result = shift = 0
    while True:
        b = buf[i]
        i += 1
        result |= (b & 0x7F) << shift
        shift += 7
        if b < 0x80:
            return result, i


def sections(buf):
    i = 8
    while i < len(buf):
        sid = buf[i]
        size, j = leb(buf, i + 1)
        yield sid, buf[j : j + size]
        i = j + size


def name_of(payload):
    n, i = leb(payload, 0)
    return payload[i : i + n].decode("utf-8", "replace"), i + n


def imported_functions(payload):
    count, i = leb(payload, 0)
    funcs = 0
    for _ in range(count):
        for _ in range(2):
            n, i = leb(payload, i)
            i += n
        kind = payload[i]
        i += 1
        if kind == 0:  # function: type index
            _, i = leb(payload, i)
            funcs += 1
        elif kind == 1:  # table: reftype, limits
            i += 1
            flags, i = leb(payload, i)
            _, i = leb(payload, i)
            if flags & 1:
                _, i = leb(payload, i)
        elif kind == 2:  # memory: limits
            flags, i = leb(payload, i)
            _, i = leb(payload, i)
            if flags & 1:
                _, i = leb(payload, i)
        elif kind == 3:  # global: valtype, mut
            i += 2
        elif kind == 4:  # tag
            i += 1
            _, i = leb(payload, i)
    return funcs


def crate_of(name):
    # Rust's v0 mangling (`_R...`): the first crate root, `C` + optional disambiguator + name.
    if name.startswith("_R"):
        m = re.search(r"C(?:s[0-9A-Za-z]*_)?(\d+)", name)
        if m:
            start = m.end()
            return name[start : start + int(m.group(1))]
    n = name
    while n.startswith("<"):
        n = n[1:]
    n = re.sub(r"^(dyn |&mut |&|\*const |\*mut |impl )+", "", n)
    n = n.lstrip("[(")
    m = re.match(r"[A-Za-z_][A-Za-z0-9_]*", n)
    return m.group(0) if m else name[:20]


def main():
    args = sys.argv[1:]
    path = args[0]
    top = int(args[args.index("--top") + 1]) if "--top" in args else 40
    only = args[args.index("--crate") + 1] if "--crate" in args else None
    if "--optimised" in args:
        root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        tmp = tempfile.mkdtemp()
        subprocess.run(["wasm-bindgen", "--target", "web", "--out-dir", tmp, path], check=True)
        opt = os.path.join(tmp, "opt.wasm")
        wasm_opt = os.path.join(root, "tools", "node_modules", ".bin", "wasm-opt")
        subprocess.run([wasm_opt, "-Os", "-g", "-o", opt, os.path.join(tmp, "routec_wasm_bg.wasm")], check=True)
        path = opt
    buf = open(path, "rb").read()
    if "--optimised" in args:
        shutil.rmtree(os.path.dirname(path))
    n_imports = 0
    bodies = []
    names = {}
    data = 0
    total = len(buf)
    for sid, payload in sections(buf):
        if sid == 2:
            n_imports = imported_functions(payload)
        elif sid == 10:
            count, i = leb(payload, 0)
            for _ in range(count):
                size, j = leb(payload, i)
                bodies.append(size + (j - i))
                i = j + size
        elif sid == 11:
            data += len(payload)
        elif sid == 0:
            cname, i = name_of(payload)
            if cname != "name":
                continue
            while i < len(payload):
                sub = payload[i]
                size, j = leb(payload, i + 1)
                if sub == 1:
                    count, k = leb(payload, j)
                    for _ in range(count):
                        idx, k = leb(payload, k)
                        n, k = leb(payload, k)
                        names[idx] = payload[k : k + n].decode("utf-8", "replace")
                        k += n
                i = j + size
    per_crate = defaultdict(int)
    funcs = []
    for k, size in enumerate(bodies):
        name = names.get(n_imports + k, f"func[{n_imports + k}]")
        crate = crate_of(name)
        per_crate[crate] += size
        funcs.append((size, crate, name))
    code = sum(bodies)
    print(f"{path}: {total} bytes; code {code}, data {data}, {len(bodies)} functions")
    if only:
        rows = sorted((f for f in funcs if f[1] == only), reverse=True)
        print(f"{only}: {sum(f[0] for f in rows)} bytes in {len(rows)} functions")
        for size, _, name in rows[:top]:
            print(f"{size:8d}  {name[:160]}")
        return
    for crate, size in sorted(per_crate.items(), key=lambda x: -x[1])[:top]:
        print(f"{size:8d} {100 * size / total:5.1f}%  {crate}")


if __name__ == "__main__":
    main()
