import type { Knex } from 'knex';
import { NotFoundError, ConflictError, OutOfStockError, type TenantId } from '../contract';
import { num } from '../shared/rows';

export interface OrderLine {
  productId: number;
  sku: string;
  quantity: number;
  unitPriceCents: number;
}

/**
 * Takes the stock for every line inside the caller's transaction, or throws and takes none.
 * Invariant: stock never goes below zero and every unit sold was in stock. The decrement is one
 * conditional UPDATE, so two transactions cannot both pass the check on the same units;
 * products are updated in id order so that two multi-line orders cannot deadlock.
 */
export async function takeStock(
  trx: Knex.Transaction,
  tenant: TenantId,
  requested: { productId: number; quantity: number }[],
): Promise<OrderLine[]> {
  const quantities = new Map<number, number>();
  for (const { productId, quantity } of requested) {
    quantities.set(productId, (quantities.get(productId) ?? 0) + quantity);
  }
  const ids = [...quantities.keys()].sort((a, b) => a - b);
  const products = new Map(
    (await trx('products').where({ tenant_id: tenant }).whereIn('id', ids)).map((row) => [num(row.id), row]),
  );
  for (const id of ids) {
    const product = products.get(id);
    if (!product) throw new NotFoundError(`product ${id} not found`);
    if (product.available !== true) throw new ConflictError(`product ${product.sku} is not available`);
  }
  for (const id of ids) {
    const product = products.get(id)!;
    const quantity = quantities.get(id)!;
    if (product.stock === null) continue;
    // `?::int`: pg-mem evaluates `stock - $1` as `$1 - stock` when the parameter is untyped (pg-mem#482).
    const { rows } = await trx.raw(
      'update products set stock = stock - ?::int where id = ? and stock >= ?::int returning stock',
      [quantity, id, quantity],
    );
    if (rows.length === 0) {
      const { stock } = await trx('products').where({ id }).first('stock');
      throw new OutOfStockError(`insufficient stock for ${product.sku}: requested ${quantity}, available ${stock}`);
    }
  }
  return requested.map(({ productId, quantity }) => {
    const product = products.get(productId)!;
    return { productId, sku: String(product.sku), quantity, unitPriceCents: num(product.price_cents) };
  });
}
