import { posix } from 'node:path';
import { strictlyInside } from '../lib/inside.js';
import { hasWildcard, matchComponent } from '../shell/glob.js';

/**
 * Where `rm -rf` is routine: directories a build, a test run or a package manager
 * recreates, inside the project; and the system temp dirs. Everything else (the
 * project's sources, the project itself, anything outside it, `/`, `~`) is gated.
 */
export const BUILD_DIRS: ReadonlySet<string> = new Set([
  'node_modules', 'dist', 'build', 'out', 'coverage', '.cache', 'tmp', 'temp', '.tmp', 'target',
  '.next', '.nuxt', '.turbo', '.parcel-cache', '.vite', '.svelte-kit', '.angular', '.expo', '.docusaurus',
  '__pycache__', '.pytest_cache', '.mypy_cache', '.ruff_cache', '.tox', '.nox', '.venv', '.gradle',
  '.nyc_output', '.eslintcache', 'storybook-static', '.dart_tool', '.serverless', '.terraform', 'htmlcov',
]);

/** Never routine, even below a build dir: the repository itself. */
const NEVER = new Set(['.git']);

export interface Places {
  readonly projectRoot: string;
  readonly home: string;
  readonly tempDirs: readonly string[];
}

/**
 * Inside the project, only build dirs count, even when the project itself lives in
 * /tmp. Outside it, strictly below a temp dir counts, unless the path holds the
 * project or the home dir (a sandbox's HOME under /tmp is still a home).
 */
export function isBuildPath(path: string, places: Places): boolean {
  const { projectRoot, home, tempDirs } = places;
  if (path !== projectRoot && !strictlyInside(path, projectRoot)) {
    if (strictlyInside(projectRoot, path) || path === home || strictlyInside(home, path)) return false;
    return tempDirs.some((tmp) => strictlyInside(path, tmp));
  }
  if (!strictlyInside(path, projectRoot)) return false;
  const parts = posix.relative(projectRoot, path).split('/');
  if (parts.some((p) => NEVER.has(p))) return false;
  return parts.some((p) => BUILD_DIRS.has(p) || p.endsWith('.egg-info'));
}

/**
 * A glob is routine when the literal directory it starts from is a build dir: `dist/*`
 * cannot reach outside `dist`. A wildcard in a component above the build dir
 * (`*\/dist`) or a `..` could, so those are not.
 */
export function isBuildPattern(pattern: string, places: Places): boolean {
  const parts = pattern.split('/');
  if (parts.includes('..')) return false;
  const firstWild = parts.findIndex((p) => hasWildcard(p));
  if (firstWild === -1) return isBuildPath(pattern, places);
  const prefix = parts.slice(0, firstWild).join('/') || '/';
  return isBuildPath(prefix, places) && !parts.slice(firstWild).some((p) => NEVER.has(p) || matchComponent(p, '.git'));
}
