/// <reference types="@tarojs/taro" />

declare module '*.css';

declare namespace NodeJS {
  interface ProcessEnv {
    /** Inlined by Taro at build time. */
    TARO_ENV?: 'weapp' | 'h5';
    TARO_APP_API_BASE_URL?: string;
    TARO_APP_CASHIER_URL?: string;
    TARO_APP_EMULATOR_URL?: string;
    TARO_APP_APP_ID?: string;
  }
}
