// Confinement for code the lab did not write (a candidate's variant): which user its service
// process runs as, what environment it gets, and a sentence for the report that says what held.
// What held is measured, not assumed: a probe process, started exactly as the service will be,
// tries to read and write what the service must and must not reach.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { walkTree } from './files';

export const LAB_ROOT = resolve(__dirname, '..');

/** The user a candidate's service runs as unless told otherwise; it exists on most Linux systems. */
export const DEFAULT_SANDBOX_USER = 'nobody';

export interface SandboxUser {
  name: string;
  uid: number;
  gid: number;
}

/** How one variant's service process is confined. */
export interface Confinement {
  /** Run as this user; absent: as the lab's own user. */
  user?: SandboxUser;
  /** The candidate's code: bare imports from files under it resolve to the lab's packages. */
  codeRoot: string;
}

/** What the service process needs to read: the harness, the service, the lab's packages. */
const RUNTIME_FILES = ['harness/serve.ts', 'harness/lab-modules.ts', 'service/app.ts', 'variants/load.ts', 'tsconfig.json', 'package.json'];
const RUNTIME_PACKAGES = ['ts-node', 'typescript', 'fastify', 'knex', 'pg', 'pg-mem'];

/** Variables a service process needs, and nothing else of the user who runs the lab (tokens, database settings). */
const PASSED_ENVIRONMENT = ['PATH', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR'];

/**
 * The environment of a confined service: an allow-list, so neither the lab user's database
 * settings nor anything else of theirs (API tokens, cloud keys) reaches the candidate's code.
 */
export function confinedEnvironment(codeRoot: string, user: SandboxUser | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const key of PASSED_ENVIRONMENT) if (process.env[key] !== undefined) env[key] = process.env[key];
  return {
    ...env,
    HOME: user ? '/nonexistent' : process.env.HOME,
    TS_NODE_TRANSPILE_ONLY: 'true',
    // The lab's compiler settings whatever the working directory (the candidate's folder has none).
    TS_NODE_PROJECT: join(LAB_ROOT, 'tsconfig.json'),
    REGRESSION_LAB_CODE_ROOT: codeRoot,
  };
}

/** Looks a user up by name or uid in /etc/passwd (Node has no getpwnam). */
export function findUser(nameOrUid: string): SandboxUser | undefined {
  let passwd: string;
  try {
    passwd = readFileSync('/etc/passwd', 'utf8');
  } catch {
    return undefined;
  }
  for (const line of passwd.split('\n')) {
    const [name, , uid, gid] = line.split(':');
    if (!name || uid === undefined || gid === undefined) continue;
    if (name === nameOrUid || uid === nameOrUid) return { name, uid: Number(uid), gid: Number(gid) };
  }
  return undefined;
}

export interface Isolation {
  user?: SandboxUser;
  /** For the report header: what held, in a sentence. */
  statement: string;
}

/** What the probe, run as the sandbox user, could do. */
interface ProbeResult {
  unreadable: string[];
  writable: string[];
  parentEnvironment: boolean;
  /** Of the private paths asked about, those it could read. */
  readablePrivate: string[];
}

/** Runs in a process of the sandbox user's: plain JavaScript, so it needs nothing from the lab. */
const PROBE = `
const fs = require('fs');
const input = JSON.parse(process.argv[1]);
const can = (path, mode) => { try { fs.accessSync(path, mode); return true; } catch { return false; } };
let parentEnvironment = false;
try { fs.readFileSync('/proc/' + process.ppid + '/environ'); parentEnvironment = true; } catch {}
process.stdout.write(JSON.stringify({
  unreadable: input.read.filter((p) => !can(p, fs.constants.R_OK)),
  writable: input.write.filter((p) => can(p, fs.constants.W_OK)),
  parentEnvironment,
  readablePrivate: input.private.filter((p) => can(p, fs.constants.R_OK)),
}));
`;

/** Every folder and file under `dir`, itself included, as absolute paths. */
const walk = (dir: string): string[] => [dir, ...walkTree(dir, { folders: true }).map((entry) => join(dir, entry.path))];

/** The lab's own folders (and its packages), which a confined process must not be able to write. */
function labFolders(): string[] {
  const top = readdirSync(LAB_ROOT, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.') && entry.name !== 'node_modules')
    .map((entry) => join(LAB_ROOT, entry.name));
  return [LAB_ROOT, ...top, realpathSync(join(LAB_ROOT, 'node_modules'))];
}

function probe(user: SandboxUser, codeRoots: string[], privatePaths: string[]): Promise<ProbeResult> {
  const code = codeRoots.flatMap(walk);
  const input = {
    read: [...RUNTIME_FILES.map((f) => join(LAB_ROOT, f)), ...RUNTIME_PACKAGES.map((p) => join(LAB_ROOT, 'node_modules', p, 'package.json')), ...code],
    write: [...labFolders(), ...code],
    private: privatePaths.filter((path) => existsSync(path)),
  };
  return new Promise((resolvePromise, reject) => {
    execFile(
      process.execPath,
      ['-e', PROBE, JSON.stringify(input)],
      { uid: user.uid, gid: user.gid, env: { PATH: process.env.PATH ?? '' }, cwd: '/', timeout: 15_000 },
      (err, stdout) => (err ? reject(err) : resolvePromise(JSON.parse(stdout) as ProbeResult)),
    );
  });
}

const ownUser = (reason: string) =>
  `candidate code ran as the lab's own user (uid ${process.getuid?.() ?? '?'}): no process isolation (${reason}); ` +
  `its environment carried none of the lab's settings, but it could read the lab's process environment and write the lab`;

export interface IsolationRequest {
  /** The candidates' code, which the user must be able to read and unable to change. */
  codeRoots: string[];
  /** null: do not switch users. */
  userName?: string | null;
  /** Lab paths candidate code has no business reading: the statement says which it could. */
  privatePaths?: string[];
}

/**
 * Decides which user candidate code runs as, and says what that user was measured to be unable to
 * do. Switching users needs root; without it the code runs as the lab's own user, and the statement says so.
 */
export async function planIsolation({ codeRoots, userName = DEFAULT_SANDBOX_USER, privatePaths = [] }: IsolationRequest): Promise<Isolation> {
  if (userName === null) return { statement: ownUser('turned off') };
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return { statement: ownUser('switching users needs the lab to run as root on Linux') };
  const user = findUser(userName);
  if (!user) return { statement: ownUser(`no user "${userName}" on this machine`) };
  if (user.uid === 0) return { statement: ownUser(`"${userName}" is root`) };
  const who = `uid ${user.uid} (${user.name})`;
  let result: ProbeResult;
  try {
    result = await probe(user, codeRoots, privatePaths);
  } catch (err) {
    return { statement: ownUser(`a process as ${who} could not be started: ${(err as Error).message}`) };
  }
  if (result.unreadable.length) return { statement: ownUser(`${who} cannot read ${result.unreadable[0]}`) };
  if (result.writable.length) return { statement: ownUser(`${who} can write ${result.writable[0]}`) };
  if (result.parentEnvironment) return { statement: ownUser(`${who} can read the lab's process environment`) };
  const readable = result.readablePrivate.map((path) => relative(LAB_ROOT, path));
  const privateNote = readable.length ? `${PRIVATE_PATHS_NOTE}, the lab's ${readable.join(' and ')} included` : '';
  return {
    user,
    statement:
      `candidate code ran as ${who}: cannot write the lab nor its own code, cannot read the lab's process environment, ` +
      `and its environment carried none of the lab's settings${privateNote}`,
  };
}

/** How the statement begins to say which private paths candidate code could read: a candidate's own copy of the report leaves it out. */
export const PRIVATE_PATHS_NOTE = '; it could read what any local user can';

/** The statement as a candidate reads it: without the lab's paths that hold what they must not see. */
export const candidateStatement = (statement: string) => statement.split(PRIVATE_PATHS_NOTE)[0]!;

/** The header's statement for runs that confine nothing (the lab's own variants). */
export const NO_ISOLATION = "every variant ran as the lab's own user: no process isolation";
