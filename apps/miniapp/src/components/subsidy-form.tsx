import { identityDocumentTypes, type IdentityDocumentType } from '@checkout/protocol/contract';
import { Input, Text, View } from '@tarojs/components';
import type { SubsidyFormErrors, SubsidyFormValues } from '../state/subsidy-form';
import { RegionPicker } from './region-picker';

const documentLabels: Record<IdentityDocumentType, string> = {
  ID_DOC_TYPE_ID_CARD: '居民身份证',
  ID_DOC_TYPE_MAINLAND_TRAVEL_PERMIT_FOR_HK_MC: '港澳居民来往内地通行证',
  ID_DOC_TYPE_MAINLAND_TRAVEL_PERMIT_FOR_TW: '台湾居民来往大陆通行证',
};

interface Props {
  values: SubsidyFormValues;
  errors: SubsidyFormErrors;
  onChange: (values: SubsidyFormValues) => void;
}

/** Buyer details for the national appliance subsidy; checked against the contract schema on submit. */
export function SubsidyForm({ values, errors, onChange }: Props) {
  const field = (name: 'realName' | 'idCardNumber' | 'phoneNumber', label: string, props: { type?: 'text' | 'number' | 'idcard'; maxlength?: number; placeholder: string }) => (
    <View className='form__field'>
      <Text className='form__label'>{label}</Text>
      <Input
        className={`form__input${errors[name] ? ' form__input--invalid' : ''}`}
        aria-label={label}
        name={name}
        value={values[name]}
        type={props.type ?? 'text'}
        maxlength={props.maxlength ?? 40}
        placeholder={props.placeholder}
        onInput={(event) => onChange({ ...values, [name]: event.detail.value })}
      />
      {errors[name] ? <Text className='form__error'>{errors[name]}</Text> : null}
    </View>
  );

  return (
    <View className='card form' data-testid='subsidy-form'>
      <Text className='form__title'>国家补贴信息</Text>
      <Text className='form__hint'>仅用于向微信支付申报国补资格，加密保存，不会展示给他人。</Text>
      {field('realName', '真实姓名', { placeholder: '与证件一致' })}
      <View className='form__field'>
        <Text className='form__label'>证件类型</Text>
        <View className='chips'>
          {identityDocumentTypes.map((type) => (
            <Text
              key={type}
              className={`chip${values.identityDocumentType === type ? ' chip--active' : ''}`}
              aria-pressed={values.identityDocumentType === type}
              onClick={() => onChange({ ...values, identityDocumentType: type })}
            >
              {documentLabels[type]}
            </Text>
          ))}
        </View>
      </View>
      {field('idCardNumber', '证件号码', { type: 'idcard', maxlength: 18, placeholder: '请输入证件号码' })}
      {field('phoneNumber', '手机号', { type: 'number', maxlength: 11, placeholder: '11 位手机号' })}
      <View className='form__field'>
        <Text className='form__label'>收货地区</Text>
        <RegionPicker
          label='收货地区'
          level='district'
          name={values.receiveRegionName}
          placeholder='选择省 / 市 / 区'
          invalid={Boolean(errors.receiveRegionCode)}
          onChange={(picked) => onChange({ ...values, receiveRegionCode: picked.code, receiveRegionName: picked.name })}
        />
        {errors.receiveRegionCode ? <Text className='form__error'>{errors.receiveRegionCode}</Text> : null}
      </View>
      <View className='form__field'>
        <Text className='form__label'>补贴资格所在城市</Text>
        <RegionPicker
          label='补贴资格所在城市'
          level='city'
          name={values.qualificationRegionName}
          placeholder='选择省 / 市'
          invalid={Boolean(errors.qualificationRegionCode)}
          onChange={(picked) => onChange({ ...values, qualificationRegionCode: picked.code, qualificationRegionName: picked.name })}
        />
        {errors.qualificationRegionCode ? <Text className='form__error'>{errors.qualificationRegionCode}</Text> : null}
      </View>
    </View>
  );
}
