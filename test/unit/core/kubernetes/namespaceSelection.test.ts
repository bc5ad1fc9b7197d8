import * as assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import { hiddenAccountMessage, hiddenBySelection, selectNamespacesTitle, withNamespaceShown } from '../../../../src/core/kubernetes/namespaceSelection';

suite('namespaceSelection', () => {
  test('the Select Namespaces title follows what is checked', () => {
    assert.equal(selectNamespacesTitle([]), 'Select Namespaces (none selected: show all)');
    assert.equal(selectNamespacesTitle(['web']), 'Select Namespaces (1 selected: web)');
    assert.equal(selectNamespacesTitle(['web', 'build', 'web']), 'Select Namespaces (2 selected: build, web)');
  });

  test('a selection hides the other namespaces; none selected hides nothing', () => {
    assert.equal(hiddenBySelection([], 'build'), false);
    assert.equal(hiddenBySelection(['web'], 'web'), false);
    assert.equal(hiddenBySelection(['web'], 'build'), true);
  });

  test('Show Namespace adds the namespace once, after the ones already selected', () => {
    assert.deepEqual(withNamespaceShown(['web'], 'build'), ['web', 'build']);
    assert.deepEqual(withNamespaceShown(['web', 'build'], 'build'), ['web', 'build']);
    assert.match(hiddenAccountMessage('build', 'ci-bot', ['web']), /^Service account build\/ci-bot is not in the tree: Select Namespaces shows only web\. Show namespace build too\?$/);
  });
});
