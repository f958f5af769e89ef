// Public surface of the privacy checks (PII outside the leerling tab).
export { createPiiDetector, scanForPii, applyPiiFix, applyAllPiiFixes, PII_KINDS, PII_KIND_LABELS } from './detector.js';
export type { PiiDetector, PiiFinding, PiiKind, PrivacyLeerling, DetectorOptions } from './detector.js';
export { createIncrementalScanner, type IncrementalPiiScanner } from './incremental.js';
export { scopeNeedsPrivacyCheck } from './scope.js';
export { isValidBsn } from './bsn.js';
export { foldName } from './normalize.js';
export { privacyLeerlingFrom } from './from-leerling.js';
