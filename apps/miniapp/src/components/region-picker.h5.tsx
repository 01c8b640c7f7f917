import { Text, View } from '@tarojs/components';
import { useEffect, useState } from 'react';
import type { RegionPickerProps } from './region-picker-props';
import './region-picker.h5.css';

type AreaList = { province_list: Record<string, string>; city_list: Record<string, string>; county_list: Record<string, string> };

/** The national division list (GB/T 2260 codes), only fetched when a buyer opens the picker. */
let areas: Promise<AreaList> | null = null;
const loadAreas = () => (areas ??= import('@vant/area-data').then((module) => module.areaList));

interface Step {
  code: string;
  name: string;
}

/** Children of a division: same leading digits (2 for a province's cities, 4 for a city's districts). */
function childrenOf(list: Record<string, string>, parent: string, digits: number): Step[] {
  const prefix = parent.slice(0, digits);
  return Object.entries(list)
    .filter(([code]) => code.startsWith(prefix))
    .map(([code, name]) => ({ code, name }));
}

/**
 * H5 stand-in for WeChat's region picker (Taro's H5 Picker has no region mode): province → city
 * (→ district), tap by tap, yielding the same 6-digit codes.
 */
export function RegionPicker({ label, level, name, placeholder, invalid, onChange }: RegionPickerProps) {
  const [open, setOpen] = useState(false);
  const [data, setData] = useState<AreaList | null>(null);
  const [path, setPath] = useState<Step[]>([]);

  useEffect(() => {
    if (open && data === null) void loadAreas().then(setData);
  }, [open, data]);

  const depth = level === 'city' ? 2 : 3;
  const options: Step[] =
    data === null
      ? []
      : path.length === 0
        ? Object.entries(data.province_list).map(([code, provinceName]) => ({ code, name: provinceName }))
        : path.length === 1
          ? childrenOf(data.city_list, path[0]?.code ?? '', 2)
          : childrenOf(data.county_list, path[1]?.code ?? '', 4);

  const choose = (step: Step) => {
    const next = [...path, step];
    if (next.length < depth) {
      setPath(next);
      return;
    }
    onChange({ code: step.code, name: next.map((part) => part.name).join(' ') });
    setPath([]);
    setOpen(false);
  };

  return (
    <View className='region-picker'>
      <View className={`form__input form__picker${invalid ? ' form__input--invalid' : ''}`} role='button' aria-label={label} onClick={() => setOpen(!open)}>
        <Text className={name ? '' : 'form__placeholder'}>{name || placeholder}</Text>
      </View>
      {open ? (
        <View className='region-picker__panel' data-testid={`region-panel-${label}`}>
          <View className='region-picker__path'>
            <Text className='chip' onClick={() => setPath([])}>
              全部
            </Text>
            {path.map((step, index) => (
              <Text key={step.code} className='chip chip--active' onClick={() => setPath(path.slice(0, index + 1))}>
                {step.name}
              </Text>
            ))}
          </View>
          {data === null ? <Text className='form__hint'>正在加载地区…</Text> : null}
          <View className='chips region-picker__options'>
            {options.map((option) => (
              <Text key={option.code} className='chip' onClick={() => choose(option)}>
                {option.name}
              </Text>
            ))}
          </View>
        </View>
      ) : null}
    </View>
  );
}
