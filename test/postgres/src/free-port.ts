import { createServer } from 'node:net';

/**
 * Asks the kernel for a free loopback port. PostgreSQL cannot listen on port 0 itself, so there
 * is a small window in which another process could take the port: callers retry on EADDRINUSE.
 */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('could not read the allocated port'));
        return;
      }
      server.close(() => resolve(address.port));
    });
  });
}
