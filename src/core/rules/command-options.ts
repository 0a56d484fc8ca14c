import type { OptionSpec } from '../shell/options.js';

/**
 * Options that take a value, per command, so operands can be found behind them
 * (`kubectl -n prod delete`, `aws --profile p s3 rb`). Not exhaustive: an unknown long
 * option makes the next word a possible value, and matchers try both readings.
 */
const KUBECTL: OptionSpec = {
  short: 'nlofcsL',
  long: ['namespace', 'selector', 'output', 'filename', 'context', 'cluster', 'kubeconfig', 'user', 'server', 'token', 'container', 'field-selector', 'as', 'as-group', 'cache-dir', 'certificate-authority', 'client-certificate', 'client-key', 'request-timeout', 'template', 'timeout', 'kustomize'],
};
const DOCKER: OptionSpec = { short: 'Hcl', long: ['host', 'context', 'config', 'log-level', 'tlscacert', 'tlscert', 'tlskey'] };
const COMPOSE: OptionSpec = { short: 'fp', long: ['file', 'project-name', 'project-directory', 'profile', 'env-file', 'ansi', 'parallel', 'progress'] };
const NPM: OptionSpec = { short: 'wC', long: ['registry', 'otp', 'tag', 'workspace', 'userconfig', 'cache', 'prefix', 'filter', 'dir'] };
const TERRAFORM: OptionSpec = { singleDashLong: true, long: ['var', 'var-file', 'target', 'state', 'state-out', 'backup', 'replace', 'lock-timeout', 'parallelism'] };
const FLY: OptionSpec = { short: 'ac', long: ['app', 'config', 'access-token', 'org'] };

export const COMMAND_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  kubectl: KUBECTL,
  oc: KUBECTL,
  helm: { short: 'n', long: ['namespace', 'kube-context', 'kubeconfig', 'kube-apiserver', 'kube-token', 'registry-config', 'repository-cache', 'repository-config', 'timeout', 'description', 'cascade'] },
  aws: { long: ['profile', 'region', 'output', 'endpoint-url', 'query', 'color', 'ca-bundle', 'cli-read-timeout', 'cli-connect-timeout', 'cli-input-json', 'cli-input-yaml'] },
  gcloud: { long: ['project', 'account', 'configuration', 'format', 'zone', 'region', 'flatten', 'filter', 'impersonate-service-account', 'verbosity', 'billing-project', 'location'] },
  gsutil: { short: 'hopu' },
  az: { short: 'gno', long: ['subscription', 'resource-group', 'name', 'output', 'query', 'ids', 'location'] },
  gh: { short: 'R', long: ['repo', 'hostname'] },
  terraform: TERRAFORM,
  tofu: TERRAFORM,
  terragrunt: TERRAFORM,
  pulumi: { short: 'sCm', long: ['stack', 'cwd', 'config-file', 'target', 'message', 'exclude'] },
  cdk: { short: 'acp', long: ['app', 'context', 'profile', 'output', 'toolkit-stack-name', 'role-arn'] },
  cdktf: { short: 'a', long: ['app', 'output'] },
  docker: DOCKER,
  podman: DOCKER,
  'docker-compose': COMPOSE,
  npm: NPM,
  pnpm: NPM,
  yarn: NPM,
  vercel: { short: 'tSAQ', long: ['token', 'scope', 'cwd', 'team', 'global-config', 'local-config'] },
  fly: FLY,
  flyctl: FLY,
  heroku: { short: 'ar', long: ['app', 'remote', 'confirm'] },
  supabase: { short: 'p', long: ['workdir', 'db-url', 'profile', 'project-ref', 'password'] },
  'redis-cli': { short: 'hpsanurdi', long: ['user', 'pass', 'tls', 'cacert', 'sni'] },
  psql: { short: 'cdfhpUvoLTF', long: ['command', 'dbname', 'file', 'host', 'port', 'username', 'variable', 'set', 'output', 'log-file', 'table-attr', 'field-separator', 'record-separator', 'pset'] },
  mysql: { short: 'euhPDSC', long: ['execute', 'user', 'host', 'port', 'database', 'socket', 'defaults-file', 'defaults-extra-file', 'default-character-set', 'init-command', 'login-path'] },
  mongosh: { short: 'uph', long: ['eval', 'username', 'password', 'host', 'port', 'authenticationDatabase', 'file'] },
};
