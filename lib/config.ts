/**
 * Typed configuration, read once from the environment and validated with zod. Every variable the
 * app reads is here, and listed in `.env.example` and the README.
 */
import { z } from 'zod';

const optionalUrl = z.url().optional();
const optionalString = z.string().min(1).optional();
const duration = (fallback: number) => z.coerce.number().int().nonnegative().default(fallback);

export const configSchema = z.object({
  /** Directory of the embedded PGlite database (and other local data). */
  DATA_DIR: z.string().min(1).default('data'),
  /** PostgreSQL connection string; when set, used instead of the embedded PGlite. */
  DATABASE_URL: optionalString,

  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: optionalUrl,
  /** `responses` (default) or `chat`: which OpenAI API `openai:*` models are called through. */
  OPENAI_API_STYLE: z.enum(['responses', 'chat']).default('responses'),
  XAI_API_KEY: optionalString,
  XAI_BASE_URL: optionalUrl,
  OPENROUTER_API_KEY: optionalString,
  OPENROUTER_BASE_URL: optionalUrl,
  /** Neuronpedia's API (`neuronpedia:*` steering models); the key goes in the `x-api-key` header. */
  NEURONPEDIA_API_KEY: optionalString,
  NEURONPEDIA_BASE_URL: z.url().default('https://www.neuronpedia.org'),
  /** Any OpenAI-compatible Chat Completions server (vLLM, Ollama, llama.cpp): `compatible:*` models. */
  OPENAI_COMPATIBLE_BASE_URL: optionalUrl,
  OPENAI_COMPATIBLE_API_KEY: optionalString,
  /** Pace of the embedded ARC engine's text, in tokens per second (0: as fast as possible). */
  LOCAL_ARC_TOKENS_PER_SECOND: z.coerce.number().min(0).max(10_000).default(150),
  /** Time the embedded ARC engine may search per answer. */
  LOCAL_ARC_SEARCH_BUDGET_MS: duration(8_000),
  /** Tokens `local:tiny` generates when a call does not say. */
  LOCAL_TINY_MAX_TOKENS: z.coerce.number().int().min(1).max(4_096).default(200),
  /** Temperature of `local:tiny` when a call does not say. */
  LOCAL_TINY_TEMPERATURE: z.coerce.number().min(0).max(5).default(0.8),
  /** Longest a Saturn worker process may live. */
  SATURN_WALL_TIME_MS: duration(10 * 60_000),
  /** Comma-separated model ids offered in the model picker, e.g. `openai:gpt-4.1-mini,xai:grok-4`. */
  MODELS: optionalString,

  /**
   * Extra ARC task directories, colon-separated (e.g. a checkout's `data/training:data/evaluation`):
   * every `<id>.json` in each is offered beside the shipped tasks, labelled with the directory's name.
   */
  ARC_DATA_DIR: optionalString,

  /** How long a run keeps going with nobody watching before it is cancelled. */
  RUN_GRACE_MS: duration(60_000),
  /** Longest a run may take before it is stopped. */
  RUN_MAX_DURATION_MS: duration(15 * 60_000),
  /** How long a finished run's log is kept for late readers, in memory or in Redis (the database keeps the result). */
  RUN_RETENTION_MS: duration(10 * 60_000),
  /** Interval of SSE heartbeat comments. */
  SSE_HEARTBEAT_MS: duration(15_000),
  /** A response is closed after this long; the client resumes with Last-Event-ID. */
  SSE_MAX_LIFETIME_MS: duration(5 * 60_000),
  /**
   * Redis (`redis://[user:password@]host:port[/db]`, or `rediss://` for TLS). Set: run logs live in
   * Redis Streams, cancels and live delivery cross instances over pub/sub, each run has a producer
   * lease, and rate limits are shared, so several instances can serve the same runs. Unset: all of
   * it stays in process memory (one instance).
   */
  REDIS_URL: optionalUrl,
  /** Prefix of every Redis key and channel the app uses; lets deployments (or test runs) share one Redis. */
  REDIS_KEY_PREFIX: z.string().min(1).max(64).default('streamconsole:'),
  /**
   * Entries a run's Redis log keeps (`XADD MAXLEN ~`, so a little more in practice). A reader
   * resuming from before the oldest kept entry is told of the gap (a `status` envelope with code
   * `log_gap` and an `X-Run-Log-Gap` header).
   */
  RUN_LOG_MAXLEN: z.coerce.number().int().min(10).max(10_000_000).default(20_000),
  /**
   * How long a producing instance's lease on a run lasts without renewal (it renews every third of
   * it). If the instance dies, another instance that serves the run notices the expired lease and
   * ends the run with `error {code: "internal:producer_lost"}` within about three times this.
   */
  RUN_LEASE_MS: z.coerce.number().int().min(300).max(600_000).default(10_000),
  /**
   * With Redis, how often each instance looks for runs the database still has `running` although
   * no instance holds their lease (their instance died and nobody was watching), and marks them
   * interrupted: two sweeps at least RUN_LEASE_MS apart must both find them so.
   */
  RUN_ORPHAN_SWEEP_MS: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
  /**
   * How long the images a run drew (Saturn, `DATA_DIR/images`) are kept after it last drew one;
   * then they are deleted (lib/images/retention.ts), as they are when the run's row is deleted.
   * The saved run keeps its result; its image URLs answer 404. At least a minute: a running run's
   * images must outlive it.
   */
  IMAGE_RETENTION_MS: z.coerce.number().int().min(60_000).default(7 * 24 * 60 * 60_000),
  /** How often each instance sweeps its image directory for images past IMAGE_RETENTION_MS. */
  IMAGE_SWEEP_MS: z.coerce.number().int().min(100).max(86_400_000).default(10 * 60_000),
  /** Enables the synthetic `bench` run kind used by `npm run bench:relay`. */
  BENCH_PRODUCER: z.stringbool().default(false),

  /**
   * Retries of a provider call that fails before any output (HTTP 429, 5xx, network errors), with
   * exponential backoff, full jitter and the provider's `Retry-After` (`lib/models/resilience`).
   * Once text has streamed a call is never retried. Call sites pass `maxRetries: 0` to the AI SDK.
   */
  PROVIDER_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(2),
  /** Longest wait before a retry; a `Retry-After` longer than this is not waited for (the 429 goes to the user). */
  PROVIDER_RETRY_MAX_WAIT_MS: duration(30_000),
  /** Longest wait for a provider's first output (text, reasoning, tool call); 0 turns it off. Raise it for models that think silently. */
  PROVIDER_FIRST_CHUNK_TIMEOUT_MS: duration(120_000),
  /** Longest silence between two chunks once output has started; 0 turns it off. */
  PROVIDER_IDLE_TIMEOUT_MS: duration(60_000),
  /** Longest a provider call may take in all, retries and waits included; 0 turns it off. */
  PROVIDER_TOTAL_TIMEOUT_MS: duration(10 * 60_000),
  /** Consecutive failures (5xx, network errors, timeouts) after which a provider's circuit opens and calls fail fast. */
  CIRCUIT_FAILURE_THRESHOLD: z.coerce.number().int().min(1).max(1_000).default(5),
  /** How long an open circuit fails fast before one probe call is let through. */
  CIRCUIT_HALF_OPEN_AFTER_MS: duration(30_000),

  /**
   * The `streaming` flag's value for users no rule decides, until an admin saves the flag's
   * settings (then the stored default applies). On by default: streaming is the product.
   */
  STREAMING_FLAG_DEFAULT: z.stringbool().default(true),
  /**
   * How long flag settings are cached in the process (users' own choices are not cached). Writes
   * through `lib/flags` clear the cache at once; this bounds how late another instance sees a
   * change (e.g. the kill switch).
   */
  FLAGS_CACHE_TTL_MS: duration(1_000),

  /**
   * Signs session cookies and encrypts auth tokens (Better Auth); at least 32 characters, e.g.
   * `openssl rand -base64 32`. Unset: a random one is generated once and kept in
   * `DATA_DIR/auth-secret`; required in production with REDIS_URL or DATABASE_URL (lib/auth/secret.ts).
   */
  BETTER_AUTH_SECRET: z.string().min(32, 'use at least 32 characters (openssl rand -base64 32)').optional(),
  /**
   * The app's public URL, e.g. `https://console.example.com`: the origin auth trusts, and whether
   * cookies are `Secure` (https). Unset: taken from each request's Host, cookies Secure in production.
   */
  BETTER_AUTH_URL: optionalUrl,
  /** More origins the auth API (`/api/auth/*`) accepts requests from, comma-separated (e.g. a second domain). */
  BETTER_AUTH_TRUSTED_ORIGINS: optionalString,
  /**
   * No longer read: it made whoever first signed up with a listed (unverified) email an admin.
   * Kept only so that the server can say so at start-up; admins are granted with
   * `npm run admin -- grant EMAIL`.
   */
  ADMIN_EMAILS: optionalString,
  /**
   * Proxies in front of the app that append the address they saw to `X-Forwarded-For` (a load
   * balancer, nginx with `$proxy_add_x_forwarded_for`). 0: limits count by the socket's address and
   * ignore the header, which any client can write. N: the Nth entry from the right of the header
   * (lib/limits/clientKey.ts). Set it to exactly the number of proxies: one too many lets clients
   * choose their address again.
   */
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  /** Anonymous sign-ins (first visits) allowed per client address every 10 seconds. */
  AUTH_ANONYMOUS_SIGNINS_PER_10S: z.coerce.number().int().min(1).max(100_000).default(30),

  /** Runs one user may start per minute; more are answered 429 with `Retry-After`. */
  RATE_LIMIT_RUNS_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(20),
  /**
   * Runs one user may have going at once, however they are delivered (streamed, blocking, JSON);
   * one more is answered 429 `rate_limited:active_runs` with `Retry-After`. Shared through Redis
   * when REDIS_URL is set.
   */
  MAX_RUNS_PER_USER: z.coerce.number().int().min(1).max(10_000).default(4),
  /** Runs the whole process may have going at once (it drives their producers); more are a 429. */
  MAX_RUNS_TOTAL: z.coerce.number().int().min(1).max(1_000_000).default(64),
  /** Streams (SSE responses) one user may hold open at once. */
  MAX_STREAMS_PER_USER: z.coerce.number().int().min(1).max(10_000).default(6),
  /** Streams the whole process may hold open at once. */
  MAX_STREAMS_TOTAL: z.coerce.number().int().min(1).max(1_000_000).default(500),

  /**
   * OTLP collector base URL (http/protobuf), e.g. `https://logfire-api.pydantic.dev`; traces go to
   * `<url>/v1/traces`, metrics to `<url>/v1/metrics`. Unset: nothing is exported.
   */
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalUrl,
  /** Headers of OTLP requests, as the OTel convention writes them: `key1=value1,key2=value2` (values URL-encoded). */
  OTEL_EXPORTER_OTLP_HEADERS: optionalString,
  /** `service.name` of the exported telemetry. */
  OTEL_SERVICE_NAME: z.string().min(1).default('streamconsole'),
  /** Interval between two metric exports. */
  OTEL_METRIC_EXPORT_INTERVAL: z.coerce.number().int().min(1_000).default(60_000),
  /** Share of traces kept (0-1), parent-based: a sampled parent keeps its children. */
  TELEMETRY_SAMPLING_RATIO: z.coerce.number().min(0).max(1).default(1),
  /** Also prints spans and metrics to the server console (development). */
  TELEMETRY_CONSOLE: z.stringbool().default(false),
  /**
   * Records prompts and other user text in span attributes. Off: such attributes read
   * `[REDACTED]`. Secrets (API keys, tokens) are never recorded either way.
   */
  TELEMETRY_RECORD_PROMPTS: z.stringbool().default(false),
});

export type Config = z.infer<typeof configSchema>;

let cached: Config | undefined;

/** The validated configuration. Throws a readable error naming each bad variable. */
export function getConfig(): Config {
  if (cached) return cached;
  const parsed = configSchema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid environment configuration:\n${lines.join('\n')}`);
  }
  cached = parsed.data;
  return cached;
}

/** Forgets the cached configuration (tests that change the environment). */
export function resetConfig(): void {
  cached = undefined;
}
