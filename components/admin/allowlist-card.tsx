'use client';

/** Users who always get streaming: one user id or email per line; emails are resolved to ids on save. */
import { useEffect, useId, useState } from 'react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from '@/components/ui/card';
import { Label } from '@/components/ui/label';
import { Textarea } from '@/components/ui/textarea';
import type { AllowlistEntry } from './types';

const linesOf = (text: string) =>
  text
    .split(/[\n,]/)
    .map((l) => l.trim())
    .filter((l) => l !== '');

export function AllowlistCard({ entries, onSave }: { entries: AllowlistEntry[]; onSave: (allowlist: string[]) => Promise<boolean> }) {
  const id = useId();
  const saved = entries.map((e) => e.userId).join('\n');
  const [draft, setDraft] = useState(saved);
  const [saving, setSaving] = useState(false);
  useEffect(() => setDraft(saved), [saved]);

  const changed = linesOf(draft).join('\n') !== saved;
  return (
    <Card data-testid="allowlist-card" data-count={entries.length}>
      <CardHeader>
        <CardTitle>Allowlist</CardTitle>
        <CardDescription>These users always get streaming (unless the kill switch is on or they turned it off themselves). Admins always count as listed.</CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-4">
        <div className="flex flex-col gap-2">
          <Label htmlFor={`${id}-allowlist`}>User ids or emails, one per line</Label>
          <Textarea
            id={`${id}-allowlist`}
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            placeholder={'tester@example.com\nQ3xk9…'}
            rows={4}
            className="font-mono text-xs"
            data-testid="allowlist-input"
          />
        </div>
        {entries.length > 0 && (
          <ul className="flex flex-col gap-1.5 text-sm" aria-label="Allowlisted users">
            {entries.map((entry) => (
              <li key={entry.userId} className="flex flex-wrap items-center gap-2" data-testid="allowlist-entry" data-user-id={entry.userId}>
                <code className="bg-muted rounded px-1.5 py-0.5 text-xs">{entry.userId}</code>
                {entry.email && <span>{entry.email}</span>}
                {entry.isAnonymous && <Badge variant="secondary">guest</Badge>}
                {!entry.known && <Badge variant="outline">no such user yet</Badge>}
              </li>
            ))}
          </ul>
        )}
      </CardContent>
      <CardFooter className="justify-end gap-2">
        {changed && (
          <Button variant="ghost" size="sm" onClick={() => setDraft(saved)} disabled={saving}>
            Reset
          </Button>
        )}
        <Button
          size="sm"
          disabled={!changed || saving}
          data-testid="allowlist-save"
          onClick={async () => {
            setSaving(true);
            try {
              await onSave(linesOf(draft));
            } finally {
              setSaving(false);
            }
          }}
        >
          {saving ? 'Saving…' : 'Save allowlist'}
        </Button>
      </CardFooter>
    </Card>
  );
}
