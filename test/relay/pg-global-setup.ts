// vitest globalSetup of the node project: one throwaway PostgreSQL cluster for
// the whole run (or KINDKLUIS_TEST_PG), handed to the tests with inject('pgUrl').
// Without PostgreSQL the run fails here with the command that installs it.
import type { TestProject } from 'vitest/node';
import { startPgCluster, type PgCluster } from './pg-cluster.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgUrl: string;
  }
}

let cluster: PgCluster | undefined;

export async function setup(project: TestProject): Promise<void> {
  cluster = await startPgCluster();
  project.provide('pgUrl', cluster.url);
}

export async function teardown(): Promise<void> {
  await cluster?.stop();
}
