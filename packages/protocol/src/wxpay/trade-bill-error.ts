import { WxPayError } from './errors';

/**
 * Why a trade bill was refused. Every one means "do not reconcile against this file": the rows
 * already yielded must be discarded, and the download retried or escalated.
 */
export type TradeBillErrorCode =
  /** The body is empty. */
  | 'BILL_EMPTY'
  /** The first line is not the header of a known bill type (or the legacy format). */
  | 'BILL_UNKNOWN_HEADER'
  /** The header is of another bill type than the one requested. */
  | 'BILL_TYPE_MISMATCH'
  /** A detail row has the wrong number of fields or a field that does not parse. */
  | 'BILL_MALFORMED_ROW'
  /** The summary header or values line is not what this bill type has. */
  | 'BILL_MALFORMED_SUMMARY'
  /** The rows end cleanly but no summary follows. */
  | 'BILL_SUMMARY_MISSING'
  /** The body stops inside a line, inside the summary, or inside the gzip stream. */
  | 'BILL_TRUNCATED'
  /** 总交易单数 differs from the number of rows. */
  | 'BILL_COUNT_MISMATCH'
  /** A summary total differs from the sum of its column. */
  | 'BILL_TOTAL_MISMATCH'
  /** Something other than blank lines follows the summary. */
  | 'BILL_TRAILING_CONTENT'
  /** A line longer than the parser's cap (no real row comes close). */
  | 'BILL_LINE_TOO_LONG'
  /** The bytes are not UTF-8. */
  | 'BILL_ENCODING_INVALID'
  /** The body starts as gzip but does not decompress. */
  | 'BILL_GZIP_INVALID'
  /** The body is XML but not a `return_code=FAIL` error answer. */
  | 'BILL_UNEXPECTED_XML';

/** A trade bill that cannot be trusted. `line` is 1-based in the (decompressed) file. */
export class WxPayBillError extends WxPayError {
  override name = 'WxPayBillError';
  constructor(
    override readonly code: TradeBillErrorCode,
    message: string,
    readonly line?: number,
    /** The header name of the column concerned, when there is one. */
    readonly column?: string,
    options?: ErrorOptions,
  ) {
    super(code, line === undefined ? message : `line ${line}: ${message}`, undefined, options);
  }
}
