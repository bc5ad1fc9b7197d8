import * as assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import { rememberAudiences } from '../../../../src/core/tokenRequest/recentAudiences';

suite('rememberAudiences', () => {
  test('puts the used audiences first, keeps order, removes duplicates', () => {
    assert.deepEqual(rememberAudiences(['a', 'b', 'c'], ['c', 'x']), ['c', 'x', 'a', 'b']);
  });

  test('caps the list', () => {
    assert.deepEqual(rememberAudiences(['a', 'b', 'c'], ['d'], 3), ['d', 'a', 'b']);
  });

  test('ignores junk from storage', () => {
    assert.deepEqual(rememberAudiences(['', 'a', 42 as unknown as string], ['a']), ['a']);
  });
});
