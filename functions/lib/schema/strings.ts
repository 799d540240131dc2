/**
 * Bounded strings for API schemas. Every string a claim or function input may
 * carry has a length limit and, where it has a format, a pattern, so the XRD
 * (the API server), the KubeVela parameter block (CUE) and the function (ajv)
 * refuse the same values: a 1 MB domain or image is invalid everywhere, not
 * rendered into a 9 MB response. Patterns use only syntax that JavaScript,
 * RE2 (Kubernetes, CUE) and ajv's unicode mode agree on (no lookaround).
 */
import { Type, type SchemaOptions, type TString } from '@sinclair/typebox';

/** One DNS label, RFC 1123 (Kubernetes `IsDNS1123Label`): names that end up in object names. */
export const DNS_LABEL = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';
/** DNS subdomain, RFC 1123 (Kubernetes `IsDNS1123Subdomain`, 253 characters): object names, hosts, domains. */
export const DNS_SUBDOMAIN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';

/**
 * A container image reference, as github.com/distribution/reference
 * (regexp.go, `ReferenceRegexp`) defines it: [domain[:port]/]path[:tag][@digest].
 * Its `[[:xdigit:]]` is spelled `[0-9a-fA-F]` (JavaScript has no POSIX classes).
 */
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[(?:[a-fA-F0-9:]+)\\])(?::[0-9]+)?`;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*';
const REMOTE_NAME = `${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
export const IMAGE_REPOSITORY = `^(?:${DOMAIN}/)?${REMOTE_NAME}$`;
export const IMAGE_REFERENCE = `^(?:${DOMAIN}/)?${REMOTE_NAME}(?::[\\w][\\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$`;

/** distribution/reference: a name is at most 255 characters; a tag adds 129, a sha256 digest 72. */
export const IMAGE_MAX_LENGTH = 512;

/** A string with a pattern and a length limit (and at least one character). */
function bounded(pattern: string, maxLength: number, options: SchemaOptions): TString {
  return Type.String({ minLength: 1, ...options, pattern, maxLength });
}

/** A Kubernetes object name that must be one DNS label (63 characters unless `maxLength` says less). */
export function DnsLabel(options: SchemaOptions & { maxLength?: number } = {}): TString {
  return bounded(DNS_LABEL, options.maxLength ?? 63, options);
}

/** A Kubernetes object name (a Secret, a ProviderConfig), a host or a domain: a DNS subdomain. */
export function DnsSubdomain(options: SchemaOptions & { maxLength?: number } = {}): TString {
  return bounded(DNS_SUBDOMAIN, options.maxLength ?? 253, options);
}

/** A container image reference. */
export function ImageReference(options: SchemaOptions = {}): TString {
  return bounded(IMAGE_REFERENCE, IMAGE_MAX_LENGTH, options);
}

/** A key of a Secret's data (Kubernetes `IsConfigMapKey`: 253 characters of `-._a-zA-Z0-9`). */
export function SecretKey(options: SchemaOptions = {}): TString {
  return bounded('^[-._a-zA-Z0-9]+$', 253, options);
}

/** Free text with only a length limit (a password, a command argument). */
export function BoundedText(maxLength: number, options: SchemaOptions = {}): TString {
  return Type.String({ ...options, maxLength });
}

/** A string with its own format (`pattern`) and a length limit. */
export function Formatted(pattern: string, maxLength: number, options: SchemaOptions = {}): TString {
  return bounded(pattern, maxLength, options);
}
