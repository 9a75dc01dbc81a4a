/**
 * Server-sent events read over `fetch`.
 *
 * The server names each event after its kind (`event: reason_card`), and a
 * browser EventSource only delivers named events to listeners registered for
 * that exact name, which the client cannot know in advance. Reading the
 * stream with fetch delivers every frame, sends Jupyter's auth header like
 * any other API call, and resumes with `Last-Event-ID` after a drop.
 */

/** One complete SSE frame. Comment-only frames (heartbeats) are skipped. */
export interface ISSEFrame {
  id: string;
  event: string;
  data: string;
}

/**
 * Incremental parser for the `text/event-stream` format: feed it decoded
 * chunks of any size, get back the frames they complete.
 */
export class SSEParser {
  /** Parse `chunk`; a frame split across chunks is returned when its end arrives. */
  push(chunk: string): ISSEFrame[] {
    this._buffer += chunk;
    const frames: ISSEFrame[] = [];
    // Frames end with a blank line; accept \n, \r\n and \r line endings.
    const parts = this._buffer.split(/\r\n\r\n|\n\n|\r\r/);
    this._buffer = parts.pop() ?? '';
    for (const part of parts) {
      const frame = this._parseFrame(part);
      if (frame) {
        frames.push(frame);
      }
    }
    return frames;
  }

  /** The id of the last frame that carried one, for `Last-Event-ID`. */
  get lastEventId(): string {
    return this._lastEventId;
  }

  private _parseFrame(block: string): ISSEFrame | null {
    const data: string[] = [];
    let event = 'message';
    for (const line of block.split(/\r\n|\n|\r/)) {
      if (!line || line.startsWith(':')) {
        continue;
      }
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      let value = colon === -1 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) {
        value = value.slice(1);
      }
      if (field === 'data') {
        data.push(value);
      } else if (field === 'event') {
        event = value;
      } else if (field === 'id' && !value.includes('\0')) {
        this._lastEventId = value;
      }
    }
    if (data.length === 0) {
      return null;
    }
    return { id: this._lastEventId, event, data: data.join('\n') };
  }

  private _buffer = '';
  private _lastEventId = '';
}

/** How a stream opens one HTTP connection; injected so tests need no server. */
export type StreamFetcher = (
  headers: Record<string, string>,
  signal: AbortSignal
) => Promise<Response>;

/**
 * A self-reconnecting event stream. Stops for good on dispose, and on an
 * HTTP error answer (4xx/5xx), which retrying would not fix.
 */
export class EventStream {
  constructor(
    private _fetch: StreamFetcher,
    private _onFrame: (frame: ISSEFrame) => void,
    private _onError: (message: string) => void,
    private _retryMs = 2000
  ) {
    void this._run();
  }

  get isDisposed(): boolean {
    return this._controller.signal.aborted;
  }

  dispose(): void {
    this._controller.abort();
  }

  private async _run(): Promise<void> {
    const parser = new SSEParser();
    while (!this.isDisposed) {
      const headers: Record<string, string> = { Accept: 'text/event-stream' };
      if (parser.lastEventId) {
        headers['Last-Event-ID'] = parser.lastEventId;
      }
      try {
        const response = await this._fetch(headers, this._controller.signal);
        if (!response.ok || !response.body) {
          this._onError(await failureMessage(response));
          return;
        }
        await this._read(response.body, parser);
      } catch (error) {
        if (this.isDisposed) {
          return;
        }
        // Network drop: fall through and reconnect from the last id.
      }
      await delay(this._retryMs, this._controller.signal);
    }
  }

  private async _read(body: ReadableStream<Uint8Array>, parser: SSEParser): Promise<void> {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done || this.isDisposed) {
          return;
        }
        for (const frame of parser.push(decoder.decode(value, { stream: true }))) {
          this._onFrame(frame);
        }
      }
    } finally {
      reader.releaseLock();
    }
  }

  private _controller = new AbortController();
}

async function failureMessage(response: Response): Promise<string> {
  try {
    const body = await response.json();
    if (typeof body?.error?.message === 'string') {
      return body.error.message;
    }
  } catch {
    // Not JSON: fall back to the status line.
  }
  return `event stream failed: HTTP ${response.status}`;
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise(resolve => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
