import type { Server } from 'node:http';

/** The line the bench waits for: `{"msg":"listening","url":…}` on stdout. */
export function announceListening(server: Server): void {
  const address = server.address();
  const port = address !== null && typeof address === 'object' ? address.port : 0;
  process.stdout.write(`${JSON.stringify({ msg: 'listening', url: `http://127.0.0.1:${String(port)}` })}\n`);
}
