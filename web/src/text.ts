//! Offsets: wasm diagnostics carry UTF-8 byte offsets, CodeMirror counts UTF-16 code units.

/**
 * A converter from UTF-8 byte offsets to UTF-16 indexes for one text. ASCII texts (the common
 * case, and the 1 MB bench input) convert for free; others scan once per call.
 */
export function byteIndexer(text: string): (byte: number) => number {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII range includes control characters
  if (/^[\x00-\x7f]*$/.test(text)) return (byte) => Math.min(Math.max(byte, 0), text.length);
  return (byte) => byteToIndex(text, byte);
}

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
