import { createInterface } from 'node:readline';

/** The first line of `stream` that starts with `prefix` (a child's startup line, e.g. DATABASE_URL=…). */
export async function firstLine(stream: NodeJS.ReadableStream, prefix: string): Promise<string> {
  const lines = createInterface({ input: stream });
  for await (const line of lines) {
    if (line.startsWith(prefix)) {
      lines.close();
      return line;
    }
  }
  throw new Error(`stream ended before a line starting with ${prefix}`);
}
