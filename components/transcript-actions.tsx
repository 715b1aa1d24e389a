'use client';

/** Save the run as a Markdown or JSON file, built from the store's state at the moment of the click. */
import { Download } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { useRunStore, useRunStoreApi } from '@/stores/run-store-provider';
import { transcriptFileName, transcriptOf, transcriptToJson, transcriptToMarkdown } from '@/stores/run-transcript';

function download(fileName: string, type: string, content: string): void {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

export function TranscriptActions() {
  const store = useRunStoreApi();
  const hasContent = useRunStore((s) => s.answer.length > 0 || s.reasoning.length > 0 || s.error !== null);

  const save = (format: 'md' | 'json') => {
    const transcript = transcriptOf(store.getState());
    if (format === 'md') download(transcriptFileName(transcript, 'md'), 'text/markdown;charset=utf-8', transcriptToMarkdown(transcript));
    else download(transcriptFileName(transcript, 'json'), 'application/json', transcriptToJson(transcript));
  };

  return (
    <div className="flex items-center gap-2">
      <Button type="button" variant="outline" size="sm" data-testid="save-md" disabled={!hasContent} onClick={() => save('md')}>
        <Download aria-hidden />
        Markdown
      </Button>
      <Button type="button" variant="outline" size="sm" data-testid="save-json" disabled={!hasContent} onClick={() => save('json')}>
        <Download aria-hidden />
        JSON
      </Button>
    </div>
  );
}
