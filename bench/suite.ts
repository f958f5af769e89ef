// What a benchmark suite is: a name for --only, a title for the report, and a
// run function that records rows and goals on the context.
import type { BenchContext } from './harness.js';

export interface Suite {
  readonly name: string;
  readonly title: string;
  run(ctx: BenchContext): Promise<void>;
}
