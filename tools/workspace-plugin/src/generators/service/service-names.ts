/** A request the service generator refuses; the message says why and what to do instead. */
export class ServiceGeneratorError extends Error {
  override readonly name = 'ServiceGeneratorError';
}

/*
 * Names are the same kebab-case segments as topic names (`leadership.<context>.<stream>.v1`, see
 * the messaging contracts' topic-name rule), so the service name can be the topic's context as is.
 */
const KEBAB = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
/** Long enough for any context name; short enough for Kubernetes names with suffixes (63 chars). */
const MAX_NAME_LENGTH = 40;
/**
 * Names that are scopes or folders of their own already: `scope:shared`/`scope:workspace` are
 * the shared libraries and workspace scripts; the others are folders under libs/ or tools/.
 */
const RESERVED_NAMES = new Set(['shared', 'workspace', 'kernel', 'platform', 'messaging', 'testing', 'projection', 'event-store', 'authority', 'audit', 'local-infra', 'scripts']);

/** Every spelling of a name the templates need. */
export interface NameForms {
  /** `case-distribution` */
  readonly kebab: string;
  /** `CaseDistribution` */
  readonly pascal: string;
  /** `caseDistribution` */
  readonly camel: string;
  /** `CASE_DISTRIBUTION` */
  readonly constant: string;
  /** `Case distribution` */
  readonly title: string;
  /** `case distribution` */
  readonly words: string;
}

export function nameForms(kebab: string): NameForms {
  const words = kebab.split('-');
  const pascal = words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
  return {
    kebab,
    pascal,
    camel: pascal.charAt(0).toLowerCase() + pascal.slice(1),
    constant: words.map((w) => w.toUpperCase()).join('_'),
    title: [words[0] ? words[0].charAt(0).toUpperCase() + words[0].slice(1) : '', ...words.slice(1)].join(' '),
    words: words.join(' '),
  };
}

/** Checks the service name and returns its forms. */
export function serviceName(raw: unknown): NameForms {
  const name = typeof raw === 'string' ? raw.trim() : '';
  if (!KEBAB.test(name)) {
    throw new ServiceGeneratorError(
      `service name "${String(raw)}" must be kebab-case (lower-case letters and digits, words joined by "-", starting with a letter), e.g. case-distribution`,
    );
  }
  if (name.length > MAX_NAME_LENGTH) throw new ServiceGeneratorError(`service name "${name}" is longer than ${MAX_NAME_LENGTH} characters`);
  if (RESERVED_NAMES.has(name)) throw new ServiceGeneratorError(`"${name}" is a shared library or scope of this workspace, not a bounded context; choose the context's own name`);
  return nameForms(name);
}

/** Checks the aggregate name (singular kebab-case) and returns its forms. */
export function aggregateName(raw: unknown): NameForms {
  const name = typeof raw === 'string' ? raw.trim() : '';
  if (!KEBAB.test(name) || name.length > MAX_NAME_LENGTH) {
    throw new ServiceGeneratorError(`aggregate name "${String(raw)}" must be a singular kebab-case name of at most ${MAX_NAME_LENGTH} characters, e.g. case`);
  }
  return nameForms(name);
}

/** Registered ports only, clear of the well-known ones below 1024. */
export function servicePort(raw: unknown): number {
  const port = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1024 || port > 65_535) {
    throw new ServiceGeneratorError(`--port ${String(raw)} must be an integer between 1024 and 65535, e.g. 3002`);
  }
  return port;
}
