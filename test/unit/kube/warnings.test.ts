import * as assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import { parseWarningHeaders, warningHeaderValues, warningTexts } from '../../../src/kube/warnings';

suite('kube/warnings: Warning header parsing', () => {
  test('one API server warning', () => {
    assert.deepEqual(parseWarningHeaders(['299 - "requested expiration of 7200 seconds shortened to 3600 seconds"']), [
      { code: 299, agent: '-', text: 'requested expiration of 7200 seconds shortened to 3600 seconds' },
    ]);
  });

  test('repeated headers joined by Node with ", " and commas inside the text', () => {
    const joined = '299 - "unknown field \\"spec.x\\", and more", 299 - "second, with comma"';
    assert.deepEqual(warningTexts([joined]), ['unknown field "spec.x", and more', 'second, with comma']);
  });

  test('optional warn-date, other codes filtered, malformed entries skipped', () => {
    const values = ['199 agent "misc"', '299 - "dated" "Sat, 28 Nov 2026 13:00:00 GMT"', 'garbage, 299 - "after garbage"', '299 - "unterminated'];
    assert.deepEqual(parseWarningHeaders(values).map((w) => [w.code, w.text]), [
      [199, 'misc'],
      [299, 'dated'],
      [299, 'after garbage'],
    ]);
    assert.deepEqual(warningTexts(values), ['dated', 'after garbage']);
  });

  test('rawHeaders keep repeated Warning headers apart, case-insensitively', () => {
    const raw = ['Content-Type', 'application/json', 'Warning', '299 - "a"', 'warning', '299 - "b"', 'Date', 'x'];
    assert.deepEqual(warningHeaderValues(raw), ['299 - "a"', '299 - "b"']);
    assert.deepEqual(warningTexts(warningHeaderValues(raw)), ['a', 'b']);
    assert.deepEqual(warningTexts([]), []);
  });
});
