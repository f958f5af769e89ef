// Worker threads do not inherit tsx's loader, so register it here before
// loading the TypeScript load generator.
import { register } from 'tsx/esm/api';

register();
await import('./load-worker.ts');
