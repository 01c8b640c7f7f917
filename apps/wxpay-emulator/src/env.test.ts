import { describe, expect, it } from 'vitest';
import { readEnv } from './env';

describe('readEnv', () => {
  it('takes the notify answer timeout from env or flag', () => {
    expect(readEnv({ WXPAY_EMULATOR_NOTIFY_TIMEOUT_MS: '20000' }, []).notifyTimeoutMs).toBe(20000);
    expect(readEnv({}, ['--notify-timeout-ms', '750']).notifyTimeoutMs).toBe(750);
  });

  it('defaults to 127.0.0.1:3100, no config, real-time notifications', () => {
    expect(readEnv({}, [])).toEqual({
      port: 3100,
      securePort: 3101,
      host: '127.0.0.1',
      configPath: undefined,
      notifyTimeScale: 1,
      notifyTimeoutMs: undefined,
      refundMinIntervalMs: 60_000,
    });
  });

  it('reads env and lets flags override it', () => {
    const env = { WXPAY_EMULATOR_PORT: '4000', WXPAY_EMULATOR_CONFIG: 'a.json', WXPAY_EMULATOR_NOTIFY_TIME_SCALE: '0.01' };
    expect(readEnv(env, ['--', '--port', '0', '--host=0.0.0.0'])).toEqual({
      port: 0,
      securePort: 3101,
      host: '0.0.0.0',
      configPath: 'a.json',
      notifyTimeScale: 0.01,
      notifyTimeoutMs: undefined,
      refundMinIntervalMs: 60_000,
    });
  });

  it('takes the HTTPS port and the refund interval from env or flag', () => {
    expect(readEnv({ WXPAY_EMULATOR_SECURE_PORT: '4443' }, []).securePort).toBe(4443);
    expect(readEnv({}, ['--secure-port', '0']).securePort).toBe(0);
    expect(readEnv({ WXPAY_EMULATOR_REFUND_MIN_INTERVAL_MS: '0' }, []).refundMinIntervalMs).toBe(0);
    expect(readEnv({}, []).billReadyHourBeijing).toBeUndefined();
    expect(readEnv({ WXPAY_EMULATOR_BILL_READY_HOUR: '9' }, []).billReadyHourBeijing).toBe(9);
    expect(readEnv({}, ['--bill-ready-hour', '0']).billReadyHourBeijing).toBe(0);
    expect(() => readEnv({ WXPAY_EMULATOR_BILL_READY_HOUR: '24' }, [])).toThrow(/WXPAY_EMULATOR_BILL_READY_HOUR/);
    expect(() => readEnv({ WXPAY_EMULATOR_BILL_READY_HOUR: '9.5' }, [])).toThrow(/WXPAY_EMULATOR_BILL_READY_HOUR/);
    expect(() => readEnv({}, ['--secure-port', '70000'])).toThrow(/SECURE_PORT/);
  });

  it('refuses bad values and unknown flags with a clear message', () => {
    expect(() => readEnv({ WXPAY_EMULATOR_PORT: 'abc' }, [])).toThrow(/WXPAY_EMULATOR_PORT/);
    expect(() => readEnv({ WXPAY_EMULATOR_NOTIFY_TIME_SCALE: '-1' }, [])).toThrow(/NOTIFY_TIME_SCALE/);
    expect(() => readEnv({}, ['--prot', '1'])).toThrow(/unknown flag --prot/);
    expect(() => readEnv({}, ['--port'])).toThrow(/needs a value/);
    expect(() => readEnv({ WXPAY_EMULATOR_NOTIFY_TIMEOUT_MS: '0' }, [])).toThrow(/NOTIFY_TIMEOUT_MS/);
  });
});
