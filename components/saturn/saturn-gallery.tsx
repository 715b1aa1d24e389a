'use client';

/**
 * The pictures Saturn's worker drew, as they arrive: lazy-loaded thumbnails with their labels,
 * grouped by phase, zooming a little under the pointer; a click (or Enter) opens the picture full
 * size in a dialog (Esc closes it, the arrow keys go to the previous and next picture).
 *
 * The gallery re-renders when a picture arrives (the view's image list is append-only and changes
 * identity only then), never per token; each thumbnail is memoised and keeps its box size before
 * its image loads, so nothing around it moves.
 */
import * as React from 'react';
import { ChevronLeft, ChevronRight, ImageIcon } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogDescription, DialogTitle } from '@/components/ui/dialog';
import { cn } from '@/lib/cn';
import { isSettled } from '@/stores/run-store';
import { useRunStore } from '@/stores/run-store-provider';
import { describePhase, type SaturnImage } from '@/lib/kinds/saturn';

const NO_IMAGES: SaturnImage[] = [];

function phaseTitle(phase: string | undefined): string {
  if (!phase) return 'Other';
  const { title, purpose } = describePhase(phase);
  return purpose ? `${title} · ${purpose}` : title;
}

const Thumbnail = React.memo(function Thumbnail({ image, index, onOpen }: { image: SaturnImage; index: number; onOpen: (index: number) => void }) {
  return (
    <figure data-testid="saturn-image" data-label={image.label} className="group grid min-w-0 content-start gap-1.5">
      <button
        type="button"
        onClick={() => onOpen(index)}
        aria-label={`Open “${image.label}” full size`}
        className="bg-muted/40 focus-visible:ring-ring/50 relative flex h-32 items-center justify-center overflow-hidden rounded-md border p-2 outline-none focus-visible:ring-[3px]"
      >
        <img
          src={image.url}
          alt={image.label}
          loading="lazy"
          decoding="async"
          width={image.width}
          height={image.height}
          className="h-auto max-h-full w-auto max-w-full object-contain [image-rendering:pixelated] transition-transform duration-200 ease-out group-hover:scale-[1.35] motion-reduce:transition-none motion-reduce:group-hover:scale-100"
        />
      </button>
      <figcaption className="text-muted-foreground truncate text-xs" title={image.label}>
        {image.label}
      </figcaption>
    </figure>
  );
});

function ImageDialog({ images, index, onIndexChange }: { images: SaturnImage[]; index: number | null; onIndexChange: (index: number | null) => void }) {
  const image = index === null ? undefined : images[index];
  const go = (delta: number) => {
    if (index === null || images.length === 0) return;
    onIndexChange((index + delta + images.length) % images.length);
  };
  return (
    <Dialog open={image !== undefined} onOpenChange={(open) => !open && onIndexChange(null)}>
      {image && (
        <DialogContent
          data-testid="image-dialog"
          className="flex max-h-[94vh] w-[min(96vw,1200px)] max-w-none flex-col gap-3 p-4 sm:max-w-none"
          onKeyDown={(event) => {
            if (event.key === 'ArrowRight') go(1);
            else if (event.key === 'ArrowLeft') go(-1);
          }}
        >
          <div className="grid gap-1 pr-8">
            <DialogTitle className="text-base">{image.label}</DialogTitle>
            <DialogDescription className="text-xs">
              {phaseTitle(image.phase)}
              {image.width && image.height ? ` · ${image.width}×${image.height} px` : ''}
              {images.length > 1 ? ` · ${index! + 1} of ${images.length}` : ''}
            </DialogDescription>
          </div>
          <div className="bg-muted/30 flex min-h-0 flex-1 items-center justify-center overflow-auto rounded-md border p-3">
            <img
              key={image.url}
              data-testid="image-dialog-img"
              src={image.url}
              alt={image.label}
              width={image.width}
              height={image.height}
              // Drawn for a small thumbnail: shown up to three times its size, crisp, within the screen.
              style={image.width ? { width: `min(${image.width * 3}px, 100%)` } : undefined}
              className="h-auto max-h-[78vh] max-w-full object-contain [image-rendering:pixelated]"
            />
          </div>
          {images.length > 1 && (
            <div className="flex items-center justify-between gap-2">
              <Button type="button" variant="outline" size="sm" onClick={() => go(-1)} data-testid="image-dialog-prev">
                <ChevronLeft aria-hidden />
                Previous
              </Button>
              <span className="text-muted-foreground text-xs">← → to browse · Esc to close</span>
              <Button type="button" variant="outline" size="sm" onClick={() => go(1)} data-testid="image-dialog-next">
                Next
                <ChevronRight aria-hidden />
              </Button>
            </div>
          )}
        </DialogContent>
      )}
    </Dialog>
  );
}

export function SaturnGallery({ className }: { className?: string }) {
  // New thumbnails render as a transition (in slices that yield), never in the frame of a token.
  const images = React.useDeferredValue(useRunStore((s) => s.saturn?.images ?? NO_IMAGES));
  const status = useRunStore((s) => s.status);
  const [open, setOpen] = React.useState<number | null>(null);
  const onOpen = React.useCallback((index: number) => setOpen(index), []);

  // Consecutive pictures of one phase together, in arrival order.
  const groups = React.useMemo(() => {
    const out: { phase: string | undefined; items: { image: SaturnImage; index: number }[] }[] = [];
    images.forEach((image, index) => {
      const last = out.at(-1);
      if (last && last.phase === image.phase) last.items.push({ image, index });
      else out.push({ phase: image.phase, items: [{ image, index }] });
    });
    return out;
  }, [images]);

  if (images.length === 0) {
    return (
      <p
        data-testid="saturn-images-empty"
        className={cn('text-muted-foreground flex min-h-20 items-center justify-center gap-2 rounded-lg border border-dashed px-4 text-center text-sm', className)}
      >
        <ImageIcon className="size-4" aria-hidden />
        {status === 'idle' ? 'The pictures the renderer draws appear here.' : !isSettled(status) ? 'Waiting for the first picture…' : 'No picture was drawn.'}
      </p>
    );
  }

  return (
    <div data-testid="saturn-gallery" data-count={images.length} className={cn('grid gap-4', className)}>
      {groups.map((group, i) => (
        <section key={`${group.phase ?? 'other'}-${i}`} className="grid gap-2">
          <h4 className="text-muted-foreground text-xs font-medium tracking-wide uppercase">{phaseTitle(group.phase)}</h4>
          <div className="grid grid-cols-2 gap-3 sm:grid-cols-3">
            {group.items.map(({ image, index }) => (
              <Thumbnail key={index} image={image} index={index} onOpen={onOpen} />
            ))}
          </div>
        </section>
      ))}
      <ImageDialog images={images} index={open} onIndexChange={setOpen} />
    </div>
  );
}
