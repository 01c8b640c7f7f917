// A real HTTP server whose answers a test scripts route by route, for the states a correct BFF
// will not produce on demand (contract violations, 5xx pages, expired tokens).
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

export interface ScriptedAnswer {
  status: number;
  body: unknown;
  /** Send this raw text instead of JSON. */
  raw?: string;
}

type Route = (request: RecordedRequest) => ScriptedAnswer;

export interface ScriptedServer {
  url: string;
  requests: RecordedRequest[];
  /** Answers `METHOD /path` (path without query); later calls replace earlier ones. */
  on(route: string, answer: Route | ScriptedAnswer | ScriptedAnswer[]): void;
  close(): Promise<void>;
}

export async function startScriptedServer(): Promise<ScriptedServer> {
  const routes = new Map<string, Route>();
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        // keep the text
      }
      const url = new URL(req.url ?? '/', 'http://localhost');
      const recorded: RecordedRequest = { method: req.method ?? 'GET', path: `${url.pathname}${url.search}`, headers: req.headers, body };
      requests.push(recorded);
      const route = routes.get(`${recorded.method} ${url.pathname}`);
      const answer = route ? route(recorded) : { status: 404, body: { error: { code: 'NOT_FOUND', message: 'no route' } } };
      res.writeHead(answer.status, { 'Content-Type': answer.raw === undefined ? 'application/json' : 'text/html' });
      res.end(answer.raw ?? JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    on(route, answer) {
      if (typeof answer === 'function') routes.set(route, answer);
      else if (Array.isArray(answer)) {
        const queue = [...answer];
        routes.set(route, () => (queue.length > 1 ? queue.shift() : queue[0]) as ScriptedAnswer);
      } else routes.set(route, () => answer);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
