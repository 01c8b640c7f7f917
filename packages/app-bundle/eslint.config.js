import { checkoutConfig } from '@checkout/eslint-config';

export default checkoutConfig({ tsconfigRootDir: import.meta.dirname });
