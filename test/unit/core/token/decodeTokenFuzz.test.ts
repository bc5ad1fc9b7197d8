import * as assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import { decodeToken } from '../../../../src/core/token/decodeToken';
import { isTokenError } from '../../../../src/core/errors';
import { b64url, extendedClaims, fakeJwt, podBoundClaims, seededRandom } from '../../../fixtures/syntheticTokens';

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ \n"{}[]:,\u00e9\u0000';

/** Generators of malformed (or occasionally valid) inputs, all driven by one seeded PRNG. */
function generators(random: () => number): Array<() => string> {
  const int = (n: number): number => Math.floor(random() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  const valid = [fakeJwt({ alg: 'RS256', kid: 'k' }, podBoundClaims()), fakeJwt({ alg: 'ES256' }, extendedClaims()), fakeJwt({ alg: 'none' }, { a: 1 }, '')];
  const randomText = (length: number): string => Array.from({ length }, () => alphabet[int(alphabet.length)]).join('');
  const jsonNonObjects = ['1', '"s"', 'null', 'true', '[]', '[{}]', '{"a":', '{', '', 'NaN', '{"a":1}}'];
  return [
    // Random bytes decoded as latin1/UTF-8 text.
    () => Buffer.from(Array.from({ length: int(300) }, () => int(256))).toString(random() < 0.5 ? 'latin1' : 'utf8'),
    // Random text from a JWT-ish alphabet.
    () => randomText(int(400)),
    // Truncated valid tokens.
    () => { const t = pick(valid); return t.slice(0, int(t.length)); },
    // Single-character mutations of valid tokens.
    () => {
      const t = pick(valid).split('');
      for (let i = 0, n = 1 + int(4); i < n; i++) {
        t[int(t.length)] = alphabet[int(alphabet.length)]!;
      }
      return t.join('');
    },
    // Wrong part counts.
    () => Array.from({ length: pick([0, 1, 2, 4, 5, 6, 9]) }, () => randomText(int(20)).replace(/\./g, '')).join('.'),
    // Bad base64 in a chosen part.
    () => { const parts = pick(valid).split('.'); parts[int(3)] = randomText(1 + int(30)); return parts.join('.'); },
    // JSON non-objects and broken JSON in header or payload.
    () => {
      const body = b64url(pick(jsonNonObjects), true);
      return random() < 0.5 ? `${body}.${b64url({})}.sig` : `${b64url({ alg: 'RS256' })}.${body}.sig`;
    },
    // Huge inputs (cheap to build: repeated chunks).
    () => pick(valid).repeat(1 + int(40)),
    // Prefix and whitespace noise around valid tokens.
    () => `${pick(['', 'Bearer ', 'bearer\t', 'Authorization: Bearer ', '"', "'"])}${pick(valid)}${pick(['', '\n', ' ', '"', '.'])}`,
  ];
}

suite('decodeToken fuzz', () => {
  test('10,000+ generated inputs yield a decode or a clean ERR_TOKEN_MALFORMED, never another throw', () => {
    const random = seededRandom(0x5a7);
    const makers = generators(random);
    let decoded = 0;
    let malformed = 0;
    const iterations = 12_000;
    for (let i = 0; i < iterations; i++) {
      const input = makers[i % makers.length]!();
      try {
        const result = decodeToken(input);
        assert.equal(typeof result.claims, 'object');
        assert.ok(result.claims !== null && !Array.isArray(result.claims));
        decoded++;
      } catch (e) {
        if (!isTokenError(e) || e.code !== 'ERR_TOKEN_MALFORMED' || e.message === '') {
          assert.fail(`input #${i} (${JSON.stringify(input.slice(0, 120))}) threw ${String(e)}`);
        }
        malformed++;
      }
    }
    assert.equal(decoded + malformed, iterations);
    // The generators must actually exercise failures (a decoder that accepted everything would fail here).
    assert.ok(malformed > iterations * 0.7, `only ${malformed} malformed`);
    assert.ok(decoded > 0, 'no valid decodes: the lenient paths were never reached');
  });
});
