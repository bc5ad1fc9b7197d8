import * as assert from 'node:assert/strict';
import { suite, suiteSetup, test } from 'mocha';
import type { RequestTokenOutcome } from '../../src/requestToken/requestTokenFlow';
import { activeApi, adminRequest, cancel, pick, requestWith, sandbox, ScriptedPrompter, text } from './requestTokenHelpers';

suite('Request Token: feedback', () => {
  let admin: string;

  suiteSetup(async () => {
    admin = sandbox().contexts.admin;
    await activeApi();
  });

  test('a long unbound token is warned about at review, and the result says what was issued against what was asked', async () => {
    await adminRequest('POST', '/sandbox/v1/config', { maxTokenExpirationSeconds: 86_400 });
    try {
      const prompter = new ScriptedPrompter({ review: pick('Request token') });
      const outcome = await requestWith<RequestTokenOutcome>(prompter, { context: admin, namespace: 'build', serviceAccount: 'ci-bot', audiences: [], expirationSeconds: 8_640_000 });
      assert.equal(outcome.status, 'issued', JSON.stringify(prompter.messages));
      const warning = prompter.last('review').items[1]!;
      assert.equal(warning.label, '$(warning) Long-lived token: 100d');
      assert.equal(warning.description, 'more than 1d (saTokens.longLifetimeWarningHours)');
      assert.equal(prompter.last('review').items[2]!.label, '$(info) The API server may cap the lifetime');
      const m = prompter.messages.find((x) => x.text.startsWith('Token issued for build/ci-bot'))!;
      assert.match(m.text, /^Token issued for build\/ci-bot \(context sandbox-admin\): valid 1d, expires in .*\. Requested: 100d; Issued \(response\): 1d; JWT lifetime \(exp − iat\): 1d\. /);
      assert.match(m.text, /You asked for 100d but the server issued 1d/);
    } finally {
      await adminRequest('POST', '/sandbox/v1/config', { maxTokenExpirationSeconds: 0 });
    }
  });

  test('Esc keeps the answers in memory: the next Request Token from the palette offers them first and resumes there', async () => {
    const api = await activeApi();
    const stateBefore = api.requestTokenTesting.globalStateJson();
    const first = new ScriptedPrompter({
      namespace: pick('build'),
      serviceAccount: pick('ci-bot'),
      audiences: pick('vault'),
      lifetime: pick('Custom lifetime…'),
      customLifetime: text('2 hours'),
      bindKind: cancel(),
    });
    assert.equal((await requestWith<RequestTokenOutcome>(first, { context: admin })).status, 'cancelled');
    assert.equal(first.last('bindKind').step, 5);
    assert.equal(api.requestTokenTesting.globalStateJson(), stateBefore, 'nothing of it is persisted');

    const second = new ScriptedPrompter({
      namespace: pick('$(history) Resume the last request'),
      bindKind: pick('None'),
      review: pick('Request token'),
    });
    const outcome = await requestWith<RequestTokenOutcome>(second, { context: admin });
    assert.deepEqual(second.unexpected, []);
    assert.equal(outcome.status, 'issued', JSON.stringify(second.messages));
    const offer = second.last('namespace').items[0]!;
    assert.equal(offer.description, `(build/ci-bot, stopped at bind to an object) · ${admin}`);
    assert.equal(offer.detail, 'audiences: vault · lifetime: 2h · not bound');
    assert.deepEqual(second.prompts.map((p) => `${p.id}:${p.step}/${p.totalSteps}:${p.showBack}`), ['namespace:1/6:false', 'bindKind:5/6:true', 'review:6/6:true']);
    const meta = api.tokens.list().find((t) => t.id === outcome.id)!;
    assert.deepEqual(meta.request.audiences, ['vault']);
    assert.equal(meta.request.expirationSeconds, 7200);

    // Issued: nothing is left to resume.
    const third = new ScriptedPrompter({ namespace: cancel() });
    await requestWith<RequestTokenOutcome>(third, { context: admin });
    assert.ok(!third.last('namespace').items.some((i) => i.label.includes('Resume the last request')));
  });
});
