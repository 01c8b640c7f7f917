import { Button, Text, View } from '@tarojs/components';
import { MAX_QUANTITY } from '../state/cart-store';

export function QuantityStepper({ value, label, onChange }: { value: number; label: string; onChange: (value: number) => void }) {
  return (
    <View className='stepper'>
      <Button className='stepper__btn' aria-label={`减少${label}数量`} onClick={() => onChange(value - 1)}>
        −
      </Button>
      <Text className='stepper__value' aria-label={`${label}数量`}>
        {value}
      </Text>
      <Button className='stepper__btn' aria-label={`增加${label}数量`} disabled={value >= MAX_QUANTITY || undefined} onClick={() => onChange(value + 1)}>
        +
      </Button>
    </View>
  );
}
