import { verify } from 'node:crypto';
import { verifyToken } from '../../../src/core/token/tokenVerification';
import { decodeToken } from '../../../src/core/token/decodeToken';
import type { BenchConfig } from '../benchConfig';
import type { BenchReport } from '../benchReport';
import { benchIssuer, signedTokens } from '../benchTokens';
import { interleave, timeMs } from '../interleave';

const section = 'decode + verify';

export async function verifyRows(report: BenchReport, config: BenchConfig): Promise<void> {
  const distinct = 256;
  const { tokens, jwks, publicKey } = signedTokens(distinct);
  const batch = config.quick ? 1000 : 3000;
  const now = Date.now();
  // The JWKS object is fetched once and reused (the cache the inspector keeps); every token is distinct.
  const core = async () => {
    const ms = await timeMs(async () => {
      for (let i = 0; i < batch; i++) {
        const result = await verifyToken(tokens[i % distinct], jwks, { issuer: benchIssuer, now });
        if (result.state !== 'verified') {
          throw new Error(`core verifyToken returned ${result.state} for a good token`);
        }
      }
    });
    return (batch / ms) * 1000;
  };
  // The floor: split, base64url-decode the signature, one RSA verify with an already imported key.
  const bare = async () => {
    const ms = await timeMs(() => {
      for (let i = 0; i < batch; i++) {
        const token = tokens[i % distinct];
        const dot = token.lastIndexOf('.');
        if (!verify('sha256', Buffer.from(token.slice(0, dot)), publicKey, Buffer.from(token.slice(dot + 1), 'base64url'))) {
          throw new Error('bare crypto.verify rejected a good token');
        }
      }
    });
    return (batch / ms) * 1000;
  };
  const decodeOnly = async () => {
    const ms = await timeMs(() => {
      for (let i = 0; i < batch; i++) {
        decodeToken(tokens[i % distinct]);
      }
    });
    return (batch / ms) * 1000;
  };
  const samples = await interleave(
    [
      { name: 'core verifyToken (decode + verify)', run: core },
      { name: 'bare crypto.verify loop', run: bare },
      { name: 'core decodeToken only', run: decodeOnly },
    ],
    config,
  );
  report.addRow({
    section,
    figure: `throughput, RS256, cached JWKS (${batch} tokens per sample)`,
    unit: 'tokens/s',
    better: 'higher',
    subject: 'core verifyToken (decode + verify)',
    peers: ['bare crypto.verify loop'],
    samples,
  });
  report.addRow({
    section,
    figure: 'decode only (no signature check)',
    unit: 'tokens/s',
    better: 'higher',
    subject: 'core decodeToken only',
    samples,
  });
}
