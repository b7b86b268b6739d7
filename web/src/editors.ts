//! CodeMirror pieces: the shared extensions, the themes (colours come from CSS variables, so the
//! system's light or dark setting applies), a small HAProxy config mode for the output, the
//! settings completion, and decorations for highlighted ranges (a Route hovered in the output,
//! diff lines, a jumped-to line).

import { autocompletion, type CompletionContext, type CompletionResult } from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { yaml } from "@codemirror/lang-yaml";
import { HighlightStyle, StreamLanguage, syntaxHighlighting } from "@codemirror/language";
import { lintGutter } from "@codemirror/lint";
import { highlightSelectionMatches, searchKeymap } from "@codemirror/search";
import { type Extension, RangeSetBuilder, StateEffect, StateField } from "@codemirror/state";
import {
  Decoration,
  type DecorationSet,
  drawSelection,
  EditorView,
  highlightActiveLine,
  keymap,
  lineNumbers,
} from "@codemirror/view";
import { tags } from "@lezer/highlight";
import { SETTING_KEYS } from "./settings-keys";

const highlight = HighlightStyle.define([
  { tag: tags.keyword, color: "var(--kw)" },
  { tag: [tags.string, tags.special(tags.string)], color: "var(--str)" },
  { tag: [tags.number, tags.bool, tags.null], color: "var(--num)" },
  { tag: tags.comment, color: "var(--com)", fontStyle: "italic" },
  { tag: [tags.definition(tags.propertyName), tags.propertyName], color: "var(--sec)" },
  { tag: tags.heading, color: "var(--sec)", fontWeight: "bold" },
  { tag: tags.meta, color: "var(--com)" },
]);

const theme = EditorView.theme({
  "&": { color: "var(--fg)", backgroundColor: "var(--bg)" },
  ".cm-content": { caretColor: "var(--fg)" },
  ".cm-gutters": { backgroundColor: "var(--panel)", color: "var(--muted)", borderRight: "1px solid var(--border)" },
  ".cm-activeLine": { backgroundColor: "color-mix(in srgb, var(--panel) 60%, transparent)" },
  ".cm-activeLineGutter": { backgroundColor: "var(--panel)", color: "var(--fg)" },
  "&.cm-focused .cm-selectionBackground, .cm-selectionBackground": {
    backgroundColor: "color-mix(in srgb, var(--accent) 30%, transparent)",
  },
  ".cm-tooltip": { backgroundColor: "var(--panel)", color: "var(--fg)", border: "1px solid var(--border)" },
  ".cm-diagnostic": { whiteSpace: "pre-wrap", maxWidth: "60ch" },
  ".cm-tooltip-autocomplete ul li[aria-selected]": { backgroundColor: "var(--accent)", color: "var(--accent-fg)" },
  ".cm-completionInfo": { maxWidth: "40ch" },
});

/** HAProxy config: section headers, first keywords, comments, quoted strings, numbers. */
const haproxyMode = StreamLanguage.define<{ first: boolean }>({
  startState: () => ({ first: true }),
  token(stream, state) {
    if (stream.sol()) state.first = true;
    if (stream.eatSpace()) return null;
    if (stream.peek() === "#") {
      stream.skipToEnd();
      return "comment";
    }
    if (stream.match(/^'[^']*'/) || stream.match(/^"(?:[^"\\]|\\.)*"/)) return "string";
    if (state.first) {
      state.first = false;
      const indented = stream.column() > 0;
      stream.match(/^\S+/);
      return indented ? "keyword" : "heading";
    }
    if (stream.match(/^\d+(?:ms|s|m|h|d)?(?=\s|$)/)) return "number";
    // Always advance: a lone quote (unterminated) is taken as one character.
    if (!stream.match(/^[^\s'"]+/)) stream.next();
    return null;
  },
});

export function baseExtensions(): Extension[] {
  return [
    lineNumbers(),
    history(),
    drawSelection(),
    highlightActiveLine(),
    highlightSelectionMatches(),
    syntaxHighlighting(highlight),
    theme,
    keymap.of([...defaultKeymap, ...historyKeymap, ...searchKeymap]),
    rangeHighlights,
    lineClasses,
    // An explicit tab stop, so the scroller counts as keyboard-reachable (read-only views too).
    EditorView.contentAttributes.of({ tabindex: "0" }),
  ];
}

export function yamlExtensions(): Extension[] {
  return [...baseExtensions(), yaml(), lintGutter()];
}

export function settingsExtensions(): Extension[] {
  return [...baseExtensions(), lintGutter(), autocompletion({ override: [settingsCompletion] })];
}

export function outputExtensions(): Extension[] {
  return [...baseExtensions(), haproxyMode, EditorView.editable.of(false)];
}

export function plainExtensions(): Extension[] {
  return [...baseExtensions(), haproxyMode];
}

/** Completes a KEY at the start of a line with the known setting keys and their documentation. */
export function settingsCompletion(ctx: CompletionContext): CompletionResult | null {
  const line = ctx.state.doc.lineAt(ctx.pos);
  const before = line.text.slice(0, ctx.pos - line.from);
  const m = /^\s*(?:export\s+)?([A-Za-z0-9_]*)$/.exec(before);
  if (!m) return null;
  if (m[1] === "" && !ctx.explicit) return null;
  return {
    from: ctx.pos - m[1].length,
    options: SETTING_KEYS.map((k) => ({
      label: k.key,
      apply: `${k.key}=`,
      type: "variable",
      detail: k.default === undefined ? undefined : `default ${k.default}`,
      info: k.doc,
    })),
    validFor: /^[A-Za-z0-9_]*$/,
  };
}

/** Highlighted character ranges (the Route hovered in the output). */
export const setRangeHighlights = StateEffect.define<{ from: number; to: number }[]>();
const rangeHighlights = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(deco, tr) {
    let d = deco.map(tr.changes);
    for (const e of tr.effects) {
      if (e.is(setRangeHighlights)) {
        d = Decoration.set(
          e.value
            .filter((r) => r.to > r.from)
            .map((r) => Decoration.mark({ class: "cm-route-hl" }).range(r.from, r.to)),
          true,
        );
      }
    }
    return d;
  },
  provide: (f) => EditorView.decorations.from(f),
});

/** CSS classes on whole lines, by 1-based line number (diff marks, origin and jump highlights). */
export const setLineClasses = StateEffect.define<{ line: number; cls: string }[]>();
const lineClasses = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(deco, tr) {
    let d = deco.map(tr.changes);
    for (const e of tr.effects) {
      if (e.is(setLineClasses)) {
        const b = new RangeSetBuilder<Decoration>();
        const sorted = [...e.value].sort((x, y) => x.line - y.line);
        for (const { line, cls } of sorted) {
          if (line < 1 || line > tr.state.doc.lines) continue;
          const l = tr.state.doc.line(line);
          b.add(l.from, l.from, Decoration.line({ class: cls }));
        }
        d = b.finish();
      }
    }
    return d;
  },
  provide: (f) => EditorView.decorations.from(f),
});
