// WeChat Pay wire protocol. Node only, no I/O: time and randomness are arguments.
export * from './errors';
export * from './merchant';
export * from './xml-codec';
export * from './v2-sign';
export * from './request-payment';
export * from './wxpay-time';
export * from './unifiedorder';
export * from './orderquery';
export * from './closeorder';
export * from './pay-notification';
export * from './report';
export * from './v3-keys';
export * from './v3-sign';
export * from './v3-verify';
export * from './v3-oaep';
export * from './v3-aes-gcm';
export * from './gov-subsidy';
