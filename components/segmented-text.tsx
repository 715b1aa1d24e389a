'use client';

/**
 * Streamed text as the run store keeps it: one segment per animation-frame batch, append-only.
 * Segments are rendered in blocks of {@link BLOCK}; a full block never changes, so it is memoised
 * and skipped, and a new frame reconciles the last block only (not every segment of the text).
 */
import * as React from 'react';

export interface TextSegmentLike {
  id: number;
  text: string;
}

const BLOCK = 32;

const Segment = React.memo(function Segment({ text }: { text: string }) {
  return <span data-slot="text-segment">{text}</span>;
});

const Block = React.memo(
  function Block({ segments }: { segments: readonly TextSegmentLike[] }) {
    return segments.map((segment) => <Segment key={segment.id} text={segment.text} />);
  },
  // Segments are append-only: the same first segment and length is the same block.
  (a, b) => a.segments.length === b.segments.length && a.segments[0]?.id === b.segments[0]?.id,
);

export function SegmentedText({ segments }: { segments: readonly TextSegmentLike[] }) {
  const blocks: React.ReactNode[] = [];
  for (let start = 0; start < segments.length; start += BLOCK) {
    const block = segments.slice(start, start + BLOCK);
    blocks.push(<Block key={block[0]!.id} segments={block} />);
  }
  return blocks;
}
