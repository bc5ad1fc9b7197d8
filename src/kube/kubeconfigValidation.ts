/**
 * The checks kubectl makes of a kubeconfig (client-go clientcmd: the JSON decoding of `*-data` fields,
 * `validateClusterInfo` and `validateAuthInfo` of the context in use), so that what kubectl refuses is
 * refused here too, naming the file, the entry and the field, before any request is sent.
 */
import { X509Certificate } from 'node:crypto';
import { accessSync, constants } from 'node:fs';
import { TokenError } from '../core/errors';
import { execConfigProblem } from './execCredentials';

type Json = Record<string, unknown>;

/** Where an entry came from, for the messages. */
export interface EntryPlace {
  readonly kind: 'cluster' | 'user';
  readonly name: string;
  readonly file: string;
}

const dataFields: Record<EntryPlace['kind'], readonly string[]> = {
  cluster: ['certificate-authority-data'],
  user: ['client-certificate-data', 'client-key-data'],
};

/** Go's base64.StdEncoding as encoding/json decodes []byte: padded standard alphabet, newlines ignored. */
function isStdBase64(value: string): boolean {
  const s = value.replace(/[\r\n]/g, '');
  return s.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(s);
}

function invalid(place: EntryPlace, field: string, problem: string, hint: string): TokenError {
  return new TokenError('ERR_KUBECONFIG_INVALID', `The kubeconfig ${place.file} is invalid: ${place.kind} "${place.name}": ${field} ${problem}`, { hint });
}

/** At load, for every entry (kubectl cannot decode a file with a bad `*-data` value at all). */
export function checkDataFields(body: Json, place: EntryPlace): void {
  for (const field of dataFields[place.kind]) {
    const value = body[field];
    if (value === undefined || value === null || value === '') {continue;}
    if (typeof value !== 'string' || !isStdBase64(value)) {
      throw invalid(place, field, 'is not base64.', `Put the base64 of the PEM file in ${field} (base64 -w0 FILE), or name the file in ${field.replace(/-data$/, '')} instead.`);
    }
  }
}

function decoded(body: Json, field: string): string | undefined {
  const value = body[field];
  return typeof value === 'string' && value !== '' ? Buffer.from(value, 'base64').toString('utf8') : undefined;
}

function str(body: Json, key: string): string | undefined {
  const v = body[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function isCertificatePem(text: string): boolean {
  if (!text.includes('-----BEGIN CERTIFICATE-----')) {return false;}
  try {
    new X509Certificate(text);
    return true;
  } catch {
    return false;
  }
}

function readable(file: string): boolean {
  try {
    accessSync(file, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

/** The cluster of the context in use, as clientcmd's validateClusterInfo checks it. */
export function checkCluster(body: Json, place: EntryPlace): void {
  const caFile = str(body, 'certificate-authority');
  const caData = decoded(body, 'certificate-authority-data');
  if (caFile !== undefined && caData !== undefined) {
    throw invalid(place, 'certificate-authority-data', 'and certificate-authority are both set; kubectl refuses that.', 'Keep one of them.');
  }
  if (body['insecure-skip-tls-verify'] === true && (caFile !== undefined || caData !== undefined)) {
    throw invalid(place, 'insecure-skip-tls-verify', 'is set together with a certificate authority; kubectl refuses that ("specifying a root certificates file with the insecure flag is not allowed").',
      'Remove insecure-skip-tls-verify to verify the server with the CA (recommended), or remove the CA.');
  }
  if (caFile !== undefined && !readable(caFile)) {
    throw invalid(place, 'certificate-authority', `names ${caFile}, which cannot be read.`, 'Fix the path (relative paths are relative to the kubeconfig file).');
  }
  if (caData !== undefined && !isCertificatePem(caData)) {
    throw invalid(place, 'certificate-authority-data', 'holds no PEM certificate.', 'Put the base64 of the CA\'s PEM file (-----BEGIN CERTIFICATE-----) there.');
  }
}

/** The user of the context in use, as clientcmd's validateAuthInfo checks it. */
export function checkUser(body: Json, place: EntryPlace): void {
  for (const [data, file] of [['client-certificate-data', 'client-certificate'], ['client-key-data', 'client-key']] as const) {
    if (str(body, data) !== undefined && str(body, file) !== undefined) {
      throw invalid(place, data, `and ${file} are both set; kubectl refuses that.`, 'Keep one of them.');
    }
    const path = str(body, file);
    if (path !== undefined && !readable(path)) {
      throw invalid(place, file, `names ${path}, which cannot be read.`, 'Fix the path (relative paths are relative to the kubeconfig file).');
    }
  }
  const cert = decoded(body, 'client-certificate-data');
  if (cert !== undefined && !isCertificatePem(cert)) {
    throw invalid(place, 'client-certificate-data', 'holds no PEM certificate.', 'Put the base64 of the client certificate\'s PEM file there.');
  }
  const provider = (body['auth-provider'] as Json | undefined)?.name;
  if (provider === 'gcp' || provider === 'azure') {
    throw invalid(place, 'auth-provider', `"${provider}" was removed from kubectl and client-go; kubectl refuses it.`,
      provider === 'gcp' ? 'Use the gke-gcloud-auth-plugin exec plugin (gcloud container clusters get-credentials writes it).' : 'Use the kubelogin exec plugin (kubelogin convert-kubeconfig).');
  }
  const exec = body.exec;
  if (typeof exec === 'object' && exec !== null) {
    const problem = execConfigProblem(exec as Json);
    if (problem !== undefined) {
      throw invalid(place, problem.field, `${problem.problem}; kubectl refuses the user without it.`, 'Fix the exec entry (your provider\'s CLI writes it, e.g. aws eks update-kubeconfig), or Switch Context.');
    }
  }
  const tokenFile = str(body, 'tokenFile');
  if (tokenFile !== undefined && !readable(tokenFile)) {
    throw invalid(place, 'tokenFile', `names ${tokenFile}, which cannot be read.`, 'Fix the path (relative paths are relative to the kubeconfig file).');
  }
}
