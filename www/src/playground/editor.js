// The Rhai editor: CodeMirror 6 with the pieces a rule author needs (line numbers, undo, bracket
// matching, comment toggling) and lint diagnostics for compile errors, marked at their line.
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { bracketMatching, defaultHighlightStyle, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { linter, lintGutter, setDiagnostics } from '@codemirror/lint';
import { EditorState } from '@codemirror/state';
import { drawSelection, EditorView, highlightActiveLine, highlightActiveLineGutter, keymap, lineNumbers } from '@codemirror/view';
import { rhai } from './rhai-language.js';

/**
 * A RuleError-like `{ code, message, line?, column? }` (1-based) as a CodeMirror diagnostic: from
 * its column to the end of the word there, or the whole line when no column is known. An error
 * without a line is put on the first line, so it is still seen in the gutter.
 */
export function toDiagnostic(doc, error, severity = 'error') {
  const lineNo = Math.min(Math.max(1, error.line ?? 1), doc.lines);
  const line = doc.line(lineNo);
  let from = line.from;
  let to = line.to;
  if (error.line != null && error.column != null) {
    from = Math.min(line.from + Math.max(0, error.column - 1), line.to);
    const rest = doc.sliceString(from, line.to);
    const word = /^[A-Za-z0-9_]+/.exec(rest)?.[0].length ?? 1;
    to = Math.min(line.to, from + word);
  }
  const where = error.line != null ? `line ${error.line}${error.column != null ? `, column ${error.column}` : ''}: ` : '';
  return { from, to: Math.max(from, to), severity, source: error.code, message: `${where}${error.message}` };
}

/**
 * `check(source)` returns the errors of a compile (`[]` when it compiles); it runs as the linter
 * after typing pauses. `onRun` is bound to Ctrl/Cmd-Enter.
 */
export function ruleEditor(parent, { doc = '', check, onRun }) {
  const lint = linter((view) => check(view.state.doc.toString()).map((e) => toDiagnostic(view.state.doc, e)), { delay: 400 });
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc,
      extensions: [
        lineNumbers(),
        highlightActiveLineGutter(),
        highlightActiveLine(),
        history(),
        drawSelection(),
        indentOnInput(),
        bracketMatching(),
        syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
        rhai,
        lintGutter(),
        lint,
        keymap.of([{ key: 'Mod-Enter', run: () => (onRun(), true) }, indentWithTab, ...defaultKeymap, ...historyKeymap]),
        // Rules carry long comments and messages: wrap rather than scroll sideways.
        EditorView.lineWrapping,
        EditorView.contentAttributes.of({ 'aria-label': 'Rule source (Rhai)' }),
      ],
    }),
  });
  return {
    view,
    get source() {
      return view.state.doc.toString();
    },
    set source(text) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
    },
    /** Shows errors found by a run (runtime errors), replacing the linter's until the next edit. */
    mark(errors) {
      view.dispatch(setDiagnostics(view.state, errors.map((e) => toDiagnostic(view.state.doc, e))));
    },
  };
}
