import { basicsCheck, deliveryCheck } from './basics.js';
import type { Check } from './check.js';
import { claudeCodeCheck } from './claude-code.js';
import { keyScopeCheck } from './key-scope.js';
import { prePushCheck } from './pre-push.js';

/** Every check `theguard doctor` runs, in order. Add new ones here. */
export const CHECKS: readonly Check[] = [basicsCheck, deliveryCheck, keyScopeCheck, prePushCheck, claudeCodeCheck];
