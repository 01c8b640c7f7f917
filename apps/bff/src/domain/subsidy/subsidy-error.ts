/** Domain error of the subsidy module: a stable code, no HTTP status, no personal data. */
export class SubsidyError extends Error {
  override name = 'SubsidyError';
  constructor(
    readonly code:
      | 'SUBSIDY_ONE_APPLIANCE_PER_ORDER'
      | 'SUBSIDY_NOT_ELIGIBLE'
      | 'SUBSIDY_PII_UNREADABLE'
      | 'SUBSIDY_SYNC_INVALID'
      | 'SUBSIDY_ORDER_NOT_FOUND'
      | 'SUBSIDY_ORDER_NOT_PAID'
      | 'SUBSIDY_CONFIG_INVALID',
    message: string,
  ) {
    super(message);
  }
}
