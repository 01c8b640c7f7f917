import { createServer } from 'node:net';

/**
 * Asks the kernel for a free loopback port. Used when a process must keep the same port across a
 * restart (the emulator's stored notify_url points at it), which port 0 cannot give.
 */
export async function findFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('free port: server has no TCP address'));
        return;
      }
      const { port } = address;
      server.close(() => resolve(port));
    });
  });
}
