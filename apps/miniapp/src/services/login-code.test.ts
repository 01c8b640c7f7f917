import { describe, expect, inject, it } from 'vitest';
import { createLoginCodeSource } from './login-code';
import { taroTransport } from './taro-transport';

const base = { appId: 'wxdev0000000000001', transport: taroTransport, wxLogin: () => Promise.reject(new Error('no wx.login here')) };

describe('login codes', () => {
  it('weapp: uses wx.login', async () => {
    const source = createLoginCodeSource({ ...base, platform: 'weapp', emulatorUrl: null, wxLogin: () => Promise.resolve({ code: 'wx-code' }) });
    await expect(source()).resolves.toBe('wx-code');
  });

  it('weapp: a login without a code is LOGIN_FAILED', async () => {
    const source = createLoginCodeSource({ ...base, platform: 'weapp', emulatorUrl: null, wxLogin: () => Promise.resolve({ errMsg: 'login:fail' }) });
    await expect(source()).rejects.toMatchObject({ code: 'LOGIN_FAILED' });
  });

  it('H5 dev: gets a code the real emulator accepts for jscode2session', async () => {
    const emulatorUrl = inject('emulatorUrl');
    const source = createLoginCodeSource({ ...base, platform: 'h5', emulatorUrl });
    const code = await source();
    expect(code).toMatch(/\S{8,}/);
    const session = await fetch(`${emulatorUrl}/sns/jscode2session?appid=wxdev0000000000001&secret=devsecret00000000000000000000001&js_code=${code}&grant_type=authorization_code`);
    expect(await session.json()).toMatchObject({ openid: expect.any(String) as string });
  });

  it('H5 without an emulator cannot log in, and says so', async () => {
    const source = createLoginCodeSource({ ...base, platform: 'h5', emulatorUrl: null });
    await expect(source()).rejects.toMatchObject({ code: 'LOGIN_UNAVAILABLE' });
  });
});
