import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export interface H5ServerOptions {
  /** dist/h5 */
  root: string;
  /** Upstream for /api/* and /images/* (the BFF). */
  bffUrl: string;
  /** Upstream for /cashier* and /__emulator/* (the WeChat Pay emulator; development only). */
  emulatorUrl: string;
}

export interface RunningH5Server {
  url: string;
  server: Server;
  close(): Promise<void>;
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/**
 * A tiny dev/e2e server for the H5 build: static files with SPA fallback (browser-mode router),
 * and a same-origin proxy to the BFF and the emulator so the H5 bundle needs no CORS and no ports.
 */
export function createH5Server({ root, bffUrl, emulatorUrl }: H5ServerOptions): Server {
  const rootDir = path.resolve(root);
  const upstreamFor = (pathname: string): string | null => {
    // The BFF's own product images come from the same host as the API.
    if (pathname === '/api' || pathname.startsWith('/api/') || pathname.startsWith('/images/')) return bffUrl;
    if (pathname === '/cashier' || pathname.startsWith('/cashier/') || pathname.startsWith('/__emulator')) return emulatorUrl;
    return null;
  };

  return createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const upstream = upstreamFor(url.pathname);
    if (upstream !== null) {
      proxy(req, res, new URL(`${url.pathname}${url.search}`, upstream));
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    let file: string;
    try {
      file = path.resolve(rootDir, `.${decodeURIComponent(url.pathname)}`);
    } catch {
      res.writeHead(400).end();
      return;
    }
    // Never serve outside the root; anything that is not a file is a client route.
    const isFile = file.startsWith(rootDir + path.sep) && existsSync(file) && statSync(file).isFile();
    const target = isFile ? file : path.join(rootDir, 'index.html');
    if (!existsSync(target)) {
      res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' }).end('dist/h5 is missing: run the build first\n');
      return;
    }
    const ext = path.extname(target);
    res.writeHead(200, {
      'Content-Type': contentTypes[ext] ?? 'application/octet-stream',
      // Hashed assets can be cached forever; index.html must always be fresh.
      'Cache-Control': ext === '.html' ? 'no-cache' : 'public, max-age=31536000, immutable',
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(target).pipe(res);
  });
}

function proxy(req: IncomingMessage, res: ServerResponse, target: URL) {
  const upstream = httpRequest(
    target,
    { method: req.method, headers: { ...req.headers, host: target.host, 'x-forwarded-for': req.socket.remoteAddress ?? '' } },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.on('error', () => {
    if (!res.headersSent) res.writeHead(502, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ error: { code: 'PAYMENT_PROVIDER_UNAVAILABLE', message: `upstream ${target.origin} unreachable` } }));
  });
  req.pipe(upstream);
}

export async function listenH5Server(options: H5ServerOptions, port: number, host: string): Promise<RunningH5Server> {
  const server = createH5Server(options);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host}:${address.port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
