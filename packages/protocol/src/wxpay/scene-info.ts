import { WxPayValidationError } from './errors';

/** `scene_info` of unifiedorder: the store the payment is made in (门店信息). */
export interface StoreInfo {
  /** 门店编号, String(32), the merchant's own id. */
  id: string;
  /** 门店名称, String(64). */
  name: string;
  /** 门店行政区划码: a 6-digit county-level code, e.g. 440305. */
  areaCode: string;
  /** 门店详细地址, String(128). */
  address: string;
}

export interface SceneInfo {
  storeInfo: StoreInfo;
}

/** scene_info is String(256). Limits are counted in UTF-8 bytes, the stricter reading of String(n). */
export const SCENE_INFO_MAX_BYTES = 256;

const LIMITS = { id: 32, name: 64, address: 128 } as const;

function invalid(message: string): WxPayValidationError {
  return new WxPayValidationError('FIELD_INVALID', 'scene_info', `scene_info ${message}`);
}

/** The table lists all four members under store_info without saying which may be left out: all are required here. */
export function requireStoreInfo(store: unknown): StoreInfo {
  if (typeof store !== 'object' || store === null) throw invalid('store_info must be an object');
  const s = store as Record<string, unknown>;
  for (const [member, max] of Object.entries(LIMITS)) {
    const value = s[member];
    if (typeof value !== 'string' || value === '') throw invalid(`store_info.${member} is missing`);
    if (Buffer.byteLength(value, 'utf8') > max) throw invalid(`store_info.${member} is longer than ${max} bytes of UTF-8`);
  }
  if (typeof s.areaCode !== 'string' || !/^[0-9]{6}$/.test(s.areaCode)) throw invalid('store_info.area_code must be 6 digits');
  return { id: s.id as string, name: s.name as string, areaCode: s.areaCode, address: s.address as string };
}

/** `{"store_info":{"id","name","area_code","address"}}`, checked against String(256). */
export function serializeSceneInfo(scene: SceneInfo): string {
  const store = requireStoreInfo(scene.storeInfo);
  const json = JSON.stringify({ store_info: { id: store.id, name: store.name, area_code: store.areaCode, address: store.address } });
  const bytes = Buffer.byteLength(json, 'utf8');
  if (bytes > SCENE_INFO_MAX_BYTES) throw invalid(`is ${bytes} bytes of UTF-8; at most ${SCENE_INFO_MAX_BYTES} allowed`);
  return json;
}
