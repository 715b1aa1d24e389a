/**
 * One circuit breaker per hosted provider (cockatiel's `ConsecutiveBreaker`): after
 * `failureThreshold` consecutive outage failures (see `classify.ts`) the circuit opens and calls
 * fail fast with `provider:circuit_open`; after `halfOpenAfterMs` one probe call is let through
 * (others wait for its outcome), and its success closes the circuit, its failure opens it again.
 * Embedded `local:` models never get one.
 *
 * The process-wide registry lives on `globalThis` (route modules may be bundled apart and dev
 * reloads modules); {@link getCircuitStates} reports it for the health endpoint.
 */
import {
  CircuitState,
  circuitBreaker,
  ConsecutiveBreaker,
  handleWhen,
  type CircuitBreakerPolicy,
} from 'cockatiel';
import { getConfig, type Config } from '../../config';
import { countsAsOutage } from './classify';

export const HOSTED_PROVIDERS = ['openai', 'xai', 'openrouter', 'compatible'] as const;
export type HostedProvider = (typeof HOSTED_PROVIDERS)[number];

/** A provider's circuit as the health endpoint shows it. Times are epoch milliseconds. */
export interface CircuitStatus {
  provider: HostedProvider;
  state: 'closed' | 'open' | 'half-open';
  /** Consecutive outage failures counted so far. */
  failures: number;
  /** When the circuit last opened (while open or half-open). */
  openedAt?: number;
  /** When a probe call will be let through (while open or half-open). */
  retryAt?: number;
}

export interface CircuitSettings {
  failureThreshold: number;
  halfOpenAfterMs: number;
}

/** The circuits of a set of providers. */
export interface CircuitRegistry {
  readonly settings: CircuitSettings;
  /** The breaker of `provider`, created closed on first use. */
  breakerFor(provider: HostedProvider): CircuitBreakerPolicy;
  /** The status of `provider`'s circuit. */
  status(provider: HostedProvider): CircuitStatus;
  /** The status of every hosted provider's circuit, in {@link HOSTED_PROVIDERS} order. */
  states(): CircuitStatus[];
}

interface Circuit {
  policy: CircuitBreakerPolicy;
  breaker: ConsecutiveBreaker;
  openedAt?: number;
}

const STATE_NAMES: Record<CircuitState, CircuitStatus['state']> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Isolated]: 'open',
};

/** A registry of closed circuits with the given settings (tests make their own). */
export function createCircuitRegistry(settings: CircuitSettings): CircuitRegistry {
  const circuits = new Map<HostedProvider, Circuit>();

  function circuitFor(provider: HostedProvider): Circuit {
    let circuit = circuits.get(provider);
    if (!circuit) {
      const breaker = new ConsecutiveBreaker(settings.failureThreshold);
      const policy = circuitBreaker(handleWhen(countsAsOutage), { halfOpenAfter: settings.halfOpenAfterMs, breaker });
      const created: Circuit = { policy, breaker };
      policy.onBreak(() => {
        created.openedAt = Date.now();
      });
      policy.onReset(() => {
        created.openedAt = undefined;
      });
      circuits.set(provider, created);
      circuit = created;
    }
    return circuit;
  }

  function status(provider: HostedProvider): CircuitStatus {
    const circuit = circuits.get(provider);
    if (!circuit) return { provider, state: 'closed', failures: 0 };
    const state = STATE_NAMES[circuit.policy.state];
    const failures = typeof circuit.breaker.state === 'number' ? circuit.breaker.state : 0;
    if (state === 'closed' || circuit.openedAt === undefined) return { provider, state, failures };
    return { provider, state, failures, openedAt: circuit.openedAt, retryAt: circuit.openedAt + settings.halfOpenAfterMs };
  }

  return {
    settings,
    breakerFor: (provider) => circuitFor(provider).policy,
    status,
    states: () => HOSTED_PROVIDERS.map(status),
  };
}

const REGISTRY_KEY = Symbol.for('streamconsole.circuits');
type GlobalWithCircuits = typeof globalThis & { [REGISTRY_KEY]?: CircuitRegistry };

/** The process-wide registry, created from the configuration on first use. */
export function getCircuitRegistry(config: Config = getConfig()): CircuitRegistry {
  const store = globalThis as GlobalWithCircuits;
  store[REGISTRY_KEY] ??= createCircuitRegistry({
    failureThreshold: config.CIRCUIT_FAILURE_THRESHOLD,
    halfOpenAfterMs: config.CIRCUIT_HALF_OPEN_AFTER_MS,
  });
  return store[REGISTRY_KEY];
}

/** The circuit of every hosted provider in this process (for the health endpoint). */
export function getCircuitStates(): CircuitStatus[] {
  return getCircuitRegistry().states();
}

/** Forgets the process-wide circuits (tests). */
export function resetCircuits(): void {
  delete (globalThis as GlobalWithCircuits)[REGISTRY_KEY];
}
