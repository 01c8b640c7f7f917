/**
 * Collects what a reliability suite tried and what held, and prints it as one line at the end:
 * `[reliability:storm] tried: 1000 orders × 5 copies … | held: 1000 transitions, 5000/5000 SUCCESS`.
 */
export class SuiteSummary {
  private readonly tried: string[] = [];
  private readonly held: string[] = [];
  private readonly broke: string[] = [];

  constructor(readonly suite: string) {}

  try(what: string): void {
    this.tried.push(what);
  }

  hold(what: string): void {
    this.held.push(what);
  }

  /** Something that did not hold; the test asserting it fails too, this keeps it in the summary. */
  fail(what: string): void {
    this.broke.push(what);
  }

  line(): string {
    const parts = [`[${this.suite}] tried: ${this.tried.join('; ') || 'nothing'}`, `held: ${this.held.join('; ') || 'nothing'}`];
    if (this.broke.length > 0) parts.push(`BROKE: ${this.broke.join('; ')}`);
    return parts.join(' | ');
  }

  print(): void {
    process.stdout.write(`${this.line()}\n`);
  }
}
