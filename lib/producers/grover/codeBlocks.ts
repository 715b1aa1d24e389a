/**
 * Finds fenced code blocks in a model's text while it is still being written, so each program
 * can be run the moment its closing fence arrives rather than when the whole response ends.
 *
 * Fences follow CommonMark loosely: a line starting with three or more backticks opens a block
 * (an info string such as `python` may follow); a line holding a fence at least as long closes
 * it. Only complete lines are examined, so a fence split across deltas is seen once whole.
 */

export interface CodeBlockScanner {
  /** Feeds a text delta; returns the blocks it closed, in order. */
  push(delta: string): CodeBlock[];
}

export interface CodeBlock {
  /** The info string after the opening fence (`python`, or empty). */
  language: string;
  code: string;
}

const OPEN_FENCE = /^\s{0,3}(`{3,})\s*([\w+-]*)[^`]*$/;

export function createCodeBlockScanner(): CodeBlockScanner {
  let partialLine = '';
  let open: { fence: string; language: string; lines: string[] } | null = null;

  function onLine(line: string): CodeBlock | null {
    if (open) {
      const trimmed = line.trim();
      if (trimmed.startsWith(open.fence) && /^`+$/.test(trimmed)) {
        const block = { language: open.language, code: open.lines.join('\n') };
        open = null;
        return block;
      }
      open.lines.push(line);
      return null;
    }
    const match = OPEN_FENCE.exec(line);
    if (match) open = { fence: match[1]!, language: (match[2] ?? '').toLowerCase(), lines: [] };
    return null;
  }

  return {
    push(delta) {
      const closed: CodeBlock[] = [];
      const text = partialLine + delta;
      const lines = text.split(/\r?\n/);
      partialLine = lines.pop() ?? '';
      for (const line of lines) {
        const block = onLine(line);
        if (block) closed.push(block);
      }
      // A closing fence may end the text without a newline after it.
      if (open && /^\s*`{3,}\s*$/.test(partialLine) && partialLine.trim().startsWith(open.fence)) {
        const block = onLine(partialLine);
        partialLine = '';
        if (block) closed.push(block);
      }
      return closed;
    },
  };
}

/** Whether a block looks like a Grover program: Python defining `transform`. */
export function isTransformProgram(block: CodeBlock): boolean {
  return (block.language === '' || block.language === 'python' || block.language === 'py') && /\bdef\s+transform\s*\(/.test(block.code);
}
