/** Accounts and sessions (Better Auth). Server code only; the browser client is `components/auth/auth-client.ts`. */
export { requestOriginOf, trustedOriginsOf } from './origins';
export { authSecretOptionsOf, resolveAuthSecret, sharedDeploymentVariable, type ResolveAuthSecretOptions } from './secret';
export { AUTH_BASE_PATH, createAuth, getAuth, resetAuth, type Auth, type CreateAuthOptions } from './server';
export { getUserSummaryById, listAdmins, listUserIds, listUsersByEmails, listUsersByIds, setUserRoleByEmailOrThrow, type UserSummary } from './users';
export { getViewer, getViewerFromHeaders, NO_SESSION_MESSAGE, requireAdmin, requireViewer, roleOf, type Viewer, type ViewerRole } from './viewer';
export {
  adminFlagsPatchSchema,
  describeAllowlist,
  explainStreaming,
  getAdminFlagState,
  getStreamingShareOfAllUsers,
  getViewerStreaming,
  resolveAllowlistEntries,
  setViewerStreaming,
  updateAdminFlagState,
  viewerPreferencesSchema,
  type AdminFlagState,
  type AdminFlagsPatch,
  type AllowlistEntry,
  type StreamingExplanation,
  type ViewerStreaming,
} from './streamingFlag';
