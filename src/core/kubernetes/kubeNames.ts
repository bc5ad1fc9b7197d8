const dns1123LabelPattern = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const dns1123SubdomainPattern = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * Checks a namespace name like the API server (RFC 1123 label). Returns the server's wording, or undefined when valid.
 */
export function dns1123LabelProblem(value: string): string | undefined {
  if (value.length > 63) {
    return 'must be no more than 63 characters';
  }
  if (!dns1123LabelPattern.test(value)) {
    return "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
  }
  return undefined;
}

/**
 * Checks an object name (service account, pod, secret, node) like the API server (RFC 1123 subdomain).
 * Returns the server's wording, or undefined when valid.
 */
export function dns1123SubdomainProblem(value: string): string | undefined {
  if (value.length > 253) {
    return 'must be no more than 253 characters';
  }
  if (!dns1123SubdomainPattern.test(value)) {
    return "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
  }
  return undefined;
}
