import { Picker, Text, View } from '@tarojs/components';
import type { RegionPickerProps } from './region-picker-props';

const codeIndex = { city: 1, district: 2 } as const;

/**
 * WeChat's own region picker (mode="region"): it yields the names and the 6-digit administrative
 * division codes, so nobody types a code. The H5 build uses region-picker.h5.tsx.
 */
export function RegionPicker({ label, level, name, placeholder, invalid, onChange }: RegionPickerProps) {
  return (
    <Picker
      mode='region'
      level={level === 'city' ? 'city' : 'region'}
      value={name ? name.split(' ') : []}
      onChange={(event) => {
        const { code, value } = event.detail;
        const picked = code[codeIndex[level]];
        if (picked && /^\d{6}$/.test(picked)) onChange({ code: picked, name: value.slice(0, codeIndex[level] + 1).join(' ') });
      }}
    >
      <View className={`form__input form__picker${invalid ? ' form__input--invalid' : ''}`} aria-label={label}>
        <Text className={name ? '' : 'form__placeholder'}>{name || placeholder}</Text>
      </View>
    </Picker>
  );
}
