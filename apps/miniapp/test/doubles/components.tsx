// Test double for @tarojs/components in jsdom: plain DOM elements with Taro's event shapes.
import type { ReactNode } from 'react';

type Common = { className?: string; children?: ReactNode; onClick?: () => void } & Record<`data-${string}` | `aria-${string}`, unknown> & { role?: string };

const pass = (props: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(props).filter(([key]) => key === 'className' || key === 'role' || key.startsWith('data-') || key.startsWith('aria-')));

export function View({ children, onClick, ...rest }: Common) {
  return (
    <div {...pass(rest)} onClick={onClick}>
      {children}
    </div>
  );
}

export function Text({ children, onClick, ...rest }: Common) {
  return (
    <span {...pass(rest)} onClick={onClick}>
      {children}
    </span>
  );
}

export function Button({ children, onClick, disabled, loading, ...rest }: Common & { disabled?: boolean; loading?: boolean }) {
  return (
    <button type='button' {...pass(rest)} disabled={disabled} aria-busy={loading ? 'true' : undefined} onClick={onClick}>
      {children}
    </button>
  );
}

export function Image({ src, mode, onError, ...rest }: Common & { src: string; mode?: string; onError?: () => void }) {
  return <img alt='' src={src} data-mode={mode} {...pass(rest)} onError={onError} />;
}

export function Input({ value, placeholder, onInput, name, ...rest }: Common & { value?: string; placeholder?: string; name?: string; onInput?: (event: { detail: { value: string } }) => void }) {
  return <input {...pass(rest)} name={name} value={value} placeholder={placeholder} onChange={(event) => onInput?.({ detail: { value: event.target.value } })} />;
}

export function Switch({ checked, onChange, ...rest }: Common & { checked?: boolean; onChange?: (event: { detail: { value: boolean } }) => void }) {
  return <input type='checkbox' role='switch' {...pass(rest)} checked={checked} onChange={(event) => onChange?.({ detail: { value: event.target.checked } })} />;
}

/**
 * WeChat's region picker: the test picks by changing the inner input to the JSON of the change
 * event's detail ({ value: names, code: codes }), the shape WeChat sends.
 */
export function Picker({ children, onChange, mode, level }: { children?: ReactNode; mode: string; level?: string; onChange?: (event: { detail: unknown }) => void }) {
  return (
    <div data-picker-mode={mode} data-picker-level={level}>
      {children}
      <input data-testid={`picker-${level ?? mode}`} onChange={(event) => onChange?.({ detail: JSON.parse(event.target.value) as unknown })} />
    </div>
  );
}
