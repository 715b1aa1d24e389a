'use client';

/** Save the run as a Markdown or JSON file, built from the store's state at the moment of the click. */
import { SaveTranscriptButtons } from '@/components/save-transcript-buttons';
import { useRunStore, useRunStoreApi } from '@/stores/run-store-provider';
import { transcriptFileName, transcriptOf, transcriptToJson, transcriptToMarkdown } from '@/stores/run-transcript';

export function TranscriptActions() {
  const store = useRunStoreApi();
  const hasContent = useRunStore((s) => s.answer.length > 0 || s.reasoning.length > 0 || s.error !== null);

  return (
    <div className="flex items-center gap-2">
      <SaveTranscriptButtons
        disabled={!hasContent}
        build={(format) => {
          const transcript = transcriptOf(store.getState());
          return { fileName: transcriptFileName(transcript, format), content: format === 'md' ? transcriptToMarkdown(transcript) : transcriptToJson(transcript) };
        }}
      />
    </div>
  );
}
