/** What a region picker gives the form: the code the gov subsidy API needs and a name to show. */
export interface PickedRegion {
  code: string;
  name: string;
}

export interface RegionPickerProps {
  label: string;
  /** city: 6-digit city code (440300); district: 6-digit district code (440305). */
  level: 'city' | 'district';
  /** The picked region's name as shown, '' when none. */
  name: string;
  placeholder: string;
  invalid: boolean;
  onChange: (picked: PickedRegion) => void;
}
