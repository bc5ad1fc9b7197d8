'use strict';
// The activation peer: the least an extension can do. Like every real extension it imports `vscode`
// (the host builds that extension's API object on the first require, a cost every extension pays),
// then does nothing. Returns the same API shape as kube-sa-tokens.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a plain CommonJS extension, like most
const vscode = require('vscode');

exports.activate = function activate() {
  return { ready: Promise.resolve(), version: vscode.version };
};
exports.deactivate = function deactivate() {};
