import Taro from '@tarojs/taro';
import type { HttpTransport } from './http-transport';

const REQUEST_TIMEOUT_MS = 15_000;

/** Taro.request as an HttpTransport: the same code path on weapp (wx.request) and H5 (fetch). */
export const taroTransport: HttpTransport = async (request) => {
  const response = await Taro.request({
    url: request.url,
    method: request.method,
    header: request.headers,
    data: request.body as Record<string, unknown> | undefined,
    dataType: 'json',
    timeout: REQUEST_TIMEOUT_MS,
  });
  return { statusCode: response.statusCode, data: response.data as unknown };
};
