/**
 * The model registry: resolves ids such as `openai:gpt-4.1-mini` to AI SDK language models.
 *
 * | prefix        | provider package                 | key                       | base URL                     |
 * | ------------- | -------------------------------- | ------------------------- | ---------------------------- |
 * | `openai:`     | @ai-sdk/openai (Responses API; Chat Completions when OPENAI_API_STYLE=chat) | OPENAI_API_KEY | OPENAI_BASE_URL |
 * | `xai:`        | @ai-sdk/xai                      | XAI_API_KEY               | XAI_BASE_URL                 |
 * | `openrouter:` | @openrouter/ai-sdk-provider      | OPENROUTER_API_KEY        | OPENROUTER_BASE_URL          |
 * | `compatible:` | @ai-sdk/openai-compatible (Chat Completions: vLLM, Ollama, llama.cpp) | OPENAI_COMPATIBLE_API_KEY (optional) | OPENAI_COMPATIBLE_BASE_URL |
 * | `local:`      | embedded models in this process (`local:tiny`, a small steerable LM, when its weights are present; `local:arc`, the ARC engine) | none | none |
 *
 * Base URLs come from the environment, so any server that speaks a provider's API (a local
 * inference server, the test suite's fake provider) stands in for it.
 */
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { createXai } from '@ai-sdk/xai';
import { createOpenRouter } from '@openrouter/ai-sdk-provider';
import type { LanguageModel } from 'ai';
import { modelIdSchema } from '../kinds/fields';
import { getConfig, type Config } from '../config';
import { AppError } from '../errors';
import { isTinyAvailable } from '../local/tiny';
import { createLocalArcModel } from './local/arcModel';
import { createLocalTinyModel } from './local/tinyModel';
import { withResilience } from './resilience';

export const PROVIDERS = ['openai', 'xai', 'openrouter', 'compatible', 'local'] as const;
export type ProviderId = (typeof PROVIDERS)[number];

export interface ModelInfo {
  id: string;
  label: string;
  provider: ProviderId;
  configured: boolean;
  /** The variable to set when the provider is not configured. */
  missingEnv?: string;
}

interface ProviderSpec {
  label: string;
  keyVar: keyof Config | null;
  baseUrlVar: keyof Config | null;
  /** Models offered when MODELS does not list any. */
  suggested: string[] | (() => string[]);
  create(config: Config, modelId: string): LanguageModel;
}

const PROVIDER_SPECS: Record<ProviderId, ProviderSpec> = {
  openai: {
    label: 'OpenAI',
    keyVar: 'OPENAI_API_KEY',
    baseUrlVar: 'OPENAI_BASE_URL',
    suggested: ['gpt-4.1-mini', 'gpt-5-mini'],
    create(config, modelId) {
      const provider = createOpenAI({ apiKey: config.OPENAI_API_KEY, baseURL: config.OPENAI_BASE_URL });
      return config.OPENAI_API_STYLE === 'chat' ? provider.chat(modelId) : provider.responses(modelId);
    },
  },
  xai: {
    label: 'xAI',
    keyVar: 'XAI_API_KEY',
    baseUrlVar: 'XAI_BASE_URL',
    suggested: ['grok-4-fast', 'grok-3-mini'],
    create: (config, modelId) => createXai({ apiKey: config.XAI_API_KEY, baseURL: config.XAI_BASE_URL })(modelId),
  },
  openrouter: {
    label: 'OpenRouter',
    keyVar: 'OPENROUTER_API_KEY',
    baseUrlVar: 'OPENROUTER_BASE_URL',
    suggested: ['openai/gpt-4.1-mini', 'deepseek/deepseek-r1'],
    create: (config, modelId) =>
      createOpenRouter({ apiKey: config.OPENROUTER_API_KEY, baseURL: config.OPENROUTER_BASE_URL }).chat(modelId),
  },
  compatible: {
    label: 'OpenAI-compatible',
    keyVar: null,
    baseUrlVar: 'OPENAI_COMPATIBLE_BASE_URL',
    suggested: [],
    create: (config, modelId) =>
      createOpenAICompatible({
        name: 'compatible',
        baseURL: config.OPENAI_COMPATIBLE_BASE_URL!,
        apiKey: config.OPENAI_COMPATIBLE_API_KEY,
        includeUsage: true,
      })(modelId),
  },
  local: {
    label: 'Local',
    keyVar: null,
    baseUrlVar: null,
    // local:tiny is offered only when its weights are there (they are large files, committed apart from the code).
    suggested: () => (isTinyAvailable() ? ['tiny', 'arc'] : ['arc']),
    create(config, modelId) {
      if (modelId === 'tiny') {
        if (!isTinyAvailable()) throw new AppError('bad_request:model', 'local:tiny weights missing: the model cannot run on this server.');
        return createLocalTinyModel({ defaultMaxTokens: config.LOCAL_TINY_MAX_TOKENS, defaultTemperature: config.LOCAL_TINY_TEMPERATURE });
      }
      if (modelId === 'arc') {
        return createLocalArcModel({ tokensPerSecond: config.LOCAL_ARC_TOKENS_PER_SECOND, searchBudgetMs: config.LOCAL_ARC_SEARCH_BUDGET_MS });
      }
      throw new AppError('bad_request:model', `Unknown local model "${modelId}". Local models: tiny, arc.`);
    },
  },
};

/** The variable that must be set before `provider` can be called, or undefined if none is missing. */
function missingVariable(provider: ProviderId, config: Config): string | undefined {
  const spec = PROVIDER_SPECS[provider];
  if (spec.keyVar && !config[spec.keyVar]) return spec.keyVar;
  if (provider === 'compatible' && !config.OPENAI_COMPATIBLE_BASE_URL) return 'OPENAI_COMPATIBLE_BASE_URL';
  return undefined;
}

function splitModelId(id: string): { provider: ProviderId; modelId: string } {
  const separator = id.indexOf(':');
  const provider = id.slice(0, separator);
  if (!(PROVIDERS as readonly string[]).includes(provider)) {
    throw new AppError('bad_request:model', `Unknown provider "${provider}". Use one of: ${PROVIDERS.join(', ')}.`);
  }
  return { provider: provider as ProviderId, modelId: id.slice(separator + 1) };
}

/**
 * Resolves a model id to a language model. Throws `bad_request:model` for an unknown provider
 * and `bad_request:config` naming the variable to set when the provider is not configured.
 */
export function resolveLanguageModel(id: string, config: Config = getConfig()): LanguageModel {
  const { provider, modelId } = splitModelId(id);
  const missing = missingVariable(provider, config);
  if (missing) {
    throw new AppError('bad_request:config', `${PROVIDER_SPECS[provider].label} is not configured: set ${missing} on the server.`);
  }
  // Hosted providers get retries, a circuit breaker, timeouts and the non-streaming fallback; local models come back as they are.
  return withResilience(PROVIDER_SPECS[provider].create(config, modelId), { provider, label: PROVIDER_SPECS[provider].label, config });
}

function suggestedModels(provider: ProviderId): string[] {
  const suggested = PROVIDER_SPECS[provider].suggested;
  return typeof suggested === 'function' ? suggested() : suggested;
}

/** MODELS' entries: concrete ids (listed in the picker) and patterns ending in `*` (accepted, not listed). */
function modelsEntries(config: Config): { ids: string[]; patterns: string[] } {
  const entries = (config.MODELS ?? '').split(',').map((id) => id.trim()).filter(Boolean);
  return { ids: entries.filter((entry) => !entry.endsWith('*')), patterns: entries.filter((entry) => entry.endsWith('*')).map((entry) => entry.slice(0, -1)) };
}

/** The ids offered by name: MODELS' concrete ids, or a few per provider when it names none. */
function offeredIds(config: Config): string[] {
  const { ids } = modelsEntries(config);
  return ids.length > 0 ? ids : PROVIDERS.flatMap((provider) => suggestedModels(provider).map((model) => `${provider}:${model}`));
}

/**
 * Whether the server offers this model: one the picker lists, or one a MODELS pattern
 * (`openrouter:*`) matches. Nothing else is run, so a user cannot call models the operator never
 * offered (a costly one on the operator's key).
 */
export function isOfferedModel(id: string, config: Config = getConfig()): boolean {
  if (offeredIds(config).includes(id)) return true;
  return modelsEntries(config).patterns.some((prefix) => id.startsWith(prefix) && id.length > prefix.length && prefix.includes(':'));
}

/**
 * Throws `bad_request:model` (400) when the server does not offer the model: naming the providers
 * there are for an unknown one, else with a field error on `path`.
 */
export function assertOfferedModel(id: string, { path = 'input.model', config = getConfig() }: { path?: string; config?: Config } = {}): void {
  splitModelId(id); // an unknown provider is named as such
  if (isOfferedModel(id, config)) return;
  const message = `The model "${id}" is not offered on this server (GET /api/models lists those that are; the operator sets them with MODELS).`;
  throw new AppError('bad_request:model', message, { fieldErrors: [{ path, message: 'Choose one of the models this server offers.' }] });
}

/** The models offered in the picker: MODELS' ids when it names any, otherwise a few per provider. */
export function listModels(config: Config = getConfig()): ModelInfo[] {
  const ids = offeredIds(config);
  return ids.flatMap((id) => {
    if (!modelIdSchema.safeParse(id).success) return [];
    const { provider, modelId } = splitModelId(id);
    const missing = missingVariable(provider, config);
    return [{ id, label: `${modelId} · ${PROVIDER_SPECS[provider].label}`, provider, configured: !missing, ...(missing ? { missingEnv: missing } : {}) }];
  });
}

/**
 * The first configured hosted model. When no provider is configured: for text (the chat
 * console) the first local model offered, `local:tiny` when its weights are present; for ARC
 * work (Grover, Saturn, analysis) the embedded `local:arc` if offered.
 */
export function defaultModelId(config: Config = getConfig(), purpose: 'text' | 'arc' = 'text'): string | null {
  const configured = listModels(config).filter((model) => model.configured);
  const hosted = configured.find((model) => model.provider !== 'local');
  if (hosted) return hosted.id;
  if (purpose === 'arc') return (configured.find((model) => model.id === 'local:arc') ?? configured[0])?.id ?? null;
  return configured[0]?.id ?? null;
}

/** Whether a model id names an embedded model (no key, no network). */
export function isLocalModel(id: string): boolean {
  return id.startsWith('local:');
}
