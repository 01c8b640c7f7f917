import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Order, SubsidyBuyer } from '@checkout/protocol/contract';
import { eventually, expectError, expectOk, payAtCashierAndWait, startStack, type ContractClient, type Stack } from '@checkout/test-harness';

const buyer: SubsidyBuyer = {
  realName: '张小明',
  identityDocumentType: 'ID_DOC_TYPE_ID_CARD',
  idCardNumber: '11010519491231002X',
  phoneNumber: '13912345678',
  receiveRegionCode: '110105',
  qualificationRegionCode: 110000,
};

/**
 * A national-subsidy (国补) order: the discount is computed on the server, WeChat Pay is asked for
 * the discounted amount, and once paid the order is synced to the v3 gov-subsidy API. The buyer's
 * name, ID number and phone never appear in a response or a log line.
 */
describe('subsidy order through to its gov sync', () => {
  let stack: Stack;
  let client: ContractClient;
  let paidOrder: Order | undefined;

  beforeAll(async () => {
    stack = await startStack({ name: 'e2e-subsidy' });
    client = await stack.login();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('refuses a subsidy claim on a cart with no eligible appliance', async () => {
    const refused = expectError(await client.createOrder({ items: [{ productId: 'kettle', quantity: 1 }], subsidy: buyer }));
    expect(refused).toMatchObject({ status: 422, code: 'SUBSIDY_NOT_ELIGIBLE' });
  });

  it('discounts the appliance line by the default rule (first-level grade 20 %) and charges the rest', async () => {
    const products = expectOk(await client.listProducts()).products;
    const fridge = products.find((p) => p.appliance?.energyGrade === 'FIRST_LEVEL');
    const plain = products.find((p) => p.appliance === null);
    if (!fridge || !plain) throw new Error('catalog lacks a first-level appliance or a plain product');
    // Independent arithmetic: 20 % of the unit price, rounded down, capped at 2 000 yuan per unit.
    const discount = Math.min(Math.floor((fridge.priceFen * 2000) / 10_000), 2000_00);
    const created = expectOk(await client.createOrder({ items: [{ productId: fridge.id, quantity: 1 }, { productId: plain.id, quantity: 1 }], subsidy: buyer }));
    expect(created.order).toMatchObject({ totalFen: fridge.priceFen + plain.priceFen, subsidyDiscountFen: discount, payableFen: fridge.priceFen + plain.priceFen - discount });
    expect((await stack.emulator.order(created.order.outTradeNo))?.totalFee).toBe(created.order.payableFen);

    await payAtCashierAndWait(stack, client, created);
    paidOrder = created.order;
  });

  it('once paid, the order is synced to the v3 gov-subsidy API with the buyer data encrypted in transit', async () => {
    const order = paidOrder;
    if (order === undefined) throw new Error('the previous test did not pay a subsidy order');
    const sync = await eventually(
      async () => (await stack.emulator.govSyncs()).find((record) => JSON.stringify(record).includes(order.outTradeNo)),
      { timeoutMs: 20_000, description: `a gov subsidy sync for ${order.outTradeNo}` },
    );
    const body = sync.body as Record<string, unknown>;
    expect(body.out_trade_no).toBe(order.outTradeNo);
    // Decrypted by the emulator with the platform key: the BFF encrypted what the buyer gave.
    expect(body.real_name).toBe(buyer.realName);
    expect(body.id_card_number).toBe(buyer.idCardNumber);
    expect(sync.orderPaid).toBe(true);

    // PII: never in a response (the order as seen by its owner) nor in any BFF log line.
    const seen = JSON.stringify(expectOk(await client.getOrder(order.id)));
    const logs = readFileSync(join(stack.dir, 'bff.log'), 'utf8');
    for (const secret of [buyer.realName, buyer.idCardNumber, buyer.phoneNumber]) {
      expect(seen).not.toContain(secret);
      expect(logs).not.toContain(secret);
    }
  });
});
