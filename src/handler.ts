/**
 * HTTP and server-sent-event access to the agilab-lab server extension.
 */
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';
import type { IDisposable } from '@lumino/disposable';

import { ApiError } from './errors';
import { parseStreamEvent } from './feed';
import { EventStream } from './sse';
import type { IApiClient, IDaskClusterSource, IStreamEvent } from './tokens';

/** URL prefix of every route, relative to the server's base URL. */
const API_NAMESPACE = 'agilab-lab/api';

/**
 * Call the agilab-lab REST API.
 *
 * @param endpoint - path under `agilab-lab/api/`, e.g. `runs/abc`
 * @param init - fetch options; a JSON body needs no explicit content type
 * @param settings - server connection settings (defaults to the page's)
 * @returns the decoded JSON body, or `null` for an empty body
 * @throws {ApiError} for a network failure or a non-2xx answer, carrying the
 *   server's `{"error": {"code", "message"}}` when it sent one
 */
export function requestAPI<T>(
  endpoint = '',
  init: RequestInit = {},
  settings: ServerConnection.ISettings = ServerConnection.makeSettings()
): Promise<T> {
  return requestServer<T>(URLExt.join(API_NAMESPACE, endpoint), init, settings);
}

/**
 * Call any JSON route of the Jupyter server (agilab-lab's, dask-labextension's).
 *
 * @param path - path relative to the server's base URL, e.g. `dask/clusters`
 * @throws {ApiError} as {@link requestAPI} does
 */
export async function requestServer<T>(
  path: string,
  init: RequestInit = {},
  settings: ServerConnection.ISettings = ServerConnection.makeSettings()
): Promise<T> {
  const url = URLExt.join(settings.baseUrl, path);
  let response: Response;
  try {
    response = await ServerConnection.makeRequest(url, init, settings);
  } catch (error) {
    throw new ApiError(0, 'network', `Jupyter server unreachable: ${error}`);
  }
  const text = await response.text();
  let body: unknown = null;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  if (!response.ok) {
    throw ApiError.fromBody(response.status, body, response.statusText);
  }
  return body as T;
}

/**
 * Absolute URL of a GET endpoint for the browser to open directly (download
 * links). The browser sends the Jupyter login cookie with it; the token is
 * deliberately not put in the URL, where it would end up in history and logs.
 */
export function browserUrl(
  endpoint: string,
  settings: ServerConnection.ISettings = ServerConnection.makeSettings()
): string {
  return URLExt.join(settings.baseUrl, API_NAMESPACE, endpoint);
}

/** {@link IApiClient} over Jupyter's ServerConnection (requests and event streams). */
export class ServerApiClient implements IApiClient {
  constructor(private _settings: ServerConnection.ISettings = ServerConnection.makeSettings()) {}

  request<T>(endpoint: string, init: RequestInit = {}): Promise<T> {
    return requestAPI<T>(endpoint, init, this._settings);
  }

  url(endpoint: string): string {
    return browserUrl(endpoint, this._settings);
  }

  subscribe(
    endpoint: string,
    onEvent: (event: IStreamEvent) => void,
    onError?: (message: string) => void
  ): IDisposable {
    const url = URLExt.join(this._settings.baseUrl, API_NAMESPACE, endpoint);
    return new EventStream(
      (headers, signal) =>
        ServerConnection.makeRequest(url, { headers, signal, cache: 'no-store' }, this._settings),
      frame => {
        const event = parseStreamEvent(frame.data, frame.id);
        if (event) {
          onEvent(event);
        }
      },
      message => onError?.(message)
    );
  }
}

/** dask-labextension's cluster manager, over the same server connection. */
export class DaskLabextensionClient implements IDaskClusterSource {
  constructor(private _settings: ServerConnection.ISettings = ServerConnection.makeSettings()) {}

  listClusters(): Promise<unknown> {
    return requestServer<unknown>('dask/clusters', {}, this._settings);
  }
}
