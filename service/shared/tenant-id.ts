// What a shop (tenant) id looks like: the service's schemas and tenant check enforce it, and the
// web page checks its shop box against the same pattern before it sends anything.

export const TENANT_ID_PATTERN = '^[a-z0-9][a-z0-9-]{0,63}$';
