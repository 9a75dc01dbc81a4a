/**
 * An in-memory {@link IApiClient}: answers from a route table, records every
 * request, and lets a test push events into open subscriptions.
 */
import type { IDisposable } from '@lumino/disposable';

import { ApiError } from '../errors';
import type { IApiClient, IStreamEvent } from '../tokens';

type Answer = unknown | ((body: unknown) => unknown);

export interface IRecordedRequest {
  method: string;
  endpoint: string;
  body: unknown;
}

export class FakeClient implements IApiClient {
  /** `"GET health"` -> answer (or a promise of it); an ApiError answer is thrown. */
  routes = new Map<string, Answer>();
  requests: IRecordedRequest[] = [];
  streams = new Map<string, { onEvent: (e: IStreamEvent) => void; disposed: boolean }>();

  on(method: string, endpoint: string, answer: Answer): this {
    this.routes.set(`${method} ${endpoint}`, answer);
    return this;
  }

  async request<T>(endpoint: string, init: RequestInit = {}): Promise<T> {
    const method = init.method ?? 'GET';
    const body = typeof init.body === 'string' ? JSON.parse(init.body) : undefined;
    this.requests.push({ method, endpoint, body });
    const key = `${method} ${endpoint}`;
    if (!this.routes.has(key)) {
      throw new ApiError(404, 'not_found', `no API route ${endpoint}`);
    }
    const answer = this.routes.get(key);
    const value = await (typeof answer === 'function'
      ? (answer as (b: unknown) => unknown)(body)
      : answer);
    if (value instanceof Error) {
      throw value;
    }
    return value as T;
  }

  subscribe(endpoint: string, onEvent: (event: IStreamEvent) => void): IDisposable {
    const stream = { onEvent, disposed: false };
    this.streams.set(endpoint, stream);
    return {
      get isDisposed() {
        return stream.disposed;
      },
      dispose() {
        stream.disposed = true;
      }
    };
  }

  url(endpoint: string): string {
    return `http://lab/agilab-lab/api/${endpoint}`;
  }

  /** Deliver an event to the open subscription of `endpoint`. */
  push(endpoint: string, event: IStreamEvent): void {
    const stream = this.streams.get(endpoint);
    if (!stream || stream.disposed) {
      throw new Error(`no open stream for ${endpoint}`);
    }
    stream.onEvent(event);
  }

  calls(method: string, endpoint: string): IRecordedRequest[] {
    return this.requests.filter(r => r.method === method && r.endpoint === endpoint);
  }
}

/** Let pending promise callbacks (fire-and-forget reloads) run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) {
    await Promise.resolve();
  }
}
