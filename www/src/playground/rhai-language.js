// Rhai highlighting for CodeMirror as a StreamLanguage. Rhai has no official CodeMirror mode; its
// lexical grammar is small: C-like comments (block comments nest), "strings", `templates` with
// ${…}, 'c'haracters, numbers with 0x/0o/0b and _ separators, and a fixed keyword list.
import { StreamLanguage } from '@codemirror/language';

const KEYWORDS = new Set(
  'let const if else switch do while until loop for in break continue return throw try catch fn private import export as global is this'.split(' '),
);
const ATOMS = new Set(['true', 'false', '()']);
const BUILTINS = new Set(['print', 'debug', 'type_of', 'is_def_fn', 'is_def_var', 'is_shared', 'Fn', 'call', 'curry', 'eval']);

function blockComment(stream, state) {
  while (!stream.eol()) {
    if (stream.match('/*')) state.depth += 1;
    else if (stream.match('*/')) {
      state.depth -= 1;
      if (state.depth === 0) {
        state.inside = null;
        break;
      }
    } else stream.next();
  }
  return 'comment';
}

// A `template`'s ${…} parts are highlighted as string too: rare in rules, and simpler.
function quoted(quote) {
  return (stream, state) => {
    let escaped = false;
    while (!stream.eol()) {
      const ch = stream.next();
      if (ch === quote && !escaped) {
        state.inside = null;
        return 'string';
      }
      escaped = !escaped && ch === '\\';
    }
    // Backtick strings span lines; "…" ones end at a line break ending in '\'.
    if (quote !== '`' && !escaped) state.inside = null;
    return 'string';
  };
}

export const rhai = StreamLanguage.define({
  name: 'rhai',
  startState: () => ({ inside: null, depth: 0, afterFn: false }),
  token(stream, state) {
    if (state.inside === 'comment') return blockComment(stream, state);
    if (state.inside) return quoted(state.inside)(stream, state);
    if (stream.eatSpace()) return null;
    if (stream.match('//')) {
      stream.skipToEnd();
      return 'comment';
    }
    if (stream.match('/*')) {
      state.inside = 'comment';
      state.depth = 1;
      return blockComment(stream, state);
    }
    const ch = stream.peek();
    if (ch === '"' || ch === '`') {
      stream.next();
      state.inside = ch;
      return quoted(ch)(stream, state);
    }
    if (stream.match(/^'(?:\\.|[^'\\])'/)) return 'string';
    if (stream.match(/^0x[0-9a-fA-F_]+|^0o[0-7_]+|^0b[01_]+|^\d[\d_]*(\.\d[\d_]*)?(e[+-]?\d+)?/)) return 'number';
    if (stream.match(/^[A-Za-z_][A-Za-z0-9_]*/)) {
      const word = stream.current();
      if (state.afterFn) {
        state.afterFn = false;
        return 'def';
      }
      if (word === 'fn') state.afterFn = true;
      if (KEYWORDS.has(word)) return 'keyword';
      if (ATOMS.has(word)) return 'atom';
      if (BUILTINS.has(word)) return 'builtin';
      // A name followed by '(' is a call: the rule API's functions stand out from variables.
      if (stream.match(/^\s*\(/, false)) return 'variableName.function';
      return 'variableName';
    }
    if (stream.match(/^(?:\?\.|\?\?|=>|::|\.\.=?|[-+*/%=!<>&|^]=?)/)) return 'operator';
    stream.next();
    return ch === '(' || ch === ')' || ch === '{' || ch === '}' || ch === '[' || ch === ']' ? 'bracket' : 'punctuation';
  },
  languageData: {
    commentTokens: { line: '//', block: { open: '/*', close: '*/' } },
    closeBrackets: { brackets: ['(', '[', '{', '"', '`'] },
  },
});
