import { describe, expect, test } from 'vitest';
import { createCodeBlockScanner, isTransformProgram } from './codeBlocks';

const program = 'def transform(grid):\n    return [row[::-1] for row in grid]';
const text = `Here is a try.\n\n\`\`\`python\n${program}\n\`\`\`\n\nAnd another:\n\`\`\`python\ndef transform(grid):\n    return grid\n\`\`\`\n`;

describe('code block scanner', () => {
  test('returns a block as soon as its closing fence arrives', () => {
    const scanner = createCodeBlockScanner();
    expect(scanner.push('Here is a try.\n\n```python\n')).toEqual([]);
    expect(scanner.push(`${program}\n`)).toEqual([]);
    expect(scanner.push('```\n')).toEqual([{ language: 'python', code: program }]);
  });

  test('finds every block whatever the chunking', () => {
    for (const size of [1, 2, 3, 7, 13, 1000]) {
      const scanner = createCodeBlockScanner();
      const blocks = [];
      for (let i = 0; i < text.length; i += size) blocks.push(...scanner.push(text.slice(i, i + size)));
      expect(blocks.map((b) => b.code)).toEqual([program, 'def transform(grid):\n    return grid']);
    }
  });

  test('a closing fence at the very end of the text closes the block', () => {
    const scanner = createCodeBlockScanner();
    expect(scanner.push('```python\ndef transform(g):\n    return g\n```')).toHaveLength(1);
  });

  test('an unclosed block is not returned', () => {
    const scanner = createCodeBlockScanner();
    expect(scanner.push('```python\ndef transform(g):\n    return g\n')).toEqual([]);
  });

  test('CRLF line endings are handled', () => {
    const scanner = createCodeBlockScanner();
    expect(scanner.push('```py\r\ndef transform(g):\r\n    return g\r\n```\r\n')).toEqual([{ language: 'py', code: 'def transform(g):\n    return g' }]);
  });

  test('a longer fence is closed only by a fence at least as long', () => {
    const scanner = createCodeBlockScanner();
    expect(scanner.push('````python\ns = """```"""\n```\n')).toEqual([]);
    expect(scanner.push('````\n')).toEqual([{ language: 'python', code: 's = """```"""\n```' }]);
  });
});

describe('isTransformProgram', () => {
  test('accepts Python that defines transform', () => {
    expect(isTransformProgram({ language: 'python', code: program })).toBe(true);
  });

  test('rejects other languages and code without transform', () => {
    expect(isTransformProgram({ language: 'json', code: '[[1]]' })).toBe(false);
    expect(isTransformProgram({ language: 'python', code: 'print(1)' })).toBe(false);
  });
});
