'use strict';
// The activation peer: the least an extension can do. Returns the same API shape as kube-sa-tokens.
exports.activate = function activate() {
  return { ready: Promise.resolve() };
};
exports.deactivate = function deactivate() {};
