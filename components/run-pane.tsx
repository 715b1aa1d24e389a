'use client';

/**
 * The shell every run pane shares (the chat console's output, Grover, Saturn, the analysis): a
 * card with the title, a line saying what runs (model and run id), the status in the corner, then
 * the pane's controls, its figures, the notes every run may need (delivery, log gaps, errors),
 * its outcome and its own sections. Each pane keeps only what is its own; the parts below
 * ({@link RunStat}, {@link SectionTitle}, {@link RunModelLine}) are the ones they all draw alike.
 */
import type * as React from 'react';
import { isLocalModelId } from '@/components/run-form-fields';
import { RunDeliveryNote } from '@/components/run-delivery-note';
import { RunErrorAlert } from '@/components/run-error-alert';
import { RunLogGapNote } from '@/components/run-log-gap-note';
import { Card, CardAction, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from '@/components/ui/card';
import { Separator } from '@/components/ui/separator';
import { cn } from '@/lib/cn';
import { useRunStore } from '@/stores/run-store-provider';

export interface RunPaneProps {
  title: React.ReactNode;
  titleClassName?: string;
  /** Under the title: what runs (see {@link RunModelLine}). */
  description: React.ReactNode;
  descriptionClassName?: string;
  /** Top right: the run's status. */
  status: React.ReactNode;
  /** The form (or, for the chat console, the figures), above a separator. */
  controls?: React.ReactNode;
  /** The run's figures, below the separator. */
  stats?: React.ReactNode;
  /** Which server field errors the pane's form shows itself (the error alert leaves them out). */
  placedFields?: (path: string) => boolean;
  /** The run's outcome, under the notes. */
  outcome?: React.ReactNode;
  footer?: React.ReactNode;
  testId?: string;
  className?: string;
  contentClassName?: string;
  /** The pane's own sections. */
  children?: React.ReactNode;
}

export function RunPane({
  title,
  titleClassName = 'text-base',
  description,
  descriptionClassName,
  status,
  controls,
  stats,
  placedFields,
  outcome,
  footer,
  testId,
  className,
  contentClassName,
  children,
}: RunPaneProps) {
  return (
    <Card data-slot="run-pane" className={cn('min-w-0', className)} data-testid={testId}>
      <CardHeader>
        <CardTitle className={titleClassName}>{title}</CardTitle>
        <CardDescription className={cn('min-w-0', descriptionClassName)}>{description}</CardDescription>
        <CardAction>{status}</CardAction>
      </CardHeader>
      <CardContent className={cn('grid grid-cols-1 gap-6', contentClassName)}>
        {controls}
        <Separator />
        {stats}
        <RunDeliveryNote />
        <RunLogGapNote />
        <RunErrorAlert placedFields={placedFields} />
        {outcome}
        {children}
      </CardContent>
      {footer && <CardFooter className="justify-between gap-2 border-t">{footer}</CardFooter>}
    </Card>
  );
}

/**
 * What the current run runs: its model (with a note for the embedded engine) and its run id;
 * `idle` before a run.
 */
export function RunModelLine({
  model,
  idle,
  testIdPrefix,
  localNote,
}: {
  model: string | null | undefined;
  idle: React.ReactNode;
  /** `grover-` gives `grover-model` and `grover-run-id`. */
  testIdPrefix: string;
  localNote?: string;
}) {
  const runId = useRunStore((s) => s.runId);
  if (!model) return <>{idle}</>;
  return (
    <span className="flex flex-wrap items-center gap-x-2 gap-y-0.5 font-mono text-xs">
      <span data-testid={`${testIdPrefix}model`}>{model}</span>
      {localNote && isLocalModelId(model) && <span className="text-muted-foreground font-sans">· {localNote}</span>}
      {runId && (
        <span className="opacity-70">
          · <span data-testid={`${testIdPrefix}run-id`}>{runId}</span>
        </span>
      )}
    </span>
  );
}

/** One figure of a pane (`dt` / `dd`); wrap them in {@link RunStatList}. */
export function RunStat({
  label,
  value,
  testId,
  size = 'lg',
  className,
}: {
  label: string;
  value: React.ReactNode;
  testId: string;
  size?: 'sm' | 'lg';
  className?: string;
}) {
  return (
    <div className="min-w-0">
      <dt className="text-muted-foreground text-xs">{label}</dt>
      <dd data-testid={testId} className={cn('font-mono font-medium tabular-nums', size === 'lg' ? 'mt-1 text-lg' : 'mt-0.5 text-sm', className)}>
        {value}
      </dd>
    </div>
  );
}

export function RunStatList({ className, children }: { className?: string; children: React.ReactNode }) {
  return <dl className={cn('grid grid-cols-2 gap-4 sm:grid-cols-4', className)}>{children}</dl>;
}

/** A section's heading, with an optional remark on the right. */
export function SectionTitle({ children, aside }: { children: React.ReactNode; aside?: React.ReactNode }) {
  return (
    <div className="flex items-baseline justify-between gap-2">
      <h3 className="text-sm font-semibold">{children}</h3>
      {aside && <span className="text-muted-foreground text-xs">{aside}</span>}
    </div>
  );
}
