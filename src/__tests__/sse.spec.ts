import { EventStream, ISSEFrame, SSEParser } from '../sse';

describe('SSEParser', () => {
  it('parses named events with ids, across chunk boundaries', () => {
    const parser = new SSEParser();
    expect(parser.push('id: 3\nevent: reason_card\ndata: {"a"')).toEqual([]);
    const frames = parser.push(': 1}\n\nid: 4\ndata: x\n\n');
    expect(frames).toEqual([
      { id: '3', event: 'reason_card', data: '{"a": 1}' },
      { id: '4', event: 'message', data: 'x' }
    ]);
    expect(parser.lastEventId).toBe('4');
  });

  it('skips heartbeat comments and joins multi-line data', () => {
    const parser = new SSEParser();
    const frames = parser.push(': heartbeat\n\ndata: one\r\ndata: two\r\n\r\n');
    expect(frames).toEqual([{ id: '', event: 'message', data: 'one\ntwo' }]);
  });
});

/** A fetch Response streaming `chunks`, then ending. */
function streamResponse(chunks: string[]): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      chunks.forEach(chunk => controller.enqueue(encoder.encode(chunk)));
      controller.close();
    }
  });
  return new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
}

function waitFor(condition: () => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    let tries = 0;
    const check = () => {
      if (condition()) {
        resolve();
      } else if (++tries > 200) {
        reject(new Error('condition not met'));
      } else {
        setTimeout(check, 5);
      }
    };
    check();
  });
}

describe('EventStream', () => {
  it('delivers frames and resumes from the last id after the connection ends', async () => {
    const seenHeaders: Record<string, string>[] = [];
    const frames: ISSEFrame[] = [];
    const answers = [
      streamResponse(['id: 1\nevent: a\ndata: {}\n\n', 'id: 2\nevent: b\ndata: {}\n\n']),
      streamResponse(['id: 3\nevent: c\ndata: {}\n\n'])
    ];
    const stream = new EventStream(
      async headers => {
        seenHeaders.push(headers);
        return answers.shift() ?? new Promise<Response>(() => undefined);
      },
      frame => frames.push(frame),
      () => undefined,
      1
    );
    await waitFor(() => frames.length === 3);
    stream.dispose();
    expect(frames.map(f => f.event)).toEqual(['a', 'b', 'c']);
    expect(seenHeaders[0]['Last-Event-ID']).toBeUndefined();
    expect(seenHeaders[1]['Last-Event-ID']).toBe('2');
    expect(stream.isDisposed).toBe(true);
  });

  it('stops and reports the server message on an HTTP error', async () => {
    let calls = 0;
    const errors: string[] = [];
    new EventStream(
      async () => {
        calls++;
        return new Response(
          JSON.stringify({ error: { code: 'not_found', message: 'no project p1' } }),
          {
            status: 404
          }
        );
      },
      () => undefined,
      message => errors.push(message),
      1
    );
    await waitFor(() => errors.length === 1);
    await new Promise(resolve => setTimeout(resolve, 20));
    expect(errors).toEqual(['no project p1']);
    expect(calls).toBe(1);
  });
});
