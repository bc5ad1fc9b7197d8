import * as assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import { lifetimeRows, lifetimeRowsSentence } from '../../../../src/core/token/lifetimeRows';
import { compareIssued } from '../../../../src/core/token/issuedComparison';

suite('lifetimeRows', () => {
  test('requested against issued, in the inspector\'s labels', () => {
    const c = compareIssued({ requestedExpirationSeconds: 8_640_000, responseExpirationSeconds: 86_400, exp: 1_000_086_400, iat: 1_000_000_000 });
    assert.deepEqual(lifetimeRows(c), [['Requested', '100d'], ['Issued (response)', '1d'], ['JWT lifetime (exp − iat)', '1d']]);
    assert.equal(lifetimeRowsSentence(c), 'Requested: 100d; Issued (response): 1d; JWT lifetime (exp − iat): 1d.');
  });

  test('only the known figures; nothing known, nothing said', () => {
    assert.deepEqual(lifetimeRows({ requestedSeconds: 3600 }), [['Requested', '1h']]);
    assert.equal(lifetimeRowsSentence({}), '');
  });
});
