/**
 * The library of cross-functional risk rules (see risk-engine.ts for how they run).
 */
import type { RiskRule } from './risk-engine.js';

export const RISK_RULES: RiskRule[] = [];
