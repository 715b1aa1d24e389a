'use client';

/**
 * A program's Python source, highlighted with highlight.js (its core and the Python grammar only).
 * highlight.js escapes the source, so its HTML is safe to insert. Colours follow the light and
 * dark themes through Tailwind variants on the token classes.
 */
import * as React from 'react';
import hljs from 'highlight.js/lib/core';
import python from 'highlight.js/lib/languages/python';
import { cn } from '@/lib/cn';

if (!hljs.getLanguage('python')) hljs.registerLanguage('python', python);

const TOKEN_COLOURS = [
  '[&_.hljs-keyword]:text-violet-700 dark:[&_.hljs-keyword]:text-violet-300',
  '[&_.hljs-built_in]:text-sky-700 dark:[&_.hljs-built_in]:text-sky-300',
  '[&_.hljs-literal]:text-sky-700 dark:[&_.hljs-literal]:text-sky-300',
  '[&_.hljs-number]:text-amber-700 dark:[&_.hljs-number]:text-amber-300',
  '[&_.hljs-string]:text-emerald-700 dark:[&_.hljs-string]:text-emerald-300',
  '[&_.hljs-comment]:text-muted-foreground [&_.hljs-comment]:italic',
  '[&_.hljs-title]:text-blue-700 [&_.hljs-title]:font-medium dark:[&_.hljs-title]:text-blue-300',
  '[&_.hljs-params]:text-foreground',
  '[&_.hljs-meta]:text-rose-700 dark:[&_.hljs-meta]:text-rose-300',
].join(' ');

/**
 * Compiles the Python grammar ahead of need, when the browser is idle: the first highlight costs
 * tens of milliseconds (the grammar's regular expressions are built then), which would otherwise
 * land on the frame where the first program card appears.
 */
export function warmUpHighlighter(): () => void {
  const warm = () => void hljs.highlight('def transform(grid):\n    return grid', { language: 'python' });
  if (typeof window.requestIdleCallback === 'function') {
    const handle = window.requestIdleCallback(warm, { timeout: 2000 });
    return () => window.cancelIdleCallback(handle);
  }
  const timer = setTimeout(warm, 200);
  return () => clearTimeout(timer);
}

/** The highlighted HTML of Python `code`. */
function highlightPython(code: string): string {
  return hljs.highlight(code, { language: 'python', ignoreIllegals: true }).value;
}

export type CodeViewProps = Omit<React.ComponentProps<'pre'>, 'children'> & {
  code: string;
};

/** How far outside the viewport a program starts being highlighted, so it is ready when scrolled to. */
const HIGHLIGHT_MARGIN = '400px';

/**
 * The source as plain text until the view nears the viewport, highlighted from then on. A program
 * arriving off screen (cards pile up below the fold while the model writes) then costs the page
 * one text node, not the few hundred token spans the browser would otherwise build layout
 * objects for in the frame it arrives: the largest task left while both console panes stream.
 * The text is the same either way; only the colours wait.
 */
export const CodeView = React.memo(function CodeView({ code, className, ...props }: CodeViewProps) {
  const ref = React.useRef<HTMLPreElement>(null);
  const [near, setNear] = React.useState(false);
  React.useEffect(() => {
    const element = ref.current;
    if (!element || near) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) setNear(true);
    }, { rootMargin: HIGHLIGHT_MARGIN });
    observer.observe(element);
    return () => observer.disconnect();
  }, [near]);
  const html = React.useMemo(() => (near ? highlightPython(code) : null), [code, near]);
  return (
    <pre
      ref={ref}
      data-slot="code-view"
      data-highlighted={html !== null}
      className={cn('bg-muted/50 overflow-auto rounded-md border px-3 py-2.5 font-mono text-[12px] leading-5', TOKEN_COLOURS, className)}
      {...props}
    >
      {html !== null ? (
        <code key="highlighted" className="language-python" dangerouslySetInnerHTML={{ __html: html }} />
      ) : (
        <code key="plain" className="language-python">
          {code}
        </code>
      )}
    </pre>
  );
});
