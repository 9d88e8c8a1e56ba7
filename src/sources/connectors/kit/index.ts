/**
 * The connector kit: what every connector needs the same way. Retry-After parsing, the
 * HTTP status -> error class table, zod mismatches -> SourceSchemaError, the
 * validation of a connector's sources.yaml block, and local midnight in a time zone.
 */
export { retryAfterMs } from './retry-after.js';
export {
  errorForStatus,
  errorOfKind,
  networkErrorCode,
  statusKind,
  type ErrorContext,
  type StatusKind,
} from './http-status.js';
export {
  defaultShapeWording,
  dottedPath,
  mismatchOf,
  parseShape,
  preview,
  shapeError,
  sourceSchemaError,
  type Mismatch,
  type ShapeSubject,
  type ShapeWording,
} from './schema-error.js';
export {
  SOURCES_FILE,
  baseUrlSetting,
  currencySetting,
  envVarSetting,
  parseSettings,
  settingsDocs,
  settingsError,
  timeZoneSetting,
} from './settings.js';
export { startOfDayMs } from './time-zone.js';
