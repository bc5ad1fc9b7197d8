import * as assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import { normalizeAudiences, splitAudienceInput } from '../../../../src/core/tokenRequest/audiences';
import { audiencePresets, gcpWorkloadIdentityPoolTemplate } from '../../../../src/core/tokenRequest/audiencePresets';

suite('normalizeAudiences', () => {
  test('trims and de-duplicates in first-seen order', () => {
    assert.deepEqual(normalizeAudiences([' https://vault.example ', 'sts.amazonaws.com', 'https://vault.example', 'sts.amazonaws.com']), {
      audiences: ['https://vault.example', 'sts.amazonaws.com'], problems: [], duplicates: ['https://vault.example', 'sts.amazonaws.com'],
    });
  });

  test('empty list means server default', () => {
    assert.deepEqual(normalizeAudiences([]), { audiences: [], problems: [], duplicates: [] });
  });

  test('rejects empty and whitespace-containing entries with messages', () => {
    const result = normalizeAudiences(['a', '  ', 'my audience']);
    assert.deepEqual(result.audiences, ['a']);
    assert.deepEqual(result.problems, [
      "Audience 2 is empty. Remove it, or leave the whole list empty to use the API server's default audiences.",
      'Audience "my audience" contains whitespace. An audience is a single identifier such as a URL (e.g. https://vault.example); enter several as separate entries.',
    ]);
  });

  test('splitAudienceInput splits on commas', () => {
    assert.deepEqual(splitAudienceInput('a, b,,c'), ['a', ' b', '', 'c']);
    assert.deepEqual(splitAudienceInput('  '), []);
    assert.deepEqual(normalizeAudiences(splitAudienceInput('a, b')).audiences, ['a', 'b']);
  });
});

suite('audiencePresets', () => {
  test('no annotations: only the generic Vault preset', () => {
    const presets = audiencePresets(undefined, []);
    assert.deepEqual(presets.map((p) => [p.audience, p.source, p.inferred]), [['vault', 'vault', false]]);
    assert.match(presets[0]!.description, /must match the role's configured audience/);
  });

  test('AWS IRSA role-arn infers sts.amazonaws.com, overridable by eks.amazonaws.com/audience', () => {
    const presets = audiencePresets({ 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/ci' });
    assert.deepEqual(presets[0], {
      audience: 'sts.amazonaws.com', label: 'AWS STS (IRSA)',
      description: 'This service account is annotated eks.amazonaws.com/role-arn=arn:aws:iam::111122223333:role/ci; AWS STS AssumeRoleWithWebIdentity expects this audience.',
      source: 'aws', inferred: true, isTemplate: false,
    });
    const custom = audiencePresets({ 'eks.amazonaws.com/role-arn': 'arn:x', 'eks.amazonaws.com/audience': 'custom-aud' });
    assert.equal(custom[0]!.audience, 'custom-aud');
    assert.match(custom[0]!.description, /set by eks\.amazonaws\.com\/audience/);
  });

  test('Azure workload identity infers api://AzureADTokenExchange', () => {
    const [azure] = audiencePresets({ 'azure.workload.identity/client-id': '11111111-2222-3333-4444-555555555555' });
    assert.equal(azure!.audience, 'api://AzureADTokenExchange');
    assert.equal(azure!.source, 'azure');
    assert.match(azure!.description, /client-id=11111111-2222-3333-4444-555555555555/);
  });

  test('GKE annotation infers the identity namespace and the pool template', () => {
    const presets = audiencePresets({ 'iam.gke.io/gcp-service-account': 'ci@my-project-123.iam.gserviceaccount.com' });
    assert.deepEqual(presets.slice(0, 2).map((p) => [p.audience, p.isTemplate]), [
      ['my-project-123.svc.id.goog', false],
      [gcpWorkloadIdentityPoolTemplate, true],
    ]);
    assert.equal(gcpWorkloadIdentityPoolTemplate, '//iam.googleapis.com/projects/<project-number>/locations/global/workloadIdentityPools/<pool>/providers/<provider>');
  });

  test('GKE annotation with an unparseable email only offers the template', () => {
    const presets = audiencePresets({ 'iam.gke.io/gcp-service-account': 'not-an-email' });
    assert.deepEqual(presets.filter((p) => p.source === 'gcp').map((p) => p.audience), [gcpWorkloadIdentityPoolTemplate]);
  });

  test('Vault annotations mark the vault preset inferred', () => {
    const presets = audiencePresets({ 'vault.hashicorp.com/role': 'ci' });
    assert.deepEqual(presets.map((p) => [p.audience, p.inferred]), [['vault', true]]);
  });

  test('user presets come after inferred ones, de-duplicated, templates detected', () => {
    const presets = audiencePresets({ 'azure.workload.identity/client-id': 'id' }, [
      'https://vault.example', { audience: 'api://AzureADTokenExchange', label: 'dup' }, { audience: 'https://<host>/aud', label: 'Mine', description: 'd' }, '  ',
    ]);
    assert.deepEqual(presets.map((p) => [p.audience, p.source, p.label, p.isTemplate]), [
      ['api://AzureADTokenExchange', 'azure', 'Azure AD workload identity', false],
      ['https://vault.example', 'user', 'https://vault.example', false],
      ['https://<host>/aud', 'user', 'Mine', true],
      ['vault', 'vault', 'HashiCorp Vault', false],
    ]);
  });

  test('every preset explains itself', () => {
    const presets = audiencePresets({ 'eks.amazonaws.com/role-arn': 'a', 'azure.workload.identity/client-id': 'b', 'iam.gke.io/gcp-service-account': 'x@proj-123.iam.gserviceaccount.com' }, ['u']);
    assert.equal(presets.length, 6);
    for (const preset of presets) {
      assert.ok(preset.label.length > 0 && preset.description.length > 20, preset.audience);
    }
  });
});
