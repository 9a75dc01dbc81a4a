/**
 * API errors and the shape checks every answer goes through.
 */

/** An API failure with the server's error code and message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** Build from a response body, preferring `{"error": {"code", "message"}}`. */
  static fromBody(status: number, body: unknown, statusText = ''): ApiError {
    const error = isRecord(body) && isRecord(body.error) ? body.error : null;
    if (error && typeof error.message === 'string') {
      const code = typeof error.code === 'string' ? error.code : `http_${status}`;
      return new ApiError(status, code, error.message);
    }
    const detail = typeof body === 'string' && body.length < 200 ? body : statusText;
    return new ApiError(status, `http_${status}`, `HTTP ${status} ${detail}`.trim());
  }
}

export function isRecord(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A readable one-line message for anything thrown. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    return error.status === 404 && error.code === 'http_404'
      ? 'This route is not available on the server (404).'
      : error.message;
  }
  if (error instanceof Error) {
    return error.message;
  }
  return String(error);
}

/**
 * Items of a list answer. Routes answer either a bare array or an object
 * holding the array under a key (`{"apps": [...]}`), both are accepted.
 */
export function unwrapList<T>(raw: unknown, key: string): T[] {
  if (Array.isArray(raw)) {
    return raw as T[];
  }
  if (isRecord(raw)) {
    for (const candidate of [key, 'items', 'results']) {
      if (Array.isArray(raw[candidate])) {
        return raw[candidate] as T[];
      }
    }
  }
  return [];
}
