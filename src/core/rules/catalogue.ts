import type { CatalogueRule } from './rule.js';

/**
 * The delete tier: operations that destroy data or infrastructure and cannot be undone.
 * Each needs a human's code. Pure data: docs/rules.md is this table in prose, and
 * test/decide-rules.test.ts checks the two agree.
 */
export const SQL_CLIENTS = ['psql', 'mysql', 'mariadb', 'sqlite3', 'sqlite', 'duckdb', 'sqlcmd', 'cockroach', 'clickhouse-client', 'clickhouse'] as const;

const BACKUP = 'Take a backup first (pg_dump, mysqldump, a snapshot), then ask the human to run it.';
const PLAN = 'Show the plan instead (`terraform plan -destroy`, `pulumi preview --destroy`, `cdk diff`) and let the human run the destroy.';
const TERRAFORM = ['terraform', 'tofu', 'terragrunt'];
const DOCKER = ['docker', 'podman'];
/** Every word npm runs as unpublish (its unique prefixes): npmSpellings('unpublish'), checked by a test. */
const NPM_UNPUBLISH = ['unp', 'unpu', 'unpub', 'unpubl', 'unpubli', 'unpublis', 'unpublish'];

export const CATALOGUE: readonly CatalogueRule[] = [
  // ---- databases
  { id: 'sql.drop', description: 'drops a database object (DROP TABLE, DROP DATABASE, ...)', tier: 'delete', alternative: BACKUP, commands: SQL_CLIENTS, match: { named: 'sql:drop' } },
  { id: 'sql.truncate', description: 'empties a table with TRUNCATE', tier: 'delete', alternative: BACKUP, commands: SQL_CLIENTS, match: { named: 'sql:truncate' } },
  { id: 'sql.delete-without-where', description: 'deletes every row of a table (DELETE without WHERE)', tier: 'delete', alternative: 'Add a WHERE clause that selects only the rows to delete, and check it with a SELECT first.', commands: SQL_CLIENTS, match: { named: 'sql:delete-without-where' } },
  { id: 'sql.alter-drop', description: 'drops a column or constraint (ALTER ... DROP)', tier: 'delete', alternative: BACKUP, commands: SQL_CLIENTS, match: { named: 'sql:alter-drop' } },
  { id: 'sql.unknown-input', description: 'runs SQL that theguard cannot read (a pipe, an unreadable or unknown file, a variable, a shell escape)', tier: 'delete', alternative: 'Pass the SQL in a readable file or with -c/-e so it can be checked, or let the human run it.', commands: SQL_CLIENTS, match: { named: 'sql:unknown' } },
  { id: 'db.dropdb', description: 'drops a whole PostgreSQL database (dropdb)', tier: 'delete', alternative: BACKUP, commands: ['dropdb'], match: { always: true } },
  { id: 'db.mysqladmin-drop', description: 'drops a whole MySQL database (mysqladmin drop)', tier: 'delete', alternative: BACKUP, commands: ['mysqladmin'], match: { operand: 'drop' } },
  { id: 'redis.flush', description: 'erases redis keys (FLUSHALL / FLUSHDB)', tier: 'delete', alternative: 'Delete only the keys you mean (SCAN with a MATCH pattern, then DEL/UNLINK), or use a separate database for tests.', commands: ['redis-cli', 'valkey-cli', 'keydb-cli'], match: { named: 'redis-flush' } },
  { id: 'mongo.drop', description: 'drops a MongoDB database or collection, or deletes every document', tier: 'delete', alternative: BACKUP, commands: ['mongosh', 'mongo'], match: { named: 'mongo-drop' } },

  // ---- infrastructure as code
  { id: 'terraform.destroy', description: 'destroys every resource in the Terraform state', tier: 'delete', alternative: PLAN, commands: TERRAFORM, match: { any: [{ sub: ['destroy'] }, { sub: ['run-all', 'destroy'] }, { sub: ['run', 'destroy'] }, { sub: ['destroy-all'] }] } },
  { id: 'terraform.apply-destroy', description: 'destroys every resource in the Terraform state (apply -destroy)', tier: 'delete', alternative: PLAN, commands: TERRAFORM, match: { all: [{ any: [{ sub: ['apply'] }, { sub: ['run-all', 'apply'] }, { sub: ['run', 'apply'] }, { sub: ['apply-all'] }] }, { option: ['-destroy', '--destroy'] }] } },
  // A saved plan is binary: `terraform apply d.plan` cannot be read without terraform, so the destroy is gated where the plan is made.
  { id: 'terraform.plan-destroy-out', description: 'saves a plan that destroys every resource when it is applied (plan -destroy -out)', tier: 'delete', alternative: 'Run `terraform plan -destroy` without -out to show what would go, and let the human save and apply the plan.', commands: TERRAFORM, match: { all: [{ any: [{ sub: ['plan'] }, { sub: ['run-all', 'plan'] }, { sub: ['run', 'plan'] }, { sub: ['plan-all'] }] }, { option: ['-destroy', '--destroy'] }, { option: ['-out', '--out'] }] }, keywords: ['-destroy', '--destroy'] },
  { id: 'terraform.state-rm', description: 'removes resources from the Terraform state, which then forgets them (state rm)', tier: 'delete', alternative: 'Back the state up first (`terraform state pull > backup.tfstate`), and let the human remove the resources.', commands: TERRAFORM, match: { sub: ['state', 'rm'] } },
  { id: 'terraform.workspace-delete', description: 'deletes a Terraform workspace and its state', tier: 'delete', alternative: 'Back the state up first (`terraform state pull > backup.tfstate`), and let the human delete the workspace.', commands: TERRAFORM, match: { sub: ['workspace', 'delete'] } },
  { id: 'pulumi.destroy', description: 'destroys every resource in a Pulumi stack', tier: 'delete', alternative: PLAN, commands: ['pulumi'], match: { any: [{ sub: ['destroy'] }, { sub: ['down'] }] } },
  { id: 'pulumi.stack-rm', description: 'removes a Pulumi stack and its state', tier: 'delete', alternative: 'Export the stack first (`pulumi stack export`), then let the human remove it.', commands: ['pulumi'], match: { sub: ['stack', /^(rm|remove)$/] }, keywords: ['rm', 'remove'] },
  { id: 'cdk.destroy', description: 'destroys a CDK stack', tier: 'delete', alternative: PLAN, commands: ['cdk', 'cdktf'], match: { sub: ['destroy'] } },

  // ---- clusters and containers
  { id: 'kubectl.delete', description: 'deletes Kubernetes resources', tier: 'delete', alternative: 'Scale down or use `kubectl delete --dry-run=client -o yaml` to show what would go, and let the human delete it.', commands: ['kubectl', 'oc'], match: { sub: ['delete'] } },
  { id: 'kubectl.replace-force', description: 'deletes and recreates Kubernetes resources (replace --force)', tier: 'delete', alternative: 'Use `kubectl apply` to change the resources in place, or let the human replace them.', commands: ['kubectl', 'oc'], match: { all: [{ sub: ['replace'] }, { option: ['--force'] }] }, keywords: ['--force'] },
  { id: 'kubectl.apply-prune', description: 'deletes every resource the applied files no longer list (apply --prune)', tier: 'delete', alternative: 'Run `kubectl apply --prune --dry-run=server` to show what would go, and let the human run it.', commands: ['kubectl', 'oc'], match: { all: [{ sub: ['apply'] }, { option: ['--prune'] }] }, keywords: ['--prune'] },
  { id: 'helm.uninstall', description: 'uninstalls a Helm release and its resources', tier: 'delete', alternative: 'Use `helm uninstall --dry-run` to show what would go, and let the human run it.', commands: ['helm'], match: { sub: [/^(uninstall|delete|del|un)$/] }, keywords: ['uninstall', 'delete', 'del', 'un'] },
  { id: 'docker.volume-prune', description: 'deletes every unused Docker volume (and the data in it)', tier: 'delete', alternative: 'Remove the one volume you mean with `docker volume rm NAME`, after checking `docker volume ls`.', commands: DOCKER, match: { sub: ['volume', 'prune'] } },
  { id: 'docker.system-prune', description: 'deletes unused Docker containers, networks, images and (with --volumes) volumes', tier: 'delete', alternative: 'Prune only what you mean: `docker image prune` or `docker container prune`.', commands: DOCKER, match: { sub: ['system', 'prune'] } },
  { id: 'docker.compose-down-volumes', description: "deletes a Compose project's volumes with its containers (down -v)", tier: 'delete', alternative: 'Run `docker compose down` without -v: the containers go, the data stays.', commands: [...DOCKER, 'docker-compose', 'podman-compose'], match: { named: 'compose-down-volumes' }, keywords: ['down'] },

  // ---- clouds
  { id: 'aws.s3-rb', description: 'removes an S3 bucket', tier: 'delete', alternative: 'Let the human remove the bucket; check it with `aws s3 ls` first.', commands: ['aws'], match: { sub: ['s3', 'rb'] } },
  { id: 'aws.s3-rm-recursive', description: 'deletes every object under an S3 prefix', tier: 'delete', alternative: 'Run it with --dryrun first to list what would go, and let the human run it.', commands: ['aws'], match: { all: [{ sub: ['s3', 'rm'] }, { option: ['--recursive'] }] } },
  { id: 'aws.ec2-delete', description: 'terminates EC2 instances or deletes EC2 resources', tier: 'delete', alternative: 'Stop instances instead of terminating them, or let the human run it.', commands: ['aws'], match: { sub: ['ec2', /^(delete-|terminate-instances$)/] }, keywords: ['delete-*', 'terminate-instances'] },
  { id: 'aws.rds-delete', description: 'deletes an RDS database, cluster or snapshot', tier: 'delete', alternative: 'Take a final snapshot first, or stop the instance instead.', commands: ['aws'], match: { sub: ['rds', /^delete-/] }, keywords: ['delete-*'] },
  { id: 'aws.cloudformation-delete', description: 'deletes a CloudFormation stack and its resources', tier: 'delete', alternative: 'Let the human delete the stack; enable termination protection meanwhile.', commands: ['aws'], match: { sub: ['cloudformation', /^delete-/] }, keywords: ['delete-*'] },
  { id: 'aws.s3api-delete-bucket', description: 'deletes an S3 bucket through the S3 API', tier: 'delete', alternative: 'Let the human remove the bucket.', commands: ['aws'], match: { sub: ['s3api', 'delete-bucket'] } },
  { id: 'aws.dynamodb-delete-table', description: 'deletes a DynamoDB table', tier: 'delete', alternative: 'Create an on-demand backup first, and let the human delete the table.', commands: ['aws'], match: { sub: ['dynamodb', 'delete-table'] } },
  { id: 'gcloud.delete', description: 'deletes a Google Cloud resource', tier: 'delete', alternative: 'Let the human delete it; use `describe` or `list` to show what it is.', commands: ['gcloud'], match: { operand: 'delete' } },
  { id: 'gcloud.storage-rm-recursive', description: 'deletes every object under a Cloud Storage prefix', tier: 'delete', alternative: 'List the objects first (`gcloud storage ls`), and let the human delete them.', commands: ['gcloud'], match: { all: [{ operand: 'storage' }, { operand: 'rm' }, { option: ['-r', '-R', '--recursive'] }] } },
  { id: 'gsutil.rb', description: 'removes a Cloud Storage bucket', tier: 'delete', alternative: 'Let the human remove the bucket.', commands: ['gsutil'], match: { sub: ['rb'] } },
  { id: 'gsutil.rm-recursive', description: 'deletes every object under a Cloud Storage prefix', tier: 'delete', alternative: 'List the objects first (`gsutil ls`), and let the human delete them.', commands: ['gsutil'], match: { all: [{ sub: ['rm'] }, { option: ['-r', '-R', '-a'] }] } },
  { id: 'az.delete', description: 'deletes (or purges) an Azure resource', tier: 'delete', alternative: 'Let the human delete it; use `show` or `list` to show what it is.', commands: ['az'], match: { operand: /^(delete|purge)$/ }, keywords: ['delete', 'purge'] },

  // ---- code hosting, packages, platforms
  { id: 'gh.repo-delete', description: 'deletes a GitHub repository', tier: 'delete', alternative: 'Archive the repository instead (`gh repo archive`).', commands: ['gh'], match: { sub: ['repo', 'delete'] } },
  { id: 'gh.api-delete', description: 'sends a DELETE request to the GitHub API (gh api -X DELETE)', tier: 'delete', alternative: 'Send a GET to the same endpoint to show what it is, and let the human delete it.', commands: ['gh'], match: { named: 'gh-api-delete' }, keywords: ['api'] },
  { id: 'gh.release-delete', description: 'deletes a GitHub release', tier: 'delete', alternative: 'Edit the release (`gh release edit --draft`) instead of deleting it.', commands: ['gh'], match: { sub: ['release', 'delete'] } },
  { id: 'npm.unpublish', description: 'unpublishes a package version from the registry', tier: 'delete', alternative: 'Deprecate the version instead (`npm deprecate PKG@VERSION "reason"`).', commands: ['npm', 'pnpm', 'yarn'], match: { any: [{ sub: ['unpublish'] }, { sub: ['npm', 'unpublish'] }] }, keywords: NPM_UNPUBLISH },
  { id: 'vercel.remove', description: 'removes a Vercel project or deployment', tier: 'delete', alternative: 'Let the human remove it from the dashboard or their own terminal.', commands: ['vercel'], match: { any: [{ sub: [/^(remove|rm)$/] }, { sub: [/^projects?$/, /^(remove|rm)$/] }] }, keywords: ['remove', 'rm'] },
  { id: 'fly.destroy', description: 'destroys a Fly.io app, machine or volume', tier: 'delete', alternative: 'Scale the app to zero (`fly scale count 0`) instead.', commands: ['fly', 'flyctl'], match: { operand: 'destroy', within: 3 } },
  { id: 'heroku.destroy', description: 'destroys a Heroku app or add-on, or resets its database', tier: 'delete', alternative: 'Put the app in maintenance mode instead, and let the human destroy it.', commands: ['heroku'], match: { sub: [/^(apps:destroy|destroy|addons:destroy|pg:reset|apps:delete)$/] }, keywords: ['destroy', 'reset', 'delete'] },
  { id: 'supabase.db-reset', description: 'resets a Supabase database, erasing its data', tier: 'delete', alternative: 'Apply migrations with `supabase migration up` instead of resetting.', commands: ['supabase'], match: { sub: ['db', 'reset'] } },

  // ---- files and git
  { id: 'rm.recursive-outside-build', description: 'deletes a directory tree outside the build and temp dirs (rm -r)', tier: 'delete', alternative: 'Move it aside instead (`mv DIR DIR.old`), or delete only build output (dist, build, node_modules, ...).', commands: ['rm'], match: { named: 'rm-recursive-outside-build' } },
  { id: 'find.delete-outside-build', description: 'deletes every file find matches, outside the build and temp dirs (find -delete)', tier: 'delete', alternative: 'Run the same find without -delete to list the files, narrow it with -name, and let the human delete them.', commands: ['find'], match: { named: 'find-delete-outside-build' }, keywords: ['-delete'] },
  { id: 'rsync.delete-outside-build', description: 'deletes files in a destination outside the build and temp dirs (rsync --delete)', tier: 'delete', alternative: 'Run it with --dry-run (-n) to list what would go, sync into a build dir, or let the human run it.', commands: ['rsync'], match: { named: 'rsync-delete-outside-build' }, keywords: ['rsync'] },
  { id: 'git.reset-hard', description: 'discards uncommitted changes (git reset --hard)', tier: 'delete', alternative: 'Stash the changes instead (`git stash`), or `git reset --keep`.', commands: ['git'], match: { named: 'git-reset-hard' }, keywords: ['--hard'] },
  { id: 'git.clean-force', description: 'deletes untracked files (git clean -f)', tier: 'delete', alternative: 'Run `git clean -n` to list what would go, and let the human run it.', commands: ['git'], match: { named: 'git-clean-force' }, keywords: ['clean'] },
  { id: 'git.branch-force-delete-protected', description: 'force-deletes a protected branch (git branch -D)', tier: 'delete', alternative: 'Delete feature branches only; protected branches are deleted by the human.', commands: ['git'], match: { named: 'git-branch-force-delete-protected' }, keywords: ['branch'] },
];
