'use client';

/**
 * Keeps a scroll box at its end while its content grows, unless the reader scrolled up.
 *
 * Without ever forcing a layout: the box's geometry is read only in a ResizeObserver on the
 * content, which fires after the browser's own layout of the frame, when reading is free. A scroll
 * event only notes that the reader may have moved; reading `scrollTop` there would lay the page out
 * again in the middle of a frame, since the page changes between frames. At the next growth the
 * observer compares where the reader is with where the end was before the growth: near it, the box
 * follows the new end; further up, it stays where the reader left it.
 */
import * as React from 'react';

/** Within this many pixels of the end, the reader is taken to be at the end. */
const NEAR_END_PX = 32;

export function useStickToEnd(boxRef: React.RefObject<HTMLElement | null>, active = true): void {
  React.useEffect(() => {
    const box = boxRef.current;
    const content = box?.firstElementChild;
    if (!box || !content || !active) return;
    let stuck = true;
    let scrolled = false;
    /** The box's end (largest `scrollTop`) at the last growth. */
    let lastEnd = 0;
    const onScroll = () => {
      scrolled = true;
    };
    const observer = new ResizeObserver(() => {
      if (scrolled) {
        stuck = box.scrollTop >= lastEnd - NEAR_END_PX;
        scrolled = false;
      }
      const end = box.scrollHeight - box.clientHeight;
      lastEnd = end;
      if (stuck && box.scrollTop < end - 1) box.scrollTop = end;
    });
    box.addEventListener('scroll', onScroll, { passive: true });
    observer.observe(content);
    return () => {
      observer.disconnect();
      box.removeEventListener('scroll', onScroll);
    };
  }, [boxRef, active]);
}
