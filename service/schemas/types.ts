// The routes' TypeScript types, derived from their JSON schemas (the one description of the API),
// so a handler's req.params, req.query, req.body and reply cannot drift from what is validated.
//
// Why json-schema-to-ts rather than TypeBox: it reads the plain JSON schemas we already have
// (`as const`), so the objects Ajv compiles and @fastify/swagger documents stay exactly as they
// were: the 400 messages, the refusal of unknown fields, the custom `maxUnits` keyword, the
// decimal-only URL integers and the OpenAPI document do not change by a byte. TypeBox would have
// rewritten every schema through Type.* and added its own package at run time, where only types
// are imported from json-schema-to-ts (`import type`): nothing of it runs.
//
// Why our own provider rather than @fastify/type-provider-json-schema-to-ts: that one types a reply
// by FromSchema too, which reads an object schema without `additionalProperties` as open (an
// index signature `[x: string]: unknown`), true for validation but not for the reply: Fastify
// serializes a response with fast-json-stringify, which writes only the declared properties. The
// domain types (variants/contract.ts interfaces) have no index signature, so every handler would
// need a cast; adding `additionalProperties: false` to the response schemas instead would change
// the OpenAPI document. So a reply's type is FromSchema without the index signatures: what the
// serializer writes.
import type { FastifyPluginAsync, FastifyPluginOptions, FastifyTypeProvider, RawServerDefault } from 'fastify';
import type { FromSchema, JSONSchema } from 'json-schema-to-ts';

/** What fast-json-stringify writes for a value of type T: declared properties only. */
export type Serialized<T> = T extends readonly (infer Item)[]
  ? Serialized<Item>[]
  : T extends object
    ? { [K in keyof T as string extends K ? never : K]: Serialized<T[K]> }
    : T;

/**
 * Requests as the schema validates them (defaults applied: a property with a `default` is
 * present), replies as the serializer writes them. Schemas must be `as const` to be read. A
 * response of `{type: 'null'}` is a 204's: no body at all, so `reply.send()` with no payload (a
 * `null` one would go through the serializer only for Fastify to drop what it wrote).
 */
export interface SchemaTypeProvider extends FastifyTypeProvider {
  validator: this['schema'] extends JSONSchema ? FromSchema<this['schema']> : unknown;
  serializer: this['schema'] extends { readonly type: 'null' }
    ? undefined
    : this['schema'] extends JSONSchema
      ? Serialized<FromSchema<this['schema']>>
      : unknown;
}

/** A route plugin whose handlers get their types from their route's schema. */
export type RoutePlugin<Options extends FastifyPluginOptions = Record<never, never>> = FastifyPluginAsync<Options, RawServerDefault, SchemaTypeProvider>;

/** The type a request part (params, querystring, body, headers) gets from its schema, as a handler sees it. */
export type RequestOf<Schema> = (SchemaTypeProvider & { schema: Schema })['validator'];

/** The type a reply gets from the response schema of one status code, as a handler sends it. */
export type ReplyOf<Schema> = (SchemaTypeProvider & { schema: Schema })['serializer'];
