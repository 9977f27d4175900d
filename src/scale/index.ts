export { ScaleRefusedError, seedScale, type SeedScaleResult } from './seed-scale';
export { parseScaleArgs, resolveOptions, ScaleOptionsError, USAGE, type ScaleOptions, type ScaleOptionsInput } from './options';
export { stderrProgress, silentProgress, type Progress } from './progress';
export { formatSummary } from './summary';
export { SCALE_PASSWORD } from './tables/users';
