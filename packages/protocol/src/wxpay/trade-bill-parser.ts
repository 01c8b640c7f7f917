import { Readable, pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { feeYuanToFen, parseSummaryNumber, yuanToFen } from './bill-amount';
import { parseBillTime } from './bill-time';
import { DOWNLOADBILL_ERROR_MAX_BYTES, downloadBillXmlError } from './downloadbill';
import { WxPayValidationError } from './errors';
import { TRADE_BILL_COLUMNS, TRADE_BILL_SUMMARY_COLUMNS, TRADE_BILL_TYPES, type TradeBillType } from './trade-bill-columns';
import { WxPayBillError } from './trade-bill-error';
import {
  TRADE_BILL_REFUND_CHANNELS,
  TRADE_BILL_REFUND_STATUSES,
  TRADE_BILL_TRADE_STATES,
  TradeBillTotals,
  type TradeBillRefund,
  type TradeBillRow,
  type TradeBillSummary,
} from './trade-bill-row';

/** A body as it arrives: a Node Readable, a fetch body (`ReadableStream<Uint8Array>`), an array of chunks. */
export type TradeBillSource = AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;

export interface TradeBillParseOptions {
  /** The bill type requested; a bill of another type is refused with `BILL_TYPE_MISMATCH`. */
  billType?: TradeBillType;
  /** Longest accepted line, in characters (default 64 Ki; real rows are well under 1 Ki). */
  maxLineLength?: number;
}

const DEFAULT_MAX_LINE = 64 * 1024;
const BOM = '\uFEFF';
const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;

/**
 * Reads a downloadbill answer row by row, holding one chunk and one line at a time.
 *
 * Iterate it once. Rows come out as they are read, before the summary is checked: they are
 * provisional until the iteration ends without throwing; only then is `summary` set. A bill
 * that is corrupt (see `WxPayBillError` codes) throws at the point it is found, typically at
 * the end; an XML error answer throws `WxPayDownloadBillError` before any row.
 */
export class TradeBillReader implements AsyncIterable<TradeBillRow> {
  /** Known once the header was read. */
  billType: TradeBillType | undefined;
  /** The checked summary; set only after the whole bill was read and agreed with its rows. */
  summary: TradeBillSummary | undefined;
  #started = false;

  constructor(
    private readonly source: TradeBillSource,
    private readonly options: TradeBillParseOptions = {},
  ) {}

  [Symbol.asyncIterator](): AsyncIterator<TradeBillRow> {
    if (this.#started) throw new Error('a TradeBillReader can be iterated only once');
    this.#started = true;
    return this.#rows();
  }

  async *#rows(): AsyncGenerator<TradeBillRow, void, undefined> {
    const lines = new LineParser(this.options.billType);
    const maxLine = this.options.maxLineLength ?? DEFAULT_MAX_LINE;
    let pending = '';
    let lineNo = 0;
    for await (const text of decodedText(this.source)) {
      const buf = pending + text;
      let start = 0;
      for (let nl = buf.indexOf('\n', start); nl !== -1; nl = buf.indexOf('\n', start)) {
        lineNo += 1;
        const end = nl > start && buf.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
        if (end - start > maxLine) throw tooLong(lineNo, maxLine);
        const row = lines.line(buf.slice(start, end), lineNo);
        if (lines.billType !== undefined) this.billType = lines.billType;
        if (row !== undefined) yield row;
        start = nl + 1;
      }
      pending = start === 0 ? buf : buf.slice(start);
      if (pending.length > maxLine) throw tooLong(lineNo + 1, maxLine);
    }
    this.summary = lines.end(pending, lineNo + 1);
    this.billType = lines.billType;
  }
}

const tooLong = (line: number, max: number): WxPayBillError =>
  new WxPayBillError('BILL_LINE_TOO_LONG', `line longer than ${max} characters`, line);

/** Reads a downloadbill answer; see `TradeBillReader`. */
export function readTradeBill(source: TradeBillSource, options: TradeBillParseOptions = {}): TradeBillReader {
  return new TradeBillReader(source, options);
}

/** Reads a whole (small) bill into memory: for tests, the emulator and one-off tools. */
export async function collectTradeBill(
  source: TradeBillSource,
  options: TradeBillParseOptions = {},
): Promise<{ billType: TradeBillType; rows: TradeBillRow[]; summary: TradeBillSummary }> {
  const reader = readTradeBill(source, options);
  const rows: TradeBillRow[] = [];
  for await (const row of reader) rows.push(row);
  // Both are set whenever the iteration ended without throwing.
  return { billType: reader.billType as TradeBillType, rows, summary: reader.summary as TradeBillSummary };
}

// ---------------------------------------------------------------------------------------------
// Bytes → text: sniff gzip and XML, decode UTF-8 across chunk boundaries.

async function* chunksOf(source: TradeBillSource): AsyncGenerator<Uint8Array | string> {
  for await (const chunk of source as AsyncIterable<Uint8Array | string>) {
    if (typeof chunk !== 'string' && !(chunk instanceof Uint8Array)) {
      throw new TypeError('a trade bill source must yield Uint8Array or string chunks');
    }
    if (chunk.length > 0) yield chunk;
  }
}

async function* withHead(head: readonly (Uint8Array | string)[], rest: AsyncIterator<Uint8Array | string>): AsyncGenerator<Uint8Array | string> {
  yield* head;
  for (let next = await rest.next(); next.done !== true; next = await rest.next()) yield next.value;
}

/** Index of the first byte/char that is not a BOM or ASCII whitespace, if the head holds one. */
function firstSignificant(head: readonly (Uint8Array | string)[]): number | undefined {
  let position = 0;
  for (const chunk of head) {
    for (let i = 0; i < chunk.length; i++, position++) {
      const c = typeof chunk === 'string' ? chunk.charCodeAt(i) : (chunk[i] ?? 0);
      const isBomPart = typeof chunk === 'string' ? c === 0xfeff && position === 0 : position < 3 && (c === 0xef || c === 0xbb || c === 0xbf);
      if (!isBomPart && c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return c;
    }
  }
  return undefined;
}

async function* decodedText(source: TradeBillSource, allowGzip = true): AsyncGenerator<string> {
  const it = chunksOf(source)[Symbol.asyncIterator]();
  try {
    // Look at the start: a little is enough, but a body of only whitespace is read to its end.
    const head: (Uint8Array | string)[] = [];
    let size = 0;
    let first: number | undefined;
    while ((first === undefined || size < 2) && size <= DEFAULT_MAX_LINE) {
      const next = await it.next();
      if (next.done === true) break;
      head.push(next.value);
      size += next.value.length;
      first = firstSignificant(head);
    }
    const firstChunk = head[0];
    if (firstChunk === undefined) throw new WxPayBillError('BILL_EMPTY', 'the downloadbill body is empty');

    const body = withHead(head, it);
    if (allowGzip && typeof firstChunk !== 'string' && startsWithGzipMagic(head)) {
      yield* decodedText(gunzip(body), false);
      return;
    }
    if (first === 0x3c /* '<' */) throw await xmlAnswerError(body);
    yield* utf8(body);
  } finally {
    await it.return?.(undefined);
  }
}

function startsWithGzipMagic(head: readonly (Uint8Array | string)[]): boolean {
  const bytes: number[] = [];
  for (const chunk of head) {
    if (typeof chunk === 'string') return false;
    for (let i = 0; i < chunk.length && bytes.length < 2; i++) bytes.push(chunk[i] ?? 0);
  }
  return bytes[0] === GZIP_MAGIC_0 && bytes[1] === GZIP_MAGIC_1;
}

async function xmlAnswerError(body: AsyncIterable<Uint8Array | string>): Promise<Error> {
  const parts: string[] = [];
  let size = 0;
  for await (const text of utf8(body)) {
    size += text.length;
    if (size > DOWNLOADBILL_ERROR_MAX_BYTES) {
      return new WxPayBillError('BILL_UNEXPECTED_XML', `downloadbill answered more than ${DOWNLOADBILL_ERROR_MAX_BYTES} characters of XML`);
    }
    parts.push(text);
  }
  return downloadBillXmlError(parts.join(''));
}

async function* utf8(body: AsyncIterable<Uint8Array | string>): AsyncGenerator<string> {
  // ignoreBOM: the parser strips the BOM itself, so a bill without one reads the same.
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  const decode = (bytes?: Uint8Array, stream = true): string => {
    try {
      return bytes === undefined ? decoder.decode() : decoder.decode(bytes, { stream });
    } catch (error) {
      throw bytes === undefined
        ? new WxPayBillError('BILL_TRUNCATED', 'the body ends inside a UTF-8 character', undefined, undefined, { cause: error })
        : new WxPayBillError('BILL_ENCODING_INVALID', 'the body is not UTF-8', undefined, undefined, { cause: error });
    }
  };
  for await (const chunk of body) {
    if (typeof chunk === 'string') {
      // A string chunk may only follow whole characters.
      const rest = decode();
      if (rest !== '') yield rest;
      yield chunk;
    } else {
      const text = decode(chunk);
      if (text !== '') yield text;
    }
  }
  const rest = decode();
  if (rest !== '') yield rest;
}

async function* gunzip(body: AsyncIterable<Uint8Array | string>): AsyncGenerator<Uint8Array> {
  const zlib = createGunzip();
  const input = Readable.from(
    (async function* () {
      for await (const chunk of body) {
        if (typeof chunk === 'string') throw new WxPayBillError('BILL_GZIP_INVALID', 'a gzip body cannot contain text chunks');
        yield chunk;
      }
    })(),
  );
  // pipeline destroys both streams on any error, and ends the source when we stop early.
  pipeline(input, zlib, () => undefined);
  try {
    for await (const chunk of zlib) yield chunk as Buffer;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('Z_')) {
      throw code === 'Z_BUF_ERROR'
        ? new WxPayBillError('BILL_TRUNCATED', 'the gzip stream ends early', undefined, undefined, { cause: error })
        : new WxPayBillError('BILL_GZIP_INVALID', `the gzip stream is invalid (${code})`, undefined, undefined, { cause: error });
    }
    throw error;
  } finally {
    zlib.destroy();
  }
}

// ---------------------------------------------------------------------------------------------
// Lines → typed rows and the checked summary.

type State = 'header' | 'rows' | 'summary-values' | 'done';

/** Column positions of one bill type, resolved from its header (order-independent). */
interface Layout {
  billType: TradeBillType;
  width: number;
  at: (name: string) => number;
}

function layoutOf(names: readonly string[], expected: readonly string[]): ((name: string) => number) | undefined {
  if (names.length !== expected.length) return undefined;
  const index = new Map<string, number>();
  names.forEach((name, i) => index.set(name, i));
  if (index.size !== names.length || expected.some((name) => !index.has(name))) return undefined;
  return (name) => index.get(name) ?? -1;
}

const ENUMS = {
  tradeState: new Set<string>(TRADE_BILL_TRADE_STATES),
  channel: new Set<string>(TRADE_BILL_REFUND_CHANNELS),
  status: new Set<string>(TRADE_BILL_REFUND_STATUSES),
};

class LineParser {
  billType: TradeBillType | undefined;
  #state: State = 'header';
  #layout: Layout | undefined;
  #summaryAt: ((name: string) => number) | undefined;
  #totals: TradeBillTotals | undefined;
  #summary: TradeBillSummary | undefined;
  #blankLine: number | undefined;
  #fields: RowFields | undefined;

  constructor(private readonly expectedType: TradeBillType | undefined) {}

  line(text: string, line: number): TradeBillRow | undefined {
    switch (this.#state) {
      case 'header':
        this.#header(text.startsWith(BOM) ? text.slice(1) : text, line);
        return undefined;
      case 'rows':
        if (text === '') {
          this.#blankLine ??= line;
          return undefined;
        }
        if (this.#blankLine !== undefined) throw new WxPayBillError('BILL_MALFORMED_ROW', 'blank line among the rows', this.#blankLine);
        if (text.charCodeAt(0) === 0x60 /* ` */) {
          const row = this.#row(text, line);
          this.#totals?.add(row);
          return row;
        }
        this.#summaryHeader(text, line);
        return undefined;
      case 'summary-values':
        this.#summaryValues(text, line);
        return undefined;
      case 'done':
        if (text.trim() !== '') throw new WxPayBillError('BILL_TRAILING_CONTENT', 'content after the summary line', line);
        return undefined;
    }
  }

  /** The stream ended; `rest` is an unterminated last line. Returns the checked summary. */
  end(rest: string, line: number): TradeBillSummary {
    if (this.#state === 'header' && rest.replace(BOM, '').trim() === '') rest = '';
    if (rest !== '') {
      // Only the summary values line may lack its line break: a cut inside it shows up as a total
      // that disagrees. A row or header without one was cut off.
      if (this.#state === 'summary-values' || this.#state === 'done') this.line(rest.endsWith('\r') ? rest.slice(0, -1) : rest, line);
      else throw new WxPayBillError('BILL_TRUNCATED', 'the body ends inside a line', line);
    }
    switch (this.#state) {
      case 'header':
        throw new WxPayBillError('BILL_EMPTY', 'the body has no header line');
      case 'rows':
        throw new WxPayBillError('BILL_SUMMARY_MISSING', 'the rows end without a summary', line);
      case 'summary-values':
        throw new WxPayBillError('BILL_TRUNCATED', 'the body ends after the summary header', line);
      case 'done':
        return this.#summary as TradeBillSummary;
    }
  }

  #header(text: string, line: number): void {
    const names = text.split(',');
    for (const billType of TRADE_BILL_TYPES) {
      const at = layoutOf(names, TRADE_BILL_COLUMNS[billType]);
      if (at === undefined) continue;
      if (this.expectedType !== undefined && billType !== this.expectedType) {
        throw new WxPayBillError('BILL_TYPE_MISMATCH', `asked for a ${this.expectedType} bill, got the header of a ${billType} bill`, line);
      }
      this.billType = billType;
      this.#layout = { billType, width: names.length, at };
      this.#fields = new RowFields(billType, at);
      this.#totals = new TradeBillTotals(billType);
      this.#state = 'rows';
      return;
    }
    const shown = text.length > 120 ? `${text.slice(0, 120)}…` : text;
    throw new WxPayBillError('BILL_UNKNOWN_HEADER', `not the header of an ALL, SUCCESS or REFUND bill: ${JSON.stringify(shown)}`, line);
  }

  #row(text: string, line: number): TradeBillRow {
    const layout = this.#layout as Layout;
    const values = text.slice(1).split(',`');
    if (values.length !== layout.width) {
      throw new WxPayBillError('BILL_MALFORMED_ROW', `${values.length} fields, the ${layout.billType} header has ${layout.width}`, line);
    }
    return (this.#fields as RowFields).row(values, line);
  }

  #summaryHeader(text: string, line: number): void {
    const billType = this.#layout?.billType as TradeBillType;
    const at = layoutOf(text.split(','), TRADE_BILL_SUMMARY_COLUMNS[billType]);
    if (at === undefined) {
      throw new WxPayBillError('BILL_MALFORMED_ROW', `neither a row (no leading backtick) nor the ${billType} summary header`, line);
    }
    this.#summaryAt = at;
    this.#state = 'summary-values';
  }

  #summaryValues(text: string, line: number): void {
    const billType = this.#layout?.billType as TradeBillType;
    const columns = TRADE_BILL_SUMMARY_COLUMNS[billType];
    if (text.charCodeAt(0) !== 0x60) throw new WxPayBillError('BILL_MALFORMED_SUMMARY', 'the summary values line must start with a backtick', line);
    const values = text.slice(1).split(',`');
    if (values.length !== columns.length) {
      throw new WxPayBillError('BILL_MALFORMED_SUMMARY', `${values.length} summary values, the ${billType} summary has ${columns.length}`, line);
    }
    const at = this.#summaryAt as (name: string) => number;
    const read = (name: string, scale: 0 | 2): number => {
      try {
        return parseSummaryNumber(values[at(name)] ?? '', scale, name);
      } catch (error) {
        throw new WxPayBillError('BILL_MALFORMED_SUMMARY', (error as Error).message, line, name, { cause: error });
      }
    };
    const stated: TradeBillSummary = {
      count: read('总交易单数', 0),
      settlementTotalFee: read('应结订单总金额', 2),
      serviceFee: read('手续费总金额', 2),
      totalFee: read('订单总金额', 2),
    };
    if (billType !== 'SUCCESS') {
      stated.refundFee = read('退款总金额', 2);
      stated.rechargeCouponRefundFee = read('充值券退款总金额', 2);
      stated.applyRefundFee = read('申请退款总金额', 2);
    }
    checkSummary(stated, (this.#totals as TradeBillTotals).summary(), line);
    this.#summary = stated;
    this.#state = 'done';
  }
}

const SUMMARY_NAMES: Readonly<Record<keyof TradeBillSummary, string>> = {
  count: '总交易单数',
  settlementTotalFee: '应结订单总金额',
  refundFee: '退款总金额',
  rechargeCouponRefundFee: '充值券退款总金额',
  serviceFee: '手续费总金额',
  totalFee: '订单总金额',
  applyRefundFee: '申请退款总金额',
};

function checkSummary(stated: TradeBillSummary, counted: TradeBillSummary, line: number): void {
  if (stated.count !== counted.count) {
    throw new WxPayBillError('BILL_COUNT_MISMATCH', `the summary says ${stated.count} rows, the bill has ${counted.count}`, line, SUMMARY_NAMES.count);
  }
  for (const key of Object.keys(SUMMARY_NAMES) as (keyof TradeBillSummary)[]) {
    if (key === 'count' || stated[key] === counted[key]) continue;
    throw new WxPayBillError(
      'BILL_TOTAL_MISMATCH',
      `${SUMMARY_NAMES[key]} says ${String(stated[key])} fen, the rows add up to ${String(counted[key])} fen`,
      line,
      SUMMARY_NAMES[key],
    );
  }
}

/** Field positions resolved once per bill, so a row is typed without name look-ups. */
class RowFields {
  readonly #p: Readonly<Record<string, number>>;
  #column = '';

  constructor(
    private readonly billType: TradeBillType,
    at: (name: string) => number,
  ) {
    const p: Record<string, number> = {};
    for (const name of TRADE_BILL_COLUMNS[billType]) p[name] = at(name);
    this.#p = p;
  }

  row(v: readonly string[], line: number): TradeBillRow {
    try {
      const row = this.#row(v);
      row.line = line;
      return row;
    } catch (error) {
      if (error instanceof WxPayValidationError) {
        throw new WxPayBillError('BILL_MALFORMED_ROW', `${this.#column}: ${error.message}`, line, this.#column, { cause: error });
      }
      throw error;
    }
  }

  #get(v: readonly string[], name: string): string {
    this.#column = name;
    return v[this.#p[name] ?? -1] ?? '';
  }

  #required(v: readonly string[], name: string): string {
    const value = this.#get(v, name);
    if (value === '') throw new WxPayValidationError('FIELD_MISSING', name, 'is empty');
    return value;
  }

  #fen(v: readonly string[], name: string): number {
    return yuanToFen(this.#get(v, name), name);
  }

  #oneOf<T extends string>(v: readonly string[], name: string, allowed: ReadonlySet<string>): T {
    const value = this.#get(v, name);
    if (!allowed.has(value)) throw new WxPayValidationError('FIELD_INVALID', name, `${JSON.stringify(value)} is not one of ${[...allowed].join(', ')}`);
    return value as T;
  }

  #row(v: readonly string[]): TradeBillRow {
    const tradeTime = parseBillTime(this.#get(v, '交易时间'), '交易时间');
    const row: TradeBillRow = {
      line: 0,
      tradeTime,
      appId: this.#required(v, '公众账号ID'),
      mchId: this.#required(v, '商户号'),
      subMchId: this.#get(v, '特约商户号'),
      deviceInfo: this.#get(v, '设备号'),
      transactionId: this.#required(v, '微信订单号'),
      outTradeNo: this.#required(v, '商户订单号'),
      openid: this.#get(v, '用户标识'),
      tradeType: this.#required(v, '交易类型'),
      tradeState: this.#oneOf(v, '交易状态', ENUMS.tradeState),
      bankType: this.#get(v, '付款银行'),
      feeType: this.#required(v, '货币种类'),
      settlementTotalFee: this.#fen(v, '应结订单金额'),
      couponFee: this.#fen(v, '代金券金额'),
      body: this.#get(v, '商品名称'),
      attach: this.#get(v, '商户数据包'),
      serviceFee: feeYuanToFen(this.#get(v, '手续费'), '手续费'),
      rate: this.#get(v, '费率'),
      totalFee: this.#fen(v, '订单金额'),
      rateNote: this.#get(v, '费率备注'),
    };
    if (this.billType !== 'SUCCESS') {
      const refund = this.#refund(v);
      if (refund !== undefined) row.refund = refund;
    }
    return row;
  }

  /** ALL bills fill the refund columns of a payment row with `0`, `0`, `0.00`, `0.00`, ``, ``. */
  #refund(v: readonly string[]): TradeBillRefund | undefined {
    const refundId = this.#get(v, '微信退款单号');
    if (this.billType === 'ALL' && (refundId === '' || refundId === '0')) {
      const outRefundNo = this.#get(v, '商户退款单号');
      const empty =
        (outRefundNo === '' || outRefundNo === '0') &&
        this.#fen(v, '退款金额') === 0 &&
        this.#fen(v, '充值券退款金额') === 0 &&
        this.#fen(v, '申请退款金额') === 0 &&
        this.#get(v, '退款类型') === '' &&
        this.#get(v, '退款状态') === '';
      this.#column = '微信退款单号';
      if (!empty) throw new WxPayValidationError('FIELD_MISSING', '微信退款单号', 'is empty while other refund columns are filled');
      return undefined;
    }
    this.#column = '微信退款单号';
    if (refundId === '' || refundId === '0') throw new WxPayValidationError('FIELD_MISSING', '微信退款单号', 'is empty on a refund row');
    const refund: TradeBillRefund = {
      refundId,
      outRefundNo: this.#required(v, '商户退款单号'),
      refundFee: this.#fen(v, '退款金额'),
      rechargeCouponRefundFee: this.#fen(v, '充值券退款金额'),
      channel: this.#oneOf(v, '退款类型', ENUMS.channel),
      status: this.#oneOf(v, '退款状态', ENUMS.status),
      applyRefundFee: this.#fen(v, '申请退款金额'),
    };
    if (this.billType === 'REFUND') {
      refund.appliedAt = parseBillTime(this.#get(v, '退款申请时间'), '退款申请时间');
      const succeeded = this.#get(v, '退款成功时间');
      if (succeeded !== '') refund.succeededAt = parseBillTime(succeeded, '退款成功时间');
    }
    return refund;
  }
}
