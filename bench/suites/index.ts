// Every benchmark suite, in the order `npm run bench` runs them.
import type { Suite } from '../suite.js';
import { cryptoSuite } from './crypto.js';
import { openDossierSuite } from './open-dossier.js';
import { openReceiveSuite } from './open-receive.js';
import { piiSuite } from './pii.js';
import { hulpvragenListSuite } from './hulpvragen-list.js';
import { storageSuite } from './storage.js';
import { relaySuite } from './relay.js';
import { relayTypingSuite } from './relay-typing.js';
import { relaySwvSuite } from './relay-swv.js';
import { rotationSuite } from './rotation.js';
import { screensSuite } from './screens.js';
import { swvScaleSuite } from './swv-scale.js';

export const suites: readonly Suite[] = [
  relaySuite,
  relayTypingSuite,
  relaySwvSuite,
  cryptoSuite,
  openDossierSuite,
  openReceiveSuite,
  hulpvragenListSuite,
  storageSuite,
  piiSuite,
  rotationSuite,
  screensSuite,
  swvScaleSuite,
];
