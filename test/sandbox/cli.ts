// `node dist/test/sandbox/cli.js [flags]`: starts the sandbox, prints one JSON line, runs until SIGINT/SIGTERM.
import { readFileSync } from 'node:fs';
import { startSandbox, type SandboxOptions } from './sandbox';

const USAGE = `usage: cli.js [--config file.json] [--port N] [--host H] [--data-dir D] [--fixture demo|scale|demo+scale]
  [--scale-namespaces N] [--scale-service-accounts-per-namespace N] [--scale-pods-per-namespace N]
  [--issuer URL] [--api-audiences a,b] [--max-token-expiration-seconds N] [--extend-token-expiration true|false]
  [--node-binding true|false] [--key-type RS256|ES256] [--version-profile 1.30..1.35] [--latency-ms N]
  [--error-rate R] [--throttle-rate R] [--retry-after-seconds N] [--reset-rate R] [--stall-rate R] [--stall-ms N]
  [--clock-offset-seconds N] [--continue-ttl-seconds N] [--oidc-public]`;

function bool(v: string): boolean {
  if (v === 'true' || v === '1' || v === '') {return true;}
  if (v === 'false' || v === '0') {return false;}
  throw new Error(`expected true|false, got ${v}`);
}

export function parseArgs(argv: string[]): SandboxOptions {
  let o: SandboxOptions = {};
  const faults: NonNullable<SandboxOptions['faults']> = {};
  const scale: NonNullable<SandboxOptions['scale']> = {};
  for (let i = 0; i < argv.length; i++) {
    let flag = argv[i];
    let value: string | undefined;
    const eq = flag.indexOf('=');
    if (eq > 0) {
      value = flag.slice(eq + 1);
      flag = flag.slice(0, eq);
    }
    const next = (): string => {
      if (value !== undefined) {return value;}
      const v = argv[++i];
      if (v === undefined) {throw new Error(`${flag} needs a value`);}
      return v;
    };
    const num = (): number => {
      const n = Number(next());
      if (!Number.isFinite(n)) {throw new Error(`${flag} needs a number`);}
      return n;
    };
    switch (flag) {
      case '--config': o = { ...JSON.parse(readFileSync(next(), 'utf8')), ...o }; break;
      case '--port': o.port = num(); break;
      case '--host': o.host = next(); break;
      case '--data-dir': o.dataDir = next(); break;
      case '--fixture': o.fixture = next() as SandboxOptions['fixture']; break;
      case '--scale-namespaces': scale.namespaces = num(); break;
      case '--scale-service-accounts-per-namespace': scale.serviceAccountsPerNamespace = num(); break;
      case '--scale-pods-per-namespace': scale.podsPerNamespace = num(); break;
      case '--issuer': o.issuer = next(); break;
      case '--api-audiences': o.apiAudiences = next().split(',').filter(Boolean); break;
      case '--max-token-expiration-seconds': o.maxTokenExpirationSeconds = num(); break;
      case '--extend-token-expiration': o.extendTokenExpiration = bool(value ?? next()); break;
      case '--node-binding': o.nodeBinding = bool(value ?? next()); break;
      case '--key-type': o.keyType = next() as SandboxOptions['keyType']; break;
      case '--version-profile': o.versionProfile = next() as SandboxOptions['versionProfile']; break;
      case '--latency-ms': o.latencyMs = num(); break;
      case '--error-rate': faults.errorRate = num(); break;
      case '--throttle-rate': faults.throttleRate = num(); break;
      case '--retry-after-seconds': faults.retryAfterSeconds = num(); break;
      case '--reset-rate': faults.resetRate = num(); break;
      case '--stall-rate': faults.stallRate = num(); break;
      case '--stall-ms': faults.stallMs = num(); break;
      case '--clock-offset-seconds': o.clockOffsetSeconds = num(); break;
      case '--continue-ttl-seconds': o.continueTtlSeconds = num(); break;
      case '--oidc-public': o.oidcPublic = value === undefined ? true : bool(value); break;
      case '-h':
      case '--help':
        process.stdout.write(USAGE + '\n');
        process.exit(0);
       
      default:
        throw new Error(`unknown flag ${flag}\n${USAGE}`);
    }
  }
  if (Object.keys(faults).length) {o.faults = { ...o.faults, ...faults };}
  if (Object.keys(scale).length) {o.scale = { ...o.scale, ...scale };}
  return o;
}

async function main(): Promise<void> {
  let opts: SandboxOptions;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exit(2);
  }
  const sb = await startSandbox(opts);
  process.stdout.write(JSON.stringify({ url: sb.url, kubeconfig: sb.kubeconfigPath, pid: process.pid, dataDir: sb.dataDir, adminToken: sb.adminToken, contexts: sb.contexts }) + '\n');
  let stopping = false;
  const stop = () => {
    if (stopping) {return;}
    stopping = true;
    void sb.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (require.main === module) {void main();}
