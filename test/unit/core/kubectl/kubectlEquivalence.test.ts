import * as assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import { buildTokenRequestBody, buildTokenRequestQuery, tokenRequestPath } from '../../../../src/core/tokenRequest/tokenRequest';
import type { TokenRequestOptions } from '../../../../src/core/tokenRequest/tokenRequest';
import { toKubectlCreateTokenCommand } from '../../../../src/core/kubectl/kubectlCommand';
import captured from '../../../fixtures/kubectlTokenRequests.json';
import { decodeK8sProtobuf } from '../../../sandbox/protobuf';

suite('equivalence with real kubectl create token', () => {
  test('fixture holds several captured requests', () => {
    assert.ok(captured.cases.length >= 5);
  });

  for (const [index, entry] of captured.cases.entries()) {
    const options = entry.options as TokenRequestOptions;
    test(`case ${index + 1}: ${toKubectlCreateTokenCommand(options).command}`, () => {
      const kubectlBody = decodeK8sProtobuf(Buffer.from(entry.bodyBase64, 'base64'));
      assert.deepEqual(kubectlBody, JSON.parse(JSON.stringify(buildTokenRequestBody(options))));
      assert.equal(entry.path, tokenRequestPath(options));
      assert.deepEqual(buildTokenRequestQuery(options), {}, 'kubectl sends no query string');
    });
  }

  test('the decoder notices a difference (so the comparison can fail)', () => {
    const first = captured.cases[1]!;
    const decoded = decodeK8sProtobuf(Buffer.from(first.bodyBase64, 'base64'));
    assert.notDeepEqual(decoded, JSON.parse(JSON.stringify(buildTokenRequestBody({ ...(first.options as TokenRequestOptions), expirationSeconds: 5401 }))));
  });
});
