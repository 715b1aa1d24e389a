'use client';

/**
 * Save a run as Markdown or JSON: two buttons, one download helper. The caller builds the
 * file from its store at the moment of the click; `testIdPrefix` names the buttons
 * (`<prefix>save-md`, `<prefix>save-json`).
 */
import { Download } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { downloadText } from './download-text';

export interface TranscriptFile {
  fileName: string;
  content: string;
}

export type SaveTranscriptButtonsProps = {
  testIdPrefix?: string;
  disabled: boolean;
  build(format: 'md' | 'json'): TranscriptFile;
};

const TYPES = { md: 'text/markdown;charset=utf-8', json: 'application/json' } as const;

export function SaveTranscriptButtons({ testIdPrefix = '', disabled, build }: SaveTranscriptButtonsProps) {
  const save = (format: 'md' | 'json') => {
    const file = build(format);
    downloadText(file.fileName, TYPES[format], file.content);
  };
  return (
    <>
      <Button type="button" variant="outline" size="sm" data-testid={`${testIdPrefix}save-md`} disabled={disabled} onClick={() => save('md')}>
        <Download aria-hidden />
        Markdown
      </Button>
      <Button type="button" variant="outline" size="sm" data-testid={`${testIdPrefix}save-json`} disabled={disabled} onClick={() => save('json')}>
        <Download aria-hidden />
        JSON
      </Button>
    </>
  );
}
