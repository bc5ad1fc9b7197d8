import * as assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import { decodeToken, maxTokenLength, tryDecodeToken } from '../../../../src/core/token/decodeToken';
import { isTokenError } from '../../../../src/core/errors';
import { b64url, fakeJwt, podBoundClaims } from '../../../fixtures/syntheticTokens';

const header = { alg: 'RS256', kid: 'k1' };
const good = fakeJwt(header, podBoundClaims());

function assertMalformed(input: string, message: string): void {
  assert.throws(() => decodeToken(input), (e: unknown) => {
    assert.ok(isTokenError(e), String(e));
    assert.equal(e.code, 'ERR_TOKEN_MALFORMED');
    assert.equal(e.message, message);
    return true;
  });
}

suite('decodeToken', () => {
  test('decodes header, claims, signing input and signature', () => {
    const decoded = decodeToken(good);
    assert.deepEqual(decoded.header, header);
    assert.deepEqual(decoded.claims, podBoundClaims());
    const [h, p, s] = good.split('.');
    assert.equal(decoded.signingInput, `${h}.${p}`);
    assert.equal(decoded.signature, s);
    assert.equal(decoded.raw, good);
    assert.deepEqual(decoded.notes, []);
  });

  test('strips Bearer prefix, quotes and whitespace leniently, with notes', () => {
    const wrapped = `${good.slice(0, 40)}\n  ${good.slice(40)}`;
    const decoded = decodeToken(`  Authorization: Bearer "${wrapped}"\n`);
    assert.equal(decoded.raw, good);
    assert.deepEqual(decoded.notes, ['Removed a "Bearer " prefix.', 'Removed surrounding quotes.', 'Removed whitespace inside the token (line breaks from wrapping?).']);
    assert.deepEqual(decodeToken(`bearer ${good}`).notes, ['Removed a "Bearer " prefix.']);
  });

  test('notes unsigned tokens and a missing alg', () => {
    assert.deepEqual(decodeToken(fakeJwt({ typ: 'JWT' }, { sub: 'x' }, '')).notes, [
      'The token has no signature (an unsecured JWT); nobody vouches for its claims.',
      'The header has no "alg"; the token cannot be verified.',
    ]);
  });

  test('empty input', () => {
    const message = 'The input is empty. Paste a token: a JWT is three base64url parts separated by dots (header.payload.signature).';
    assertMalformed('', message);
    assertMalformed(' \n\t', message);
    assertMalformed('Bearer ', message);
  });

  test('a 1 MB paste is refused before any work', () => {
    assertMalformed('a'.repeat(1024 * 1024), 'The input is 1.0 MB; a service-account token is a few KiB (at most 64 KiB accepted). Check you copied only the token.');
    assertMalformed('a'.repeat(maxTokenLength + 1), 'The input is 64 KiB; a service-account token is a few KiB (at most 64 KiB accepted). Check you copied only the token.');
  });

  test('a token just under the limit still decodes', () => {
    const big = fakeJwt(header, { pad: 'x'.repeat(40_000) });
    assert.ok(big.length <= maxTokenLength);
    assert.equal((decodeToken(big).claims.pad as string).length, 40_000);
  });

  test('wrong number of parts', () => {
    assertMalformed('abc', 'This is not a JWT: expected three base64url parts separated by dots (header.payload.signature), found 1.');
    assertMalformed('a.b', 'This is not a JWT: expected three base64url parts separated by dots (header.payload.signature), found 2.');
    assertMalformed('a.b.c.d', 'This is not a JWT: expected three base64url parts separated by dots (header.payload.signature), found 4.');
  });

  test('JWE (five parts)', () => {
    assertMalformed(`${b64url({ alg: 'RSA-OAEP', enc: 'A256GCM' })}.a.b.c.d`,
      "This is an encrypted token (JWE, five parts); it cannot be decoded without the recipient's key. Kubernetes service-account tokens are signed JWTs with three parts.");
  });

  test('bad base64url', () => {
    const [h, p] = good.split('.');
    assertMalformed(`${h}.${p!.slice(0, 10)}+${p!.slice(10)}.sig`, 'The payload (part 2) is not valid base64url: unexpected character "+" at position 11.');
    assertMalformed(`e$J.${p}.sig`, 'The header (part 1) is not valid base64url: unexpected character "$" at position 2.');
    assertMalformed(`${h}=.${p}.sig`, 'The header (part 1) has "=" padding; JWTs use unpadded base64url. Check the token was copied exactly.');
    assertMalformed(`${h}.AAAAA.sig`,
      'The payload (part 2) is not valid base64url: its length is impossible (truncated?).');
    assertMalformed(`${h}.${p}.si+g`, 'The signature (part 3) is not valid base64url.');
    assertMalformed(`.${p}.sig`, 'The header (part 1) is empty.');
    assertMalformed(`${h}..sig`, 'The payload (part 2) is empty.');
  });

  test('not UTF-8, not JSON', () => {
    const [h] = good.split('.');
    assertMalformed(`${h}.${Buffer.from([0xff, 0xfe, 0x7b]).toString('base64url')}.sig`, 'The payload (part 2) does not decode to UTF-8 text.');
    assertMalformed(`${h}.${b64url('not json', true)}.sig`, 'The payload (part 2) is not JSON after base64url decoding.');
    assertMalformed(`${b64url('{"alg":', true)}.${b64url({})}.sig`, 'The header (part 1) is not JSON after base64url decoding.');
  });

  test('JSON that is not an object', () => {
    const h = b64url(header);
    assertMalformed(`${h}.${b64url([1, 2])}.sig`, 'The payload (part 2) must be a JSON object, found an array.');
    assertMalformed(`${h}.${b64url(null)}.sig`, 'The payload (part 2) must be a JSON object, found null.');
    assertMalformed(`${h}.${b64url(42)}.sig`, 'The payload (part 2) must be a JSON object, found a number.');
    assertMalformed(`${h}.${b64url('s')}.sig`, 'The payload (part 2) must be a JSON object, found a string.');
    assertMalformed(`${b64url(true)}.${b64url({})}.sig`, 'The header (part 1) must be a JSON object, found a boolean.');
  });

  test('messages never echo the token', () => {
    const result = tryDecodeToken(`${good}.extra`);
    assert.equal(result.ok, false);
    assert.ok(!result.ok && !result.error.message.includes(good.slice(0, 20)));
  });

  test('tryDecodeToken returns results instead of throwing', () => {
    const ok = tryDecodeToken(good);
    assert.equal(ok.ok, true);
    const bad = tryDecodeToken('x');
    assert.ok(!bad.ok);
    assert.equal(bad.error.code, 'ERR_TOKEN_MALFORMED');
    const notText = tryDecodeToken(42 as unknown as string);
    assert.ok(!notText.ok);
    assert.equal(notText.error.message, 'The input is not text.');
  });
});
