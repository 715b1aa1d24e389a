'use client';

/**
 * Keeps a scroll box at its end while its content grows, unless the reader scrolled up.
 *
 * Without forcing layout: a ResizeObserver on the content fires after the browser's own layout
 * of the frame, when reading `scrollHeight` is free, and writing `scrollTop` then only scrolls.
 * (Reading `scrollHeight` in a layout effect after each streamed batch would lay the page out
 * twice a frame per pane.)
 */
import * as React from 'react';

export function useStickToEnd(boxRef: React.RefObject<HTMLElement | null>, active = true): void {
  React.useEffect(() => {
    const box = boxRef.current;
    const content = box?.firstElementChild;
    if (!box || !content || !active) return;
    let stuck = true;
    const onScroll = () => {
      stuck = box.scrollHeight - box.scrollTop - box.clientHeight < 32;
    };
    const observer = new ResizeObserver(() => {
      if (!stuck) return;
      const end = box.scrollHeight - box.clientHeight;
      if (box.scrollTop < end - 1) box.scrollTop = end;
    });
    box.addEventListener('scroll', onScroll, { passive: true });
    observer.observe(content);
    return () => {
      observer.disconnect();
      box.removeEventListener('scroll', onScroll);
    };
  }, [boxRef, active]);
}
