/** The JSON of `/api/admin/flags*`, as the admin page reads it. */
import type { FlagRule, StreamingEvaluation } from '@/components/settings/flag-types';

export interface AdminFlagSettings {
  key: string;
  killSwitch: boolean;
  percentage: number;
  allowlist: string[];
  defaultValue: boolean;
  /** ISO time of the last save; `null` while the built-in defaults apply. */
  updatedAt: string | null;
}

export interface AllowlistEntry {
  userId: string;
  email: string | null;
  known: boolean;
  isAnonymous: boolean;
}

/** `GET/PUT /api/admin/flags`. */
export interface AdminFlagState {
  settings: AdminFlagSettings;
  allowlist: AllowlistEntry[];
}

/** `GET /api/admin/flags/share`. */
export interface StreamingShare {
  total: number;
  enabled: number;
  share: number;
  byRule: Record<Exclude<FlagRule, 'error'>, number>;
}

/** `GET /api/admin/flags/evaluate`. */
export interface StreamingExplanation {
  user: { id: string; email: string | null; role: string; isAnonymous: boolean; createdAt: string } | null;
  preference: boolean | null;
  evaluation: StreamingEvaluation;
}

export interface FlagsPatch {
  killSwitch?: boolean;
  percentage?: number;
  allowlist?: string[];
  defaultValue?: boolean;
}
