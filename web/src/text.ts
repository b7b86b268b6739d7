//! Offsets: wasm diagnostics carry UTF-8 byte offsets, CodeMirror counts UTF-16 code units.

/** The UTF-16 index of a UTF-8 byte offset into `text` (clamped to the text). */
export function byteToIndex(text: string, byte: number): number {
  let b = 0;
  for (let i = 0; i < text.length; i++) {
    if (b >= byte) return i;
    const c = text.charCodeAt(i);
    if (c < 0x80) b += 1;
    else if (c < 0x800) b += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      b += 4;
      i++;
    } else b += 3;
  }
  return text.length;
}

export function basename(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}
