// How request parts are validated. Fastify's one Ajv coerces every part ("" becomes null, null
// becomes false, true becomes 1), which a URL needs (everything in it is text) and a JSON body
// does not: a body is typed by its sender, so it gets an Ajv that coerces nothing. The URL's
// integers are coerced only from plain decimal digits: Number() also reads 0x8, 0b111, +8, 12e0,
// "8 " and 1e400 (Infinity), none of which is an id, a page or a limit.
import AjvCompiler, { type Ajv, type ErrorObject, type ValidatorFactory } from '@fastify/ajv-compiler';

/** Digits only, no sign, no leading zero; ten at most, so the number is finite and max-checked. */
export const DECIMAL_INTEGER = /^(?:0|[1-9][0-9]{0,9})$/;

type Validate = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };

const fastifyCompilers = AjvCompiler();

function acceptsInteger(schema: unknown): boolean {
  const type = (schema as { type?: unknown } | null)?.type;
  return type === 'integer' || (Array.isArray(type) && type.includes('integer'));
}

/** Refuses non-decimal text in the integer properties of `schema` before `validate` coerces it. */
function decimalIntegersOnly(schema: unknown, validate: Validate): Validate {
  const properties = (schema as { properties?: Record<string, unknown> } | null)?.properties ?? {};
  const integers = Object.keys(properties).filter((key) => acceptsInteger(properties[key]));
  if (integers.length === 0) return validate;
  const checked: Validate = (data) => {
    for (const key of integers) {
      const raw = (data as Record<string, unknown> | null)?.[key];
      // A repeated query parameter arrives as a list; Ajv refuses lists of more than one.
      for (const value of Array.isArray(raw) ? raw : [raw]) {
        if (typeof value === 'string' && !DECIMAL_INTEGER.test(value)) {
          checked.errors = [
            {
              instancePath: `/${key}`,
              schemaPath: `#/properties/${key}/type`,
              keyword: 'type',
              params: { type: 'integer' },
              message: 'must be a whole number written in decimal digits',
            },
          ];
          return false;
        }
      }
    }
    const valid = validate(data);
    checked.errors = validate.errors;
    return valid;
  };
  return checked;
}

/** For `schemaController.compilersFactory.buildValidator`: Fastify's compiler, one Ajv per kind of part. */
export const buildValidator: ValidatorFactory = (externalSchemas, options) => {
  const ajvOptions = options?.mode === 'JTD' ? undefined : options;
  const forUrl = fastifyCompilers(externalSchemas, ajvOptions);
  const forBody = fastifyCompilers(externalSchemas, { ...ajvOptions, customOptions: { ...ajvOptions?.customOptions, coerceTypes: false } });
  return (route) => {
    if (route.httpPart === 'body') return forBody(route);
    return decimalIntegersOnly(route.schema, forUrl(route) as Validate) as ReturnType<typeof forUrl>;
  };
};

/**
 * `maxUnits`: a string's maximum length in UTF-16 code units. Ajv's maxLength counts code points
 * (as PostgreSQL does) but pg-mem's varchar counts code units; a limit in units holds on both.
 */
export function maxUnitsKeyword(ajv: Ajv): Ajv {
  const fits: ((max: number, text: string) => boolean) & { errors?: Partial<ErrorObject>[] } = (max, text) => {
    if (text.length <= max) return true;
    fits.errors = [{ keyword: 'maxUnits', params: { limit: max }, message: `must NOT have more than ${max} characters (UTF-16 code units)` }];
    return false;
  };
  return ajv.addKeyword({ keyword: 'maxUnits', type: 'string', schemaType: 'number', errors: true, validate: fits });
}
